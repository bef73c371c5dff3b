/**
 * @module An independent Sparkplug B decoder for tests: protobufjs over the .proto text.
 */
import protobuf from "protobufjs";

const text = await Deno.readTextFile(
  new URL("../../../../adapters/mqtt/sparkplug/sparkplug_b.proto", import.meta.url),
);
const Payload = protobuf.parse(text, { keepCase: true }).root.lookupType("org.eclipse.tahu.protobuf.Payload");

/** A decoded payload as a plain object (64-bit integers as numbers). */
// deno-lint-ignore no-explicit-any
export type Decoded = any;

export function decode(bytes: Uint8Array, longs: typeof Number | typeof String = Number): Decoded {
  return Payload.toObject(Payload.decode(bytes), { longs, defaults: false, oneofs: true });
}

export function encode(obj: Record<string, unknown>): Uint8Array {
  return Payload.encode(Payload.fromObject(obj)).finish();
}

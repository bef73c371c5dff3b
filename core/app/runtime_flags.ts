/**
 * @module The V8 flags the gateway runs with, shared by every way it starts (`deno task start` and `demo`, the
 * bundle release's launcher, `deno compile`, the proof runs). `--heap-growing-percent=50` lets the JavaScript
 * heap grow to 1.5× its live size before a full collection. V8's default picks up to 4× when collections are
 * cheap: under the proof load (10,000 OPC UA items, 1,000 Modbus registers, 16 vibration channels) that was a
 * 380–440 MB heap around ~105 MB of live objects, paid in resident memory and in RSS swings of 300 MB.
 */

/** V8 flags of the gateway process. */
export const V8_FLAGS: readonly string[] = ["--heap-growing-percent=50"];

/** The Deno command-line argument carrying {@link V8_FLAGS} plus `extra` V8 flags (diagnostics). */
export function v8FlagsArg(extra: readonly string[] = []): string {
  return `--v8-flags=${[...V8_FLAGS, ...extra].join(",")}`;
}

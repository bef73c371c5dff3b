/**
 * @module Parses and authenticates a command message. Signed form:
 * `{"payload": base64(command JSON), "key_id": "...", "signature": base64(Ed25519(payload bytes))}`;
 * unsigned form (only for commands that change nothing): the command JSON itself.
 * Command JSON: `{"id", "command", "gateway", "issued_at" (ms), "args"?}`.
 */
import { fromBase64, type KeyRing } from "./keys.ts";

/** An authenticated (or harmless unsigned) command. */
export interface Command {
  readonly id: string;
  readonly command: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly signedBy?: string;
}

/** Why a command was refused; `id` when it could be read, for the reply. */
export class CommandRefused extends Error {
  override readonly name = "CommandRefused";
  constructor(message: string, readonly id?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What parsing needs to know. */
export interface ParseContext {
  readonly gateway: string;
  readonly now: number;
  readonly maxSkewMs: number;
  readonly keys: KeyRing;
  /** Commands allowed without a signature. */
  readonly unsigned: ReadonlySet<string>;
  /** Ids already executed (replay protection). */
  readonly seen: (id: string) => boolean;
}

function object(v: unknown, what: string, id?: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new CommandRefused(`${what} must be a JSON object`, id);
  }
  return v as Record<string, unknown>;
}

/** Parses `raw` received for command `name` (the topic suffix). Throws {@link CommandRefused}. */
export async function parseCommand(name: string, raw: Uint8Array, ctx: ParseContext): Promise<Command> {
  let outer: Record<string, unknown>;
  try {
    outer = object(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)), "command message");
  } catch (error) {
    if (error instanceof CommandRefused) throw error;
    throw new CommandRefused(`command message is not JSON: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  let body: Record<string, unknown>;
  let signedBy: string | undefined;
  if ("signature" in outer || "payload" in outer) {
    const { payload, signature, key_id } = outer;
    if (typeof payload !== "string" || typeof signature !== "string" || typeof key_id !== "string") {
      throw new CommandRefused("signed command needs string fields payload, signature and key_id");
    }
    let bytes: Uint8Array, sig: Uint8Array;
    try {
      bytes = fromBase64(payload, "payload");
      sig = fromBase64(signature, "signature");
    } catch (error) {
      throw new CommandRefused((error as Error).message, undefined, { cause: error });
    }
    if (!ctx.keys.keys.has(key_id)) throw new CommandRefused(`unknown key_id "${key_id}"`);
    if (!(await ctx.keys.verify(key_id, bytes, sig))) {
      throw new CommandRefused(`bad signature for key "${key_id}"`);
    }
    try {
      body = object(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)), "signed payload");
    } catch (error) {
      if (error instanceof CommandRefused) throw error;
      throw new CommandRefused("signed payload is not JSON", undefined, { cause: error });
    }
    signedBy = key_id;
  } else {
    body = outer;
  }
  const id = typeof body.id === "string" && body.id.length > 0 && body.id.length <= 200 ? body.id : undefined;
  if (!id) throw new CommandRefused("command needs a string id (1..200 characters)");
  const command = body.command ?? name;
  if (command !== name) {
    throw new CommandRefused(`command "${String(command)}" does not match its topic "${name}"`, id);
  }
  if (!signedBy && !ctx.unsigned.has(name)) throw new CommandRefused(`command "${name}" must be signed`, id);
  if (signedBy) {
    if (body.gateway !== ctx.gateway) {
      throw new CommandRefused(
        `command is addressed to gateway "${String(body.gateway)}", not "${ctx.gateway}"`,
        id,
      );
    }
    if (typeof body.issued_at !== "number" || Math.abs(ctx.now - body.issued_at) > ctx.maxSkewMs) {
      throw new CommandRefused(`issued_at must be a time within ${ctx.maxSkewMs / 1000} s of now`, id);
    }
    if (ctx.seen(id)) throw new CommandRefused(`command id "${id}" was already executed (replay)`, id);
  }
  const args = body.args === undefined ? {} : object(body.args, "args", id);
  return signedBy ? { id, command: name, args, signedBy } : { id, command: name, args };
}

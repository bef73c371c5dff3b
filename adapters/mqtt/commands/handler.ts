/**
 * @module Executes downlink commands: `rebirth` (unsigned), `reload` (signed, capability "gateway") and
 * `update` (signed, capability "updater"). Everything refused is logged, raised as an event and answered;
 * nothing a command message contains can crash the gateway.
 */
import {
  type ComponentContext,
  errorMessage,
  GATEWAY_CAPABILITY,
  type GatewayControl,
  UPDATER_CAPABILITY,
  type UpdaterControl,
} from "../../../core/mod.ts";
import { fromBase64, type KeyRing } from "./keys.ts";
import { type Command, CommandRefused, parseCommand } from "./parse.ts";

/** Reply published on the cmd_result topic. */
export interface CommandResult {
  readonly id: string | null;
  readonly command: string;
  /** `accepted` (started, a final result follows), `ok`, `error` or `refused`. */
  readonly status: "accepted" | "ok" | "error" | "refused";
  readonly message: string;
  readonly ts: number;
  readonly result?: unknown;
}

/** What the handler needs from the sink. */
export interface CommandDeps {
  readonly ctx: ComponentContext;
  readonly keys: KeyRing;
  readonly maxSkewMs: number;
  /** Re-sends births (status online / NBIRTH + DBIRTHs). */
  readonly rebirth: () => Promise<void>;
  readonly reply: (result: CommandResult) => void;
}

const UNSIGNED = new Set(["rebirth"]);
const KNOWN = new Set(["rebirth", "reload", "update"]);

/** Handles command messages one at a time. */
export class CommandHandler {
  readonly #seen = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  accepted = 0;
  refused = 0;

  constructor(private readonly deps: CommandDeps) {}

  /** Resolves when every queued command has been handled. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Queues a received command message (`name` is the topic suffix). */
  receive(name: string, raw: Uint8Array): Promise<void> {
    this.#queue = this.#queue.then(() => this.#handle(name, raw)).catch((error) => {
      this.deps.ctx.logger.error("command handling failed", { command: name, error: errorMessage(error) });
    });
    return this.#queue;
  }

  async #handle(name: string, raw: Uint8Array): Promise<void> {
    const { ctx } = this.deps;
    const now = ctx.now();
    let cmd: Command;
    try {
      if (!KNOWN.has(name)) {
        throw new CommandRefused(`unknown command "${name}" (known: ${[...KNOWN].join(", ")})`);
      }
      for (const [id, at] of this.#seen) if (now - at > 2 * this.deps.maxSkewMs) this.#seen.delete(id);
      cmd = await parseCommand(name, raw, {
        gateway: ctx.gateway.id,
        now,
        maxSkewMs: this.deps.maxSkewMs,
        keys: this.deps.keys,
        unsigned: UNSIGNED,
        seen: (id) => this.#seen.has(id),
      });
    } catch (error) {
      this.refused++;
      const message = errorMessage(error);
      const id = error instanceof CommandRefused ? error.id ?? null : null;
      ctx.event({
        type: "mqtt.command_refused",
        level: "warn",
        message: `command "${name}" refused: ${message}`,
        data: { command: name, id },
      });
      this.deps.reply({ id, command: name, status: "refused", message, ts: now });
      return;
    }
    this.accepted++;
    if (cmd.signedBy) this.#seen.set(cmd.id, now);
    ctx.event({
      type: "mqtt.command",
      level: "info",
      message: `command "${cmd.command}" (${cmd.id}) accepted${
        cmd.signedBy ? `, signed by ${cmd.signedBy}` : ""
      }`,
      data: { command: cmd.command, id: cmd.id, ...(cmd.signedBy ? { key_id: cmd.signedBy } : {}) },
    });
    const done = (status: CommandResult["status"], message: string, result?: unknown) =>
      this.deps.reply({
        id: cmd.id,
        command: cmd.command,
        status,
        message,
        ts: ctx.now(),
        ...(result === undefined ? {} : { result }),
      });
    try {
      if (cmd.command === "rebirth") {
        await this.deps.rebirth();
        done("ok", "births re-published");
      } else if (cmd.command === "reload") {
        const gw = ctx.lookup<GatewayControl>(GATEWAY_CAPABILITY);
        if (!gw) return done("error", "no gateway control available to reload the configuration");
        done("accepted", "reloading the configuration");
        const report = await gw.reload();
        done("ok", "configuration reloaded", report);
      } else if (cmd.command === "update") {
        const updater = ctx.lookup<UpdaterControl>(UPDATER_CAPABILITY);
        if (!updater) return done("error", "no updater service is running on this gateway");
        const { manifest, url } = cmd.args;
        if (typeof manifest !== "string" || typeof url !== "string") {
          return done("error", "update needs args.manifest (base64 of the signed manifest) and args.url");
        }
        const outcome = await updater.announce(fromBase64(manifest, "args.manifest"), url);
        done(outcome.accepted ? "ok" : "error", outcome.message, outcome);
      }
    } catch (error) {
      done("error", errorMessage(error));
    }
  }
}

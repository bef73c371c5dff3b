/**
 * @module The console sink: a compact live view of tag values, alerts and events on stdout.
 */
import {
  type ComponentContext,
  HealthTracker,
  type Message,
  type MessageKind,
  type Sink,
  type TagEntry,
} from "../../core/mod.ts";
import { renderView } from "./view.ts";

/** Configuration of the console sink. */
export interface ConsoleConfig {
  readonly interval_ms: number;
  readonly max_tags: number;
  readonly tags: readonly string[];
  readonly show_events: boolean;
}

/** Prints the live view periodically and each alert/event as it happens. */
export class ConsoleSink implements Sink {
  readonly accepts: ReadonlySet<MessageKind> = new Set<MessageKind>(["alert", "event"]);
  readonly #health = new HealthTracker();
  #timer: ReturnType<typeof setInterval> | undefined;
  #ctx: ComponentContext | undefined;
  #last = new Map<string, { received: number; at: number }>();

  constructor(
    private readonly config: ConsoleConfig,
    private readonly out: (line: string) => void = console.log,
  ) {}

  start(ctx: ComponentContext): Promise<void> {
    this.#ctx = ctx;
    this.#health.set("connected");
    this.#timer = setInterval(() => this.render(), this.config.interval_ms);
    return Promise.resolve();
  }

  write(messages: readonly Message[]): Promise<void> {
    for (const m of messages) {
      if (m.kind === "alert") {
        const a = m.alert;
        this.out(`ALERT ${a.severity} ${a.state} ${a.asset} ${a.kind}: ${a.message}`);
      } else if (m.kind === "event" && this.config.show_events) {
        this.out(`EVENT ${m.event.level} ${m.event.type} [${m.event.component}] ${m.event.message}`);
      }
    }
    return Promise.resolve();
  }

  /** Prints the live view now. */
  render(): void {
    const ctx = this.#ctx;
    if (!ctx) return;
    const now = ctx.now();
    const wanted = this.config.tags;
    const entries: TagEntry[] = [];
    for (const e of ctx.tags.list()) {
      if (wanted.length === 0 || wanted.some((w) => matches(w, e.meta.id))) entries.push(e);
      if (entries.length >= this.config.max_tags) break;
    }
    const rates = new Map<string, number>();
    for (const e of entries) {
      const prev = this.#last.get(e.meta.id);
      if (prev && now > prev.at) {
        rates.set(e.meta.id, ((e.received - prev.received) * 1000) / (now - prev.at));
      }
      this.#last.set(e.meta.id, { received: e.received, at: now });
    }
    this.out(`--- ${new Date(now).toISOString()} ${entries.length} tags ---`);
    for (const line of renderView(entries, now, rates)) this.out(line);
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#health.set("stopped");
    return Promise.resolve();
  }

  health() {
    return this.#health.snapshot();
  }
}

/** Glob-lite match: `*` matches any run of characters. */
export function matches(pattern: string, id: string): boolean {
  if (!pattern.includes("*")) return pattern === id;
  const re = new RegExp(
    `^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
  );
  return re.test(id);
}

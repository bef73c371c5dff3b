/**
 * @module Live values as Server-Sent Events: per-tag throttling (newest wins), alerts and scores as they
 * come, heartbeats, bounded memory for slow clients.
 */
import type { Message, Pipeline } from "../mod.ts";
import type { Access } from "./auth/access.ts";
import { type ValueView, valueView } from "./views.ts";

/** Options of one stream. */
export interface LiveStreamOptions {
  readonly pipeline: Pipeline;
  readonly access: Access;
  /** Only these tags; all visible ones when undefined. */
  readonly tags?: ReadonlySet<string>;
  readonly asset?: string;
  readonly rateHz: number;
  readonly heartbeatMs: number;
  readonly signal: AbortSignal;
  readonly onClose: () => void;
}

const enc = new TextEncoder();
/** Chunks queued for a slow client beyond which value updates wait (the newest still wins). */
const MAX_QUEUED = 64;

/** A text/event-stream body. */
export function liveStream(o: LiveStreamOptions): ReadableStream<Uint8Array> {
  const topo = o.access.topology;
  const allowed = new Map<string, boolean>();
  const wanted = (tag: string): boolean => {
    let ok = allowed.get(tag);
    if (ok === undefined) {
      ok = (o.tags ? o.tags.has(tag) : true) && o.access.tag(tag) &&
        (o.asset === undefined || topo.assetOf(tag) === o.asset);
      allowed.set(tag, ok);
    }
    return ok;
  };
  const pending = new Map<string, ValueView>();
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(ctl) {
      let lastSent = Date.now();
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        ctl.enqueue(enc.encode(text));
        lastSent = Date.now();
      };
      const event = (name: string, data: unknown) =>
        send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      const onMessage = (_producer: string, m: Message) => {
        if (m.kind === "samples") {
          for (const s of m.samples) if (!s.historical && wanted(s.tag)) pending.set(s.tag, valueView(s));
        } else if (m.kind === "block") {
          const b = m.block;
          const n = b.values.length;
          if (n > 0 && wanted(b.tag)) {
            pending.set(
              b.tag,
              valueView({
                tag: b.tag,
                value: b.values[n - 1]!,
                ts: b.t0 + (n - 1) * b.dt,
                recv: b.recv,
                quality: b.quality,
                status: b.status,
              }),
            );
          }
        } else if (m.kind === "alert") {
          if (o.access.asset(m.alert.asset) && (o.asset === undefined || m.alert.asset === o.asset)) {
            event("alert", m.alert);
          }
        } else if (m.kind === "score") {
          if (o.access.asset(m.score.asset) && (o.asset === undefined || m.score.asset === o.asset)) {
            event("score", m.score);
          }
        }
      };
      const flush = () => {
        if (pending.size === 0) return;
        if ((ctl.desiredSize ?? 0) < -MAX_QUEUED) return;
        event("values", [...pending.values()]);
        pending.clear();
      };
      const unsubscribe = o.pipeline.subscribe(["samples", "block", "alert", "score"], onMessage);
      const flushTimer = setInterval(flush, Math.max(1, Math.round(1000 / o.rateHz)));
      const beatTimer = setInterval(() => {
        if (Date.now() - lastSent >= o.heartbeatMs * 0.9) send(`: heartbeat ${new Date().toISOString()}\n\n`);
      }, Math.max(10, Math.round(o.heartbeatMs / 2)));
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(flushTimer);
        clearInterval(beatTimer);
        unsubscribe();
        o.signal.removeEventListener("abort", abort);
        o.onClose();
      };
      const abort = () => {
        cleanup();
        try {
          ctl.close();
        } catch { /* already closed */ }
      };
      if (o.signal.aborted) return abort();
      o.signal.addEventListener("abort", abort);
      send("retry: 3000\n");
      event("hello", {
        rateHz: o.rateHz,
        heartbeatS: o.heartbeatMs / 1000,
        tags: o.tags ? [...o.tags] : "all",
      });
      const initial: ValueView[] = [];
      for (const e of o.pipeline.tags.list()) {
        if (e.latest && wanted(e.meta.id)) initial.push(valueView(e.latest));
      }
      if (initial.length > 0) event("values", initial);
    },
    cancel() {
      cleanup();
    },
  });
}

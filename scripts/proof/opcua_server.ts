/**
 * @module OPC UA plant for the proof runs (its own process): `--items` Double variables (Plant.v00000 ...)
 * updated every `--interval-ms` with deterministic values, served by demo/opcua_plant.ts on 127.0.0.1.
 * Prints `PORT <n>`, then `STATS {"ticks":..,"values_set":..,"notifications_sent":..,"queue_overflows":..}` every
 * second and once more at SIGTERM/SIGINT.
 *
 * Usage: deno run -A scripts/proof/opcua_server.ts --items 10000 --interval-ms 100 [--port P] [--pki DIR]
 */
import { type PlantNode, startOpcuaPlant } from "../../demo/opcua_plant.ts";

/** Value of item `i` at update `tick` (deterministic, changes every tick so every sample is reported). */
export function opcuaValue(i: number, tick: number): number {
  return Math.round((Math.sin((tick + i) * 0.05) * 100 + i) * 1000) / 1000;
}

/** Name of item `i`. */
export function opcuaItemName(i: number): string {
  return `v${String(i).padStart(5, "0")}`;
}

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(Deno.args[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    throw new RangeError(`--${name}: expected a number, got ${Deno.args[i + 1]}`);
  }
  return v;
}

if (import.meta.main) {
  const items = arg("items", 10_000);
  const intervalMs = arg("interval-ms", 100);
  const pkiAt = Deno.args.indexOf("--pki");
  const nodes: PlantNode[] = Array.from({ length: items }, (_, i) => ({
    name: opcuaItemName(i),
    history: false,
  }));
  const plant = await startOpcuaPlant({
    port: arg("port", 0),
    nodes,
    ...(pkiAt >= 0 ? { pkiDir: Deno.args[pkiAt + 1]! } : {}),
  });
  console.log(`PORT ${plant.port}`);
  const names = nodes.map((n) => n.name);
  const stats = { ticks: 0, values_set: 0, notifications_sent: 0, queue_overflows: 0 };
  // What the server's subscriptions sent (data-change notifications) and discarded (monitored-item queue
  // overflows), kept per subscription id so that subscriptions of sessions that are gone still count. node-opcua
  // has no public list of sessions: the engine's `_sessions` map is read, guarded.
  const sent = new Map<number, number>();
  const overflows = new Map<number, number>();
  const subscriptionCounts = () => {
    const sessions = (plant.server.engine as unknown as { _sessions?: Record<string, unknown> })._sessions;
    for (const session of Object.values(sessions ?? {})) {
      const subs = (session as {
        publishEngine?: {
          subscriptions?: {
            id: number;
            subscriptionDiagnostics: {
              dataChangeNotificationsCount: number;
              monitoringQueueOverflowCount: number;
            };
          }[];
        };
      }).publishEngine?.subscriptions ?? [];
      for (const sub of subs) {
        sent.set(sub.id, sub.subscriptionDiagnostics.dataChangeNotificationsCount);
        overflows.set(sub.id, sub.subscriptionDiagnostics.monitoringQueueOverflowCount);
      }
    }
    const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return { notifications_sent: total(sent), queue_overflows: total(overflows) };
  };
  // Each tick's updates are spread over the interval in slices of 10 ms, so the server keeps answering
  // service requests (CreateSubscription, Publish) between them.
  const slices = Math.max(1, Math.floor(intervalMs / 10));
  const per = Math.ceil(names.length / slices);
  let slice = 0;
  let tick = 0;
  let ts = Date.now();
  const update = setInterval(() => {
    if (slice === 0) ts = Date.now();
    const from = slice * per;
    const to = Math.min(names.length, from + per);
    for (let i = from; i < to; i++) plant.set(names[i]!, opcuaValue(i, tick), ts);
    stats.values_set += Math.max(0, to - from);
    if (++slice >= slices) {
      slice = 0;
      tick++;
      stats.ticks = tick;
    }
  }, intervalMs / slices);
  const report = setInterval(() => {
    Object.assign(stats, subscriptionCounts());
    console.log(`STATS ${JSON.stringify(stats)}`);
  }, 1000);
  const done = new Promise<void>((resolve) => {
    Deno.addSignalListener("SIGTERM", resolve);
    Deno.addSignalListener("SIGINT", resolve);
  });
  await done;
  clearInterval(update);
  clearInterval(report);
  Object.assign(stats, subscriptionCounts());
  console.log(`STATS ${JSON.stringify(stats)}`);
  await plant.stop();
  Deno.exit(0);
}

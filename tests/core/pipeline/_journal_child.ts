/**
 * @module Child process for the journal crash test: a sink that never finishes a write, events offered to it
 * (journal fsync policy from the second argument), then it waits to be killed with SIGKILL.
 */
import "../../../adapters/mod.ts";
import {
  createLogger,
  defineSink,
  HealthTracker,
  MESSAGE_KINDS,
  parseConfig,
  Pipeline,
  s,
} from "../../../core/mod.ts";

defineSink({
  type: "stalled",
  description: "A sink whose writes never complete (a store that hangs).",
  schema: s.object({}),
  create: () => ({
    accepts: new Set(MESSAGE_KINDS),
    start: () => Promise.resolve(),
    write: () => new Promise<void>(() => {}),
    stop: () => Promise.resolve(),
    health: () => new HealthTracker().snapshot(),
  }),
});

const dir = Deno.args[0]!;
const fsync = Deno.args[1] ?? "interval";
const config = parseConfig(
  `gateway: { id: gw, site: lab, data_dir: ${dir} }
log: { level: error }
sinks:
  - { name: store, type: stalled, queue: { journal: true, journal_fsync: ${fsync} } }
`,
  { env: () => undefined },
);
const p = new Pipeline(config, { logger: createLogger({ level: "error" }), version: "t" });
await p.start();
for (let i = 0; i < 50; i++) {
  p.event({ type: "test.journaled", level: "info", message: `event ${i}`, data: { i, nan: Number.NaN } });
}
console.log("READY");
await new Promise(() => {});

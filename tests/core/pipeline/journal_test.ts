import assert from "node:assert/strict";
import { SinkJournal } from "../../../core/pipeline/journal.ts";
import { createLogger, type GatewayEvent, parseConfig, Pipeline } from "../../../core/mod.ts";
import { recorder, sleep } from "./helpers.ts";

const event = (i: number) => ({
  kind: "event" as const,
  event: {
    ts: i,
    type: "t",
    component: "c",
    level: "info" as const,
    message: `m${i}`,
    data: { x: Number.NaN },
  },
});

Deno.test("journal: unacknowledged entries come back after a reopen, acknowledged ones do not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const j = await SinkJournal.open(dir);
    const ids = [0, 1, 2, 3, 4].map((i) => j.append(event(i)));
    j.ack(ids[2]!);
    assert.equal(j.unacked, 2);
    await j.close();
    const again = await SinkJournal.open(dir);
    const pending = again.takePending();
    assert.deepEqual(pending.map((p) => p.id), [ids[3], ids[4]]);
    const m = pending[0]!.message as ReturnType<typeof event>;
    assert.equal(m.event.message, "m3");
    assert.ok(Number.isNaN(m.event.data.x), "NaN survives the journal");
    assert.ok(again.append(event(5)) > ids[4]!, "ids keep increasing across runs");
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("journal: a torn last line is ignored and compaction keeps exactly the unacknowledged tail", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const j = await SinkJournal.open(dir);
    let last = 0;
    const big = "x".repeat(2000);
    for (let i = 0; i < 200; i++) {
      last = j.append({ ...event(i), event: { ...event(i).event, message: big } });
    }
    j.ack(last - 3); // 400 KB journal, all but 3 acknowledged: compacted to those 3
    const size = (await Deno.stat(`${dir}/journal.jsonl`)).size;
    assert.ok(size < 3 * 2200, `compacted to ${size} bytes`);
    await j.close();
    await Deno.writeTextFile(`${dir}/journal.jsonl`, '{"id":999,"m":{"kind":"ev', { append: true });
    const again = await SinkJournal.open(dir);
    assert.deepEqual(again.takePending().map((p) => p.id), [last - 2, last - 1, last]);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const fsync of ["interval", "always"] as const) {
  Deno.test(`a sink's journaled events survive kill -9 of a gateway whose sink hung, and are written after restart (journal_fsync: ${fsync})`, async () => {
    await killedAndRestarted(fsync);
  });
}

async function killedAndRestarted(fsync: "interval" | "always"): Promise<void> {
  recorder("store").messages.length = 0; // the recorder is shared by name between the two runs
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-net",
      "--allow-ffi",
      "--allow-run",
      new URL("./_journal_child.ts", import.meta.url).pathname,
      dir,
      fsync,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("READY")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    assert.match(out, /READY/);
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    // Restart with a working sink of the same name: the journal is per sink name.
    const config = parseConfig(
      `gateway: { id: gw, site: lab, data_dir: ${dir} }
sinks:
  - { name: store, type: recorder, queue: { journal: true, journal_fsync: ${fsync} } }
`,
      { env: () => undefined },
    );
    const p = new Pipeline(config, {
      logger: createLogger({ level: "error", writer: () => {} }),
      version: "t",
    });
    await p.start();
    await sleep(200);
    await p.stop();
    const replayed = recorder("store").messages
      .flatMap((
        m,
      ) => (m.kind === "event" && m.event.type === "test.journaled" ? [m.event as GatewayEvent] : []));
    assert.deepEqual(
      replayed.map((e) => e.data!.i),
      Array.from({ length: 50 }, (_, i) => i),
      "all 50, in order",
    );
    assert.ok(Number.isNaN(replayed[0]!.data!.nan as number));
    // Written once now: a further restart replays nothing.
    const p2 = new Pipeline(config, {
      logger: createLogger({ level: "error", writer: () => {} }),
      version: "t",
    });
    const before = recorder("store").messages.length;
    await p2.start();
    await p2.stop();
    const again = recorder("store").messages.slice(before)
      .filter((m) => m.kind === "event" && m.event.type === "test.journaled");
    assert.equal(again.length, 0);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
    await Deno.remove(dir, { recursive: true });
  }
}

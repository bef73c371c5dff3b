import assert from "node:assert/strict";
import {
  failureKind,
  type IsolateDeps,
  settle,
  StoreUnavailableError,
} from "../../../adapters/history/isolate.ts";

/** Units 0..n-1 where the `bad` ones make any commit holding them fail; records what happened. */
function fakeStore(bad: ReadonlySet<number>, opts: { probeFailsAfter?: number; error?: string } = {}) {
  const committed: number[] = [];
  const quarantined: number[] = [];
  let commits = 0;
  let probes = 0;
  const deps: IsolateDeps = {
    commit(lo, hi) {
      commits++;
      for (let k = lo; k < hi; k++) {
        if (bad.has(k)) return Promise.reject(new Error(opts.error ?? `Constraint Error: unit ${k}`));
      }
      for (let k = lo; k < hi; k++) committed.push(k);
      return Promise.resolve();
    },
    probe() {
      probes++;
      if (opts.probeFailsAfter !== undefined && probes > opts.probeFailsAfter) {
        return Promise.reject(new Error("IO Error: No space left on device"));
      }
      return Promise.resolve();
    },
    quarantine(k) {
      quarantined.push(k);
      return Promise.resolve();
    },
  };
  return { deps, committed, quarantined, commits: () => commits, probes: () => probes };
}

Deno.test("settle commits every good unit in order and quarantines only the refused ones", async () => {
  const s = fakeStore(new Set([3, 7]));
  assert.equal(await settle(10, 0, s.deps), 2);
  assert.deepEqual(s.committed, [0, 1, 2, 4, 5, 6, 8, 9]);
  assert.deepEqual(s.quarantined, [3, 7]);
});

Deno.test("settle stops when the probe fails and resumes from the settled prefix without repeating it", async () => {
  const s = fakeStore(new Set([1, 6]), { probeFailsAfter: 5 });
  const error = await settle(8, 0, s.deps).then(() => undefined, (e) => e);
  assert.ok(error instanceof StoreUnavailableError, String(error));
  assert.match(error.message, /Constraint Error: unit 6.*No space left/);
  assert.deepEqual(s.quarantined, [1], "unit 6 is not blamed while the database fails");
  assert.equal(error.done, 4, "units 0-3 are settled");
  assert.deepEqual(s.committed, [0, 2, 3]);
  const again = fakeStore(new Set([1, 6]));
  await settle(8, error.done, again.deps);
  assert.deepEqual([...s.committed, ...again.committed].sort(), [0, 2, 3, 4, 5, 7]);
  assert.deepEqual(again.quarantined, [6]);
});

Deno.test("settle never splits or quarantines on an IO error and never probes for it", async () => {
  const s = fakeStore(new Set([2]), {
    error: "TransactionContext Error: Failed to commit: IO Error: disk full",
  });
  await assert.rejects(() => settle(4, 0, s.deps), (e) => e instanceof StoreUnavailableError && e.done === 0);
  assert.equal(s.commits(), 1);
  assert.equal(s.probes(), 0);
  assert.deepEqual(s.quarantined, []);
});

Deno.test("settle retries a single failing unit once before quarantining it", async () => {
  let failures = 1;
  const committed: number[] = [];
  const quarantined: number[] = [];
  await settle(1, 0, {
    commit: (lo) =>
      failures-- > 0 ? Promise.reject(new Error("transient")) : (committed.push(lo), Promise.resolve()),
    probe: () => Promise.resolve(),
    quarantine: (k) => (quarantined.push(k), Promise.resolve()),
  });
  assert.deepEqual(committed, [0]);
  assert.deepEqual(quarantined, []);
});

Deno.test("an out-of-memory failure may split a batch but never quarantines a single unit", async () => {
  const s = fakeStore(new Set([0]), { error: "Out of Memory Error: could not allocate block" });
  await assert.rejects(() => settle(1, 0, s.deps), StoreUnavailableError);
  assert.deepEqual(s.quarantined, []);
  assert.equal(failureKind(new Error("Out of Memory Error: x")), "resource");
  assert.equal(failureKind(new Error("Conversion Error: out of range")), "records");
  assert.equal(
    failureKind(new Error("x", { cause: new Error("Could not set lock on file") })),
    "unavailable",
  );
});

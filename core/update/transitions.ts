/**
 * @module State transitions shared by the updater and the supervisor: recovery after a crash, commit after
 * a healthy trial, rollback after a failed one, and cleanup of old releases.
 */
import { STAGING_PREFIX } from "./stage.ts";
import { currentVersion, isComplete, switchCurrent } from "./switch.ts";
import { restoreDataFiles } from "./backup.ts";
import type { Journal } from "./journal.ts";
import type { Layout } from "./layout.ts";
import type { PendingUpdate, UpdateState } from "./state.ts";

/** Removes downloads and staging directories a crash left behind. */
export async function cleanLeftovers(layout: Layout): Promise<void> {
  await layout.ensure();
  for await (const e of Deno.readDir(layout.tmp)) {
    await Deno.remove(`${layout.tmp}/${e.name}`, { recursive: true });
  }
  for await (const e of Deno.readDir(layout.releases)) {
    if (e.name.startsWith(STAGING_PREFIX)) {
      await Deno.remove(`${layout.releases}/${e.name}`, { recursive: true });
    }
  }
  for await (const e of Deno.readDir(layout.root)) {
    if (e.name.startsWith(".current-")) await Deno.remove(`${layout.root}/${e.name}`);
  }
}

/**
 * Brings the root to a consistent state after a crash at any step: leftovers removed, an interrupted switch
 * completed (the new release is complete and verified) or abandoned (it is not). Returns the pending update
 * that remains, if any.
 */
export async function recover(
  layout: Layout,
  state: UpdateState,
  journal: Journal,
): Promise<PendingUpdate | undefined> {
  await cleanLeftovers(layout);
  const pending = await state.pending();
  if (!pending) return undefined;
  const current = await currentVersion(layout);
  if (pending.state === "switching") {
    if (await isComplete(layout, pending.to)) {
      if (current !== pending.to) await switchCurrent(layout, pending.to);
      const next: PendingUpdate = { ...pending, state: "switched" };
      await state.writePending(next);
      await journal.record(
        "switched",
        pending.to,
        `current is now ${pending.to} (switched by the supervisor)`,
        {
          from: pending.from,
        },
      );
      return next;
    }
    if (current !== pending.from && (await isComplete(layout, pending.from))) {
      await switchCurrent(layout, pending.from);
    }
    await state.clearPending();
    await journal.record("aborted", pending.to, `release ${pending.to} is incomplete; update abandoned`, {
      from: pending.from,
    });
    return undefined;
  }
  if (pending.state === "rolling_back") {
    await rollback(layout, state, journal, pending, pending.reason ?? "interrupted rollback");
    return undefined;
  }
  if (current !== pending.to) {
    // A rollback switched back but did not finish clearing the record.
    await state.clearPending();
    await journal.record(
      "recovered",
      pending.to,
      `update to ${pending.to} no longer current; record cleared`,
      {
        from: pending.from,
      },
    );
    return undefined;
  }
  return pending;
}

/** Restores `from` (and its data backups) after `to` failed its trial. */
export async function rollback(
  layout: Layout,
  state: UpdateState,
  journal: Journal,
  pending: PendingUpdate,
  reason: string,
): Promise<void> {
  if (pending.state !== "rolling_back") {
    await state.writePending({ ...pending, state: "rolling_back", reason });
    await journal.record("rollback_started", pending.to, `rolling back to ${pending.from}: ${reason}`, {
      from: pending.from,
    });
  }
  if (!(await isComplete(layout, pending.from))) {
    throw new Error(`cannot roll back: releases/${pending.from} is missing or incomplete`);
  }
  if (pending.backups) await restoreDataFiles(pending.backups);
  await switchCurrent(layout, pending.from);
  await state.writeLastResult({
    version: pending.to,
    from: pending.from,
    outcome: "rolled_back",
    reason,
    ts: Date.now(),
  });
  await journal.record(
    "rolled_back",
    pending.to,
    `update to ${pending.to} rolled back to ${pending.from}: ${reason}`,
    {
      from: pending.from,
      data: { reason },
    },
  );
  await state.clearPending();
  await removeRelease(layout, pending.to);
}

/** Makes `to` permanent after a healthy trial; keeps `from` as the previous release for manual rollback. */
export async function commit(
  layout: Layout,
  state: UpdateState,
  journal: Journal,
  pending: PendingUpdate,
): Promise<void> {
  await state.writeLastResult({
    version: pending.to,
    from: pending.from,
    outcome: "committed",
    ts: Date.now(),
  });
  await journal.record("committed", pending.to, `update from ${pending.from} to ${pending.to} committed`, {
    from: pending.from,
  });
  await state.clearPending();
  await pruneReleases(layout, [pending.to, pending.from]);
}

/** Removes every release and backup except those in `keep`. */
export async function pruneReleases(layout: Layout, keep: readonly string[]): Promise<void> {
  for await (const e of Deno.readDir(layout.releases)) {
    if (!keep.includes(e.name) && !e.name.startsWith(".")) await removeRelease(layout, e.name);
  }
  for await (const e of Deno.readDir(layout.backups)) {
    if (e.name !== keep[0]) await Deno.remove(`${layout.backups}/${e.name}`, { recursive: true });
  }
}

async function removeRelease(layout: Layout, version: string): Promise<void> {
  if ((await currentVersion(layout)) === version) return;
  await Deno.remove(layout.release(version), { recursive: true }).catch(() => {});
}

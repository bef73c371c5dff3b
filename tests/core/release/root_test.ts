import assert from "node:assert/strict";
import {
  addSignatures,
  applyRotations,
  ReleaseRejectedError,
  requireThreshold,
  signingKeyFrom,
  trustInitialRoot,
  verifyRotation,
} from "../../../core/release/mod.ts";
import { makeKeys, makeRoot } from "../update/fixtures.ts";

Deno.test("k-of-n: distinct trusted keys count once each; duplicates and untrusted keys do not count", async () => {
  const [a, b, c, x] = await makeKeys(4);
  const root = await makeRoot([a!, b!, c!], 2, [a!, b!]);
  const trusted = await trustInitialRoot(root);
  const ka = await signingKeyFrom(a!.file);
  const kx = await signingKeyFrom(x!.file);
  const one = await addSignatures({ signed: { type: "release", n: 1 }, signatures: [] }, [ka, kx]);
  const dup = { ...one, signatures: [...one.signatures, one.signatures[0]!] };
  await assert.rejects(
    requireThreshold(dup, trusted.signed.keys, 2, "release"),
    (e: unknown) =>
      e instanceof ReleaseRejectedError && e.reason === "threshold" && /1 valid signature/.test(e.message),
  );
  const two = await addSignatures(one, [await signingKeyFrom(c!.file)]);
  assert.equal((await requireThreshold(two, trusted.signed.keys, 2, "release")).valid.length, 2);
});

Deno.test("an initial root must be signed by a threshold of its own keys", async () => {
  const [a, b] = await makeKeys(2);
  await assert.rejects(trustInitialRoot(await makeRoot([a!, b!], 2, [a!])), /1 valid signature.*2 required/);
});

Deno.test("rotation: the next root needs the old threshold and its own, and exactly the next version", async () => {
  const [a, b, c, d] = await makeKeys(4);
  const r1 = await trustInitialRoot(await makeRoot([a!, b!], 2, [a!, b!]));
  const ok = await makeRoot([c!, d!], 1, [a!, b!, c!], 2);
  assert.equal((await verifyRotation(r1, ok)).signed.version, 2);
  await assert.rejects(
    verifyRotation(r1, await makeRoot([c!, d!], 1, [a!, c!], 2)),
    /signed by the current keys/,
  );
  await assert.rejects(
    verifyRotation(r1, await makeRoot([c!, d!], 2, [a!, b!, c!], 2)),
    /signed by its own keys/,
  );
  await assert.rejects(
    verifyRotation(r1, await makeRoot([c!], 1, [a!, b!, c!], 3)),
    /cannot follow trusted root version 1/,
  );
  const r3 = await makeRoot([d!], 1, [c!, d!], 3);
  assert.equal(
    (await applyRotations(r1, [ok, r3])).signed.version,
    3,
    "a chain of rotations is applied in order",
  );
});

Deno.test("root metadata whose key id does not match its key is malformed", async () => {
  const [a] = await makeKeys(1);
  const root = structuredClone(await makeRoot([a!], 1, [a!])) as {
    signed: { keys: Record<string, unknown> };
  };
  const [id] = Object.keys(root.signed.keys);
  root.signed.keys["0".repeat(64)] = root.signed.keys[id!];
  delete root.signed.keys[id!];
  await assert.rejects(
    trustInitialRoot(root),
    (e: unknown) => e instanceof ReleaseRejectedError && e.reason === "malformed",
  );
});

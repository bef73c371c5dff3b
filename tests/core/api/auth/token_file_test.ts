import assert from "node:assert/strict";
import { TokenFile, TokenVerifier } from "../../../../core/api/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tokens_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a token file stores salted hashes only, with mode 0600", () =>
  withDir(async (dir) => {
    const file = new TokenFile(`${dir}/sub/tokens.json`);
    const { token } = await file.create({ name: "scada", role: "viewer", scopes: ["site:plant-a"] });
    const text = await Deno.readTextFile(file.path);
    const secret = token.split("_")[2]!;
    assert.ok(!text.includes(secret));
    assert.equal((await Deno.stat(file.path)).mode! & 0o777, 0o600);
    const [record] = await file.read();
    assert.equal(record!.salt.length, 32);
    assert.equal(record!.hash.length, 64);
  }));

Deno.test("two tokens with the same secret hash differently (per-token salt)", () =>
  withDir(async (dir) => {
    const file = new TokenFile(`${dir}/t.json`);
    await file.create({ name: "a", role: "viewer", scopes: [] });
    await file.create({ name: "b", role: "viewer", scopes: [] });
    const [a, b] = await file.read();
    assert.notEqual(a!.salt, b!.salt);
  }));

Deno.test("the verifier accepts the token, rejects a changed one and sees revocations", () =>
  withDir(async (dir) => {
    const file = new TokenFile(`${dir}/t.json`);
    const { token } = await file.create({ name: "ops", role: "operator", scopes: ["asset:pump-1"] });
    const v = new TokenVerifier(file, 0);
    const p = await v.verify(token);
    assert.equal(p?.name, "ops");
    assert.equal(p?.role, "operator");
    assert.deepEqual([...p!.scopes!.assets], ["pump-1"]);
    assert.equal(await v.verify(token.slice(0, -1) + (token.endsWith("0") ? "1" : "0")), undefined);
    assert.equal(await v.verify("not-a-token"), undefined);
    await file.revoke("ops");
    await v.refresh(true);
    assert.equal(await v.verify(token), undefined);
  }));

Deno.test("bad names, roles, scopes and duplicate names are refused with the reason", () =>
  withDir(async (dir) => {
    const file = new TokenFile(`${dir}/t.json`);
    await assert.rejects(file.create({ name: "", role: "viewer", scopes: [] }), /invalid token name/);
    await assert.rejects(
      file.create({ name: "x", role: "root" as "viewer", scopes: [] }),
      /invalid role "root"/,
    );
    await assert.rejects(
      file.create({ name: "x", role: "viewer", scopes: ["plant:a"] }),
      /invalid scope "plant:a"/,
    );
    await file.create({ name: "x", role: "viewer", scopes: [] });
    await assert.rejects(file.create({ name: "x", role: "viewer", scopes: [] }), /already exists/);
    await assert.rejects(file.revoke("nobody"), /no active token/);
  }));

Deno.test("a corrupt tokens file keeps the verifier's previous tokens and reports the problem", () =>
  withDir(async (dir) => {
    const file = new TokenFile(`${dir}/t.json`);
    const { token } = await file.create({ name: "a", role: "admin", scopes: [] });
    const v = new TokenVerifier(file, 0);
    assert.ok(await v.verify(token));
    await Deno.writeTextFile(file.path, "{ half written");
    await v.refresh(true);
    assert.ok(await v.verify(token));
    assert.match(v.lastError ?? "", /not valid JSON/);
  }));

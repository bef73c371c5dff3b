import assert from "node:assert/strict";
import "../../../core/api/mod.ts";
import { dispatch } from "../../../core/mod.ts";
import { TokenFile, TokenVerifier } from "../../../core/api/mod.ts";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await dispatch(["token", ...args], { log: console.log, error: console.error } as Console);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("gateway token create prints the secret once; list never shows it; revoke disables it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "token_cli_" });
  try {
    const file = `${dir}/tokens.json`;
    const created = await run([
      "create",
      "--file",
      file,
      "--name",
      "line1-operator",
      "--role",
      "operator",
      "--scope",
      "site:plant-a",
      "--scope",
      "line:line-1",
    ]);
    assert.equal(created.code, 0, created.err);
    const token = created.out.trim();
    assert.match(token, /^gwt_[0-9a-f]{12}_[0-9a-f]{64}$/);
    assert.match(created.err, /cannot be shown again/);
    const principal = await new TokenVerifier(new TokenFile(file), 0).verify(token);
    assert.equal(principal?.role, "operator");
    assert.deepEqual([...principal!.scopes!.lines], ["line-1"]);

    const listed = await run(["list", "--file", file]);
    assert.equal(listed.code, 0);
    assert.match(listed.out, /line1-operator\toperator\tsite:plant-a,line:line-1/);
    assert.ok(!listed.out.includes(token.slice(-64)));

    const revoked = await run(["revoke", "--file", file, "line1-operator"]);
    assert.equal(revoked.code, 0);
    assert.equal(await new TokenVerifier(new TokenFile(file), 0).verify(token), undefined);
    assert.equal((await run(["list", "--file", file])).out.trim(), `no tokens in ${file}`);
    assert.match((await run(["list", "--file", file, "--all"])).out, /revoked/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gateway token create rejects a bad role or scope with exit code 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "token_cli_" });
  try {
    const badRole = await run(["create", "--file", `${dir}/t.json`, "--name", "x", "--role", "root"]);
    assert.equal(badRole.code, 2);
    assert.match(badRole.err, /--role must be one of viewer, operator, admin/);
    const badScope = await run([
      "create",
      "--file",
      `${dir}/t.json`,
      "--name",
      "x",
      "--role",
      "viewer",
      "--scope",
      "plant",
    ]);
    assert.equal(badScope.code, 2);
    assert.match(badScope.err, /invalid scope "plant"/);
    const missing = await run(["revoke", "--file", `${dir}/t.json`, "nobody"]);
    assert.equal(missing.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the tokens file defaults to <gateway.data_dir>/api_tokens.json of the configuration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "token_cli_" });
  try {
    await Deno.writeTextFile(
      `${dir}/gw.yaml`,
      `gateway: { id: gw, site: plant-a, data_dir: "${dir}/data" }\n`,
    );
    const r = await run(["create", "--config", `${dir}/gw.yaml`, "--name", "a", "--role", "admin"]);
    assert.equal(r.code, 0, r.err);
    assert.equal((await new TokenFile(`${dir}/data/api_tokens.json`).list()).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import "../../../core/release/commands.ts";
import { dispatch } from "../../../core/cli/dispatch.ts";

function quiet() {
  const lines: string[] = [];
  const out = {
    log: (...a: unknown[]) => lines.push(a.join(" ")),
    error: (...a: unknown[]) => lines.push(a.join(" ")),
  };
  return { out: out as unknown as Console, lines };
}

Deno.test("release CLI: keygen, 2-of-3 root, sign, co-sign, verify; a tampered artifact fails verification", async () => {
  const dir = await Deno.makeTempDir({ prefix: "release_cli_test_" });
  const log = console.log;
  const err = console.error;
  const printed: string[] = [];
  console.log = (...a: unknown[]) => void printed.push(a.join(" "));
  console.error = (...a: unknown[]) => void printed.push(a.join(" "));
  const { out } = quiet();
  const run = (...args: string[]) => dispatch(["release", ...args], out);
  try {
    for (const n of ["a", "b", "c"]) assert.equal(await run("keygen", "--name", n, "--out-dir", dir), 0);
    assert.equal((await Deno.stat(`${dir}/a.key`)).mode! & 0o777, 0o600);
    assert.notEqual(
      await run("keygen", "--name", "a", "--out-dir", dir),
      0,
      "never overwrites a private key",
    );
    const root = `${dir}/root.json`;
    assert.equal(
      await run(
        "root",
        "--key",
        `${dir}/a.pub.json`,
        "--key",
        `${dir}/b.pub.json`,
        "--key",
        `${dir}/c.pub.json`,
        "--threshold",
        "2",
        "--sign",
        `${dir}/a.key`,
        "--sign",
        `${dir}/b.key`,
        "--out",
        root,
      ),
      0,
    );
    const artifact = `${dir}/gateway.tar.gz`;
    await Deno.writeFile(artifact, crypto.getRandomValues(new Uint8Array(4096)));
    const manifest = `${dir}/manifest.json`;
    assert.equal(
      await run(
        "sign",
        "--artifact",
        artifact,
        "--version",
        "2.0.0",
        "--key",
        `${dir}/a.key`,
        "--out",
        manifest,
      ),
      0,
    );
    assert.equal(
      await run("verify", "--manifest", manifest, "--trust", root, "--artifact", artifact),
      1,
      "1 of 2",
    );
    assert.equal(await run("sign", "--add-to", manifest, "--key", `${dir}/c.key`), 0);
    assert.equal(await run("verify", "--manifest", manifest, "--trust", root, "--artifact", artifact), 0);
    await Deno.writeFile(artifact, new Uint8Array(4096));
    assert.equal(await run("verify", "--manifest", manifest, "--trust", root, "--artifact", artifact), 1);
    assert.ok(printed.some((l) => /rejected \(hash\)/.test(l)), printed.join("\n"));
    assert.ok(printed.some((l) => /rejected \(threshold\): release 2\.0\.0: 1 valid signature/.test(l)));
  } finally {
    console.log = log;
    console.error = err;
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { ArchiveError, extractTarGz, safeMemberPath } from "../../../core/update/tar.ts";

async function tarGz(dir: string, args: string[]): Promise<string> {
  const out = `${dir}/a-${crypto.randomUUID().slice(0, 6)}.tar.gz`;
  const r = await new Deno.Command("tar", { args: ["-czf", out, ...args], stderr: "piped" }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return out;
}

async function extract(archive: string, dest: string, maxBytes = 1 << 24, cut?: number) {
  let bytes: Uint8Array<ArrayBuffer> = await Deno.readFile(archive);
  if (cut !== undefined) bytes = bytes.slice(0, cut);
  await Deno.mkdir(dest, { recursive: true });
  return extractTarGz(new Blob([bytes]).stream(), dest, { maxBytes });
}

Deno.test("a release archive unpacks files with their modes, long names and in-tree symlinks", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar_test_" });
  try {
    const src = `${dir}/src`;
    const long = `${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(90)}.txt`;
    await Deno.mkdir(`${src}/bin`, { recursive: true });
    await Deno.mkdir(`${src}/${long.slice(0, long.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${src}/bin/gateway`, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    await Deno.chmod(`${src}/bin/gateway`, 0o755);
    await Deno.writeTextFile(`${src}/${long}`, "long");
    await Deno.writeFile(
      `${src}/big.bin`,
      crypto.getRandomValues(new Uint8Array(65536)).map((x, i) => x ^ i),
    );
    await Deno.symlink("bin/gateway", `${src}/launcher`);
    const archive = await tarGz(dir, ["-C", src, "."]);
    const out = await extract(archive, `${dir}/out`);
    assert.equal(out.files, 3);
    assert.equal((await Deno.stat(`${dir}/out/bin/gateway`)).mode! & 0o777, 0o755);
    assert.equal(await Deno.readTextFile(`${dir}/out/${long}`), "long");
    assert.deepEqual(await Deno.readFile(`${dir}/out/big.bin`), await Deno.readFile(`${src}/big.bin`));
    assert.equal(await Deno.readLink(`${dir}/out/launcher`), "bin/gateway");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("unsafe or damaged archives are refused: escaping symlinks, truncation, expansion beyond the limit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tar_test_" });
  try {
    const src = `${dir}/src`;
    await Deno.mkdir(src);
    await Deno.symlink("../../etc/passwd", `${src}/evil`);
    await assert.rejects(
      extract(await tarGz(dir, ["-C", src, "evil"]), `${dir}/o1`),
      /symlink evil -> \.\.\/\.\.\/etc\/passwd leaves the release/,
    );
    await Deno.remove(`${src}/evil`);
    await Deno.writeFile(`${src}/data`, crypto.getRandomValues(new Uint8Array(60000)));
    const archive = await tarGz(dir, ["-C", src, "data"]);
    const size = (await Deno.stat(archive)).size;
    await assert.rejects(extract(archive, `${dir}/o2`, 1 << 24, size >> 1), ArchiveError);
    await assert.rejects(extract(archive, `${dir}/o3`, 1000), /expands beyond 1000 bytes/);
    assert.throws(() => safeMemberPath("/etc/passwd"), /unsafe path/);
    assert.throws(() => safeMemberPath("a/../../b"), /unsafe path/);
    assert.equal(safeMemberPath("./bin/gateway"), "bin/gateway");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

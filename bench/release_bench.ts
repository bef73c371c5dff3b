/**
 * @module Update pipeline benchmark: receiving an artifact (stream + SHA-256 + size cap, to disk) and unpacking
 * a release .tar.gz, against a plain file copy of the same bytes; manifest verification (Ed25519 k-of-n,
 * expiry, target, versions) against one raw Ed25519 verify.
 */
import { addSignatures, signingKeyFrom, verifyRelease } from "../core/release/mod.ts";
import { canonicalBytes } from "../core/release/canonical.ts";
import { receiveArtifact } from "../core/update/receive.ts";
import { extractTarGz } from "../core/update/tar.ts";
import { hashFile } from "../core/release/file_hash.ts";
import { type BenchSuite, type Measurement, printTable } from "./harness.ts";
import { makeKeys, makeRoot } from "../tests/core/update/fixtures.ts";

const MB = 1 << 20;

/** Median time per byte of an async operation over `rounds` runs. */
async function measureAsync(
  name: string,
  bytes: number,
  rounds: number,
  fn: () => Promise<void>,
): Promise<Measurement> {
  await fn();
  const per: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    per.push(((performance.now() - t0) * 1e6) / bytes);
  }
  per.sort((a, b) => a - b);
  const nsPerOp = per[per.length >> 1]!;
  return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

async function artifactTable(dir: string): Promise<void> {
  const src = `${dir}/src`;
  await Deno.mkdir(src);
  // Half random (incompressible, like the runtime binary), half text-like, 48 MiB in 24 files.
  for (let i = 0; i < 24; i++) {
    const b = new Uint8Array(2 * MB);
    if (i % 2 === 0) {
      for (let o = 0; o < b.length; o += 65536) crypto.getRandomValues(b.subarray(o, o + 65536));
    } else for (let o = 0; o < b.length; o++) b[o] = 32 + ((o * 7 + i) % 90);
    await Deno.writeFile(`${src}/f${i}.bin`, b);
  }
  const archive = `${dir}/release.tar.gz`;
  const r = await new Deno.Command("sh", { args: ["-c", `tar -C "${src}" -cf - . | gzip -1 > "${archive}"`] })
    .output();
  if (!r.success) throw new Error("tar failed");
  const { sha256, size } = await hashFile(archive);
  let n = 0;
  const copy = await measureAsync("Deno.copyFile (anchor)", size, 5, async () => {
    await Deno.copyFile(archive, `${dir}/copy`);
  });
  const receive = await measureAsync("receiveArtifact (stream + SHA-256 + cap)", size, 5, async () => {
    using f = await Deno.open(archive);
    const out = `${dir}/recv-${n++}`;
    await receiveArtifact(f.readable, out, { size, sha256 });
    await Deno.remove(out);
  });
  const unpacked = 48 * MB;
  const extract = await measureAsync("extractTarGz (per compressed byte)", size, 3, async () => {
    const dest = `${dir}/x-${n++}`;
    await Deno.mkdir(dest);
    using f = await Deno.open(archive);
    await extractTarGz(f.readable, dest, { maxBytes: unpacked * 2 });
    await Deno.remove(dest, { recursive: true });
  });
  printTable(`artifact of ${(size / MB).toFixed(1)} MiB (48 MiB unpacked), per byte`, copy, [
    receive,
    extract,
  ], "B/s");
}

async function manifestTable(): Promise<void> {
  const keys = await makeKeys(3);
  const root = await makeRoot(keys, 2, keys);
  const signers = await Promise.all(keys.map((k) => signingKeyFrom(k.file)));
  const now = Date.now();
  const manifest = await addSignatures({
    signed: {
      type: "release" as const,
      version: "2.0.0",
      target: { os: "linux" as const, arch: "x86_64" as const, form: "bundle" as const },
      artifact: { name: "gateway.tar.gz", sha256: "0".repeat(64), size: 80 * MB },
      min_from_version: "1.0.0",
      expires: new Date(now + 86_400_000).toISOString(),
      released: new Date(now).toISOString(),
      notes: "benchmark",
    },
    signatures: [],
  }, signers.slice(0, 2));
  const ctx = {
    root,
    threshold: 2,
    now,
    currentVersion: "1.5.0",
    highestVersion: "1.5.0",
    target: { os: "linux" as const, arch: "x86_64" as const, form: "bundle" as const },
    maxArtifactBytes: 512 * MB,
  };
  const bytes = canonicalBytes(manifest.signed) as Uint8Array<ArrayBuffer>;
  const pub = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(keys[0]!.file.public), (c) => c.charCodeAt(0)),
    "Ed25519",
    false,
    ["verify"],
  );
  const sig = Uint8Array.from(atob(manifest.signatures[0]!.sig), (c) => c.charCodeAt(0));
  const anchor = await measureAsync("one Ed25519 verify (anchor)", 1, 300, async () => {
    if (!(await crypto.subtle.verify("Ed25519", pub, sig, bytes))) throw new Error("bad");
  });
  const full = await measureAsync("verifyRelease (2-of-3, all checks)", 1, 300, async () => {
    await verifyRelease(manifest, ctx);
  });
  printTable("manifest verification, per manifest", anchor, [full], "manifests/s");
}

export const releaseSuite: BenchSuite = {
  name: "release",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "release_bench_" });
    try {
      await artifactTable(dir);
      await manifestTable();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
};

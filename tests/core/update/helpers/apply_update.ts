/**
 * @module Test helper process: applies one update with the real Updater (the crash hook env var may kill it
 * at a journal step). Usage: apply_update.ts ROOT MANIFEST ARTIFACT
 */
import { Layout } from "../../../../core/update/layout.ts";
import { Updater } from "../../../../core/update/updater.ts";

const [root, manifest, artifact] = Deno.args as [string, string, string];
const layout = new Layout(root);
const updater = new Updater({
  layout,
  trustedKeysFile: `${root}/trust/root.json`,
  threshold: 1,
  healthWindowSeconds: 5,
  maxArtifactBytes: 10_000_000,
  downloadTimeoutMs: 5000,
  version: "1.0.0",
  target: { os: "linux", arch: Deno.build.arch === "aarch64" ? "aarch64" : "x86_64", form: "bundle" },
  dataDirs: [],
  backupSuffixes: [],
  event: () => {},
  requestRestart: () => {},
});
await updater.start();
using file = await Deno.open(artifact);
const out = await updater.upload(await Deno.readFile(manifest), file.readable);
console.log(JSON.stringify(out));
Deno.exit(out.accepted ? 0 : 1);

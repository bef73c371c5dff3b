/**
 * Builds the bundle-form release: `deno bundle` output plus everything it needs at run time, in one directory
 * and one reproducible .tar.gz, run by a pinned Deno runtime through `bin/gateway` with narrow permissions.
 *
 *   deno task release:bundle [--version V] [--out DIR] [--deno PATH] [--gzip-level N] [--no-archive]
 *
 * Layout of the release (also the layout of `releases/<version>/` on a gateway):
 *   bin/gateway        launcher (sh): runtime/deno run <narrow --allow-*> app/main.js "$@"
 *   runtime/deno       the pinned Deno runtime (2.9.6)
 *   app/main.js        the bundled program (all TypeScript and pure-JS npm code inlined)
 *   app/node_modules/  native addons the bundle requires by relative path (@duckdb/node-bindings-linux-x64)
 *   app/*.wasm         WASM signal core and the ONNX runtime's wasm, found beside main.js (import.meta.url)
 *   RELEASE.json       version, form, target, runtime, source commit
 *
 * `deno bundle` inlines npm packages, but a native addon cannot be inlined: it leaves `require()` of the
 * absolute path of the `.node` file in this checkout. This script copies each such package directory (the
 * addon and its shared library) beside the bundle and rewrites the path to `./node_modules/...`, then fails
 * if any absolute path of the checkout remains, so the release runs from any directory without the repo.
 */
import { VERSION } from "../core/version.ts";
import { isSemVer } from "../core/release/semver.ts";
import { hashFile } from "../core/release/file_hash.ts";
import { launcherScript } from "./release_launcher.ts";

const PINNED_DENO = "2.9.6";
const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

interface Options {
  version: string;
  out: string;
  deno: string;
  gzipLevel: number;
  archive: boolean;
}

function parse(args: string[]): Options {
  const o: Options = {
    version: VERSION,
    out: `${REPO}/dist`,
    deno: Deno.execPath(),
    gzipLevel: 6,
    archive: true,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new TypeError(`${a} needs a value`);
      return v;
    };
    if (a === "--version") o.version = value();
    else if (a === "--out") o.out = value();
    else if (a === "--deno") o.deno = value();
    else if (a === "--gzip-level") o.gzipLevel = Number(value());
    else if (a === "--no-archive") o.archive = false;
    else {throw new TypeError(
        `unknown option ${a} (options: --version, --out, --deno, --gzip-level, --no-archive)`,
      );}
  }
  if (!isSemVer(o.version)) throw new TypeError(`--version: "${o.version}" is not a semantic version`);
  if (!Number.isInteger(o.gzipLevel) || o.gzipLevel < 1 || o.gzipLevel > 9) {
    throw new RangeError("--gzip-level: 1..9");
  }
  return o;
}

async function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", ...opts }).output();
  const err = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${err}`);
  return new TextDecoder().decode(r.stdout);
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const s = `${from}/${e.name}`;
    const d = `${to}/${e.name}`;
    if (e.isDirectory) await copyDir(s, d);
    else if (e.isFile) await Deno.copyFile(s, d);
    else if (e.isSymlink) await copyFileFollowing(s, d);
  }
}

async function copyFileFollowing(from: string, to: string): Promise<void> {
  const real = await Deno.realPath(from);
  if ((await Deno.stat(real)).isDirectory) await copyDir(real, to);
  else await Deno.copyFile(real, to);
}

/** Copies native addons referenced by absolute path and rewrites them relative to main.js. */
async function relocate(mainJs: string, app: string): Promise<string[]> {
  let text = await Deno.readTextFile(mainJs);
  const prefix = `${REPO}/node_modules/`;
  const re = new RegExp(`(["'\`])${prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}([^"'\`]+)\\1`, "g");
  const copied = new Set<string>();
  for (const m of text.matchAll(re)) {
    const rel = m[2]!;
    const dir = rel.slice(0, rel.lastIndexOf("/"));
    if (copied.has(dir)) continue;
    try {
      await Deno.stat(`${prefix}${rel}`);
    } catch {
      continue; // an addon for another platform (musl, ...): left as is, never required on this target
    }
    await copyDir(`${prefix}${dir}`, `${app}/node_modules/${dir}`);
    copied.add(dir);
  }
  text = text.replace(re, (_all, q: string, rel: string) => `${q}./node_modules/${rel}${q}`);
  if (text.includes(REPO)) {
    const at = text.indexOf(REPO);
    throw new Error(`bundle still refers to the checkout: ...${text.slice(at - 60, at + 120)}...`);
  }
  await Deno.writeTextFile(mainJs, text);
  return [...copied];
}

/**
 * Specifiers left unresolved in the bundle: DuckDB's addons for other platforms (required in a platform
 * switch, never reached here) and proper-lockfile, an optional dynamic import of @ster5/global-mutex
 * (node-opcua PKI) that is not installed in the checkout either.
 */
function externals(arch: string): string[] {
  const duck = [
    "darwin-arm64",
    "darwin-x64",
    "win32-arm64",
    "win32-x64",
    "linux-x64-musl",
    "linux-arm64-musl",
  ];
  duck.push(arch === "x86_64" ? "linux-arm64" : "linux-x64");
  return [...duck.map((p) => `--external=@duckdb/node-bindings-${p}/*`), "--external=proper-lockfile"];
}

/** Replaces the compiled-in VERSION of a bundle (the one constant from core/version.ts). */
export function patchVersion(text: string, version: string): string {
  const re = new RegExp(`(\\bVERSION\\s*=\\s*)"${VERSION.replace(/\./g, "\\.")}"`, "g");
  const n = [...text.matchAll(re)].length;
  if (n !== 1) throw new Error(`expected one VERSION constant in the bundle, found ${n}`);
  return text.replace(re, `$1"${version}"`);
}

/**
 * Packs a release directory reproducibly (sorted names, fixed mtime from SOURCE_DATE_EPOCH, numeric root
 * owner, gzip without a timestamp), with paths relative to the release (`./bin/gateway`, ...).
 */
export async function archiveRelease(stage: string, archive: string, gzipLevel = 6): Promise<void> {
  const epoch = Deno.env.get("SOURCE_DATE_EPOCH") ?? "0";
  await sh("sh", [
    "-c",
    `tar --sort=name --mtime=@${epoch} --owner=0 --group=0 --numeric-owner -C "$1" -cf - . | gzip -n -${gzipLevel} > "$2"`,
    "tar",
    stage,
    archive,
  ]);
}

async function build(o: Options): Promise<void> {
  const arch = Deno.build.arch === "aarch64" ? "aarch64" : "x86_64";
  const denoVersion = (await sh(o.deno, ["--version"])).split(/\s+/)[1];
  if (denoVersion !== PINNED_DENO) {
    throw new Error(`${o.deno} is Deno ${denoVersion}; releases pin Deno ${PINNED_DENO}`);
  }
  const name = `gateway-${o.version}-linux-${arch}`;
  const stage = `${o.out}/${name}`;
  await Deno.remove(stage, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${stage}/app`, { recursive: true });
  await Deno.mkdir(`${stage}/bin`);
  await Deno.mkdir(`${stage}/runtime`);
  const mainJs = `${stage}/app/main.js`;
  await sh(Deno.execPath(), [
    "bundle",
    "--platform",
    "deno",
    ...externals(arch),
    "-o",
    mainJs,
    `${REPO}/main.ts`,
  ], {
    cwd: REPO,
  });
  const addons = await relocate(mainJs, `${stage}/app`);
  if (o.version !== VERSION) {
    await Deno.writeTextFile(mainJs, patchVersion(await Deno.readTextFile(mainJs), o.version));
  }
  for (const f of ["gateway_simd.wasm", "gateway_scalar.wasm"]) {
    await Deno.copyFile(`${REPO}/wasm/${f}`, `${stage}/app/${f}`);
  }
  for (const f of ["ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs"]) {
    await copyFileFollowing(`${REPO}/node_modules/onnxruntime-web/dist/${f}`, `${stage}/app/${f}`);
  }
  // node-opcua (the demo's embedded OPC UA server) reads its standard nodesets from `<main.js>/../nodesets` and
  // looks for a package.json above main.js when it loads; both have to exist in the release.
  const nodesets = (await Array.fromAsync(Deno.readDir(`${REPO}/node_modules/.deno`)))
    .find((e) => e.name.startsWith("node-opcua-nodesets@"));
  if (!nodesets) throw new Error("node-opcua-nodesets is not installed (run deno install)");
  await copyDir(
    `${REPO}/node_modules/.deno/${nodesets.name}/node_modules/node-opcua-nodesets/nodesets`,
    `${stage}/nodesets`,
  );
  await Deno.writeTextFile(
    `${stage}/app/package.json`,
    JSON.stringify({ name: "gateway-release", version: o.version, private: true, type: "module" }, null, 2) +
      "\n",
  );
  // node-opcua-server reports its own version, read from `<main.js>/../package.json`.
  const server = (await Array.fromAsync(Deno.readDir(`${REPO}/node_modules/.deno`)))
    .find((e) => e.name.startsWith("node-opcua-server@"));
  const stackVersion = server?.name.split("@")[1] ?? "0.0.0";
  await Deno.writeTextFile(
    `${stage}/package.json`,
    JSON.stringify({ name: "gateway-release-opcua-stack", version: stackVersion, private: true }, null, 2) +
      "\n",
  );
  await Deno.copyFile(o.deno, `${stage}/runtime/deno`);
  await Deno.chmod(`${stage}/runtime/deno`, 0o755);
  await Deno.writeTextFile(`${stage}/bin/gateway`, launcherScript(o.version));
  await Deno.chmod(`${stage}/bin/gateway`, 0o755);
  const commit = await sh("git", ["rev-parse", "HEAD"], { cwd: REPO }).then((s) => s.trim(), () => "unknown");
  const info = { version: o.version, form: "bundle", os: "linux", arch, deno: denoVersion, commit, addons };
  await Deno.writeTextFile(`${stage}/RELEASE.json`, JSON.stringify(info, null, 2) + "\n");
  const reported = JSON.parse(
    await sh(`${stage}/bin/gateway`, ["version", "--json"], {
      cwd: stage,
      env: { DENO_DIR: `${stage}/.self-test` },
    }),
  );
  await Deno.remove(`${stage}/.self-test`, { recursive: true }).catch(() => {});
  if (reported.version !== o.version) {
    throw new Error(`self-test: release reports ${reported.version}, expected ${o.version}`);
  }
  console.log(`release directory: ${stage}`);
  if (!o.archive) return;
  const archive = `${o.out}/${name}.tar.gz`;
  await archiveRelease(stage, archive, o.gzipLevel);
  const { sha256, size } = await hashFile(archive);
  console.log(`release archive:   ${archive}\n  size ${size} bytes, sha256 ${sha256}`);
  console.log(
    `sign it: gateway release sign --artifact ${archive} --version ${o.version} --form bundle --arch ${arch} --key KEY --out ${archive}.manifest.json`,
  );
}

if (import.meta.main) {
  try {
    await build(parse(Deno.args));
  } catch (error) {
    console.error(`release:bundle failed: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

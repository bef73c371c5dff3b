/**
 * Builds the binary-form releases: one self-contained executable per target with `deno compile`.
 *
 *   deno task compile [--version V] [--out DIR] [--target x86_64|aarch64]...
 *
 * Embedded with --include: the WASM signal core (wasm/*.wasm), the ONNX runtime's wasm and its loader from
 * node_modules/onnxruntime-web/dist, the dashboard sources (dashboard/src; the served copies are compiled
 * into dashboard/assets.ts) and the native DuckDB addon of the target (@duckdb/node-bindings-linux-<arch>,
 * `duckdb.node` + `libduckdb.so`, extracted by the runtime at start). Needs a connected build host: deno
 * compile downloads the `denort` runtime of each target on first use.
 *
 * Permissions are fixed at compile time; the binary's file access is narrowed by the service sandbox
 * (deploy/gateway.service: ProtectSystem=strict, ReadWritePaths=/var/lib/gateway /opt/gateway).
 */
import { v8FlagsArg } from "../core/app/runtime_flags.ts";
import { VERSION } from "../core/version.ts";
import { isSemVer } from "../core/release/semver.ts";
import { hashFile } from "../core/release/file_hash.ts";

const REPO = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const TARGETS = {
  x86_64: { triple: "x86_64-unknown-linux-gnu", duckdb: "linux-x64" },
  aarch64: { triple: "aarch64-unknown-linux-gnu", duckdb: "linux-arm64" },
} as const;
type Arch = keyof typeof TARGETS;

const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-sys",
  "--allow-ffi",
  "--allow-run",
];

async function duckdbBindings(arch: Arch): Promise<string> {
  const imports = JSON.parse(await Deno.readTextFile(`${REPO}/deno.json`)).imports as Record<string, string>;
  const version = /@([^@]+)$/.exec(imports["@duckdb/node-api"] ?? "")?.[1];
  if (!version) throw new Error('deno.json has no "@duckdb/node-api" import');
  const pkg = `@duckdb/node-bindings-${TARGETS[arch].duckdb}`;
  const dir = `node_modules/.deno/${pkg.replace("/", "+")}@${version}/node_modules/${pkg}`;
  try {
    await Deno.stat(`${REPO}/${dir}/duckdb.node`);
  } catch {
    throw new Error(
      `${dir}/duckdb.node is missing: install ${pkg}@${version} for ${arch} (on an ${arch} build host ` +
        `\`deno install\` fetches it; otherwise unpack \`npm pack ${pkg}@${version}\` into ${dir})`,
    );
  }
  return dir;
}

async function compile(arch: Arch, version: string, out: string): Promise<void> {
  if (version !== VERSION) {
    throw new Error(
      `core/version.ts says ${VERSION}; set it to ${version} before compiling (it is compiled in)`,
    );
  }
  const output = `${out}/gateway-${version}-linux-${arch}`;
  const includes = [
    "wasm/gateway_simd.wasm",
    "wasm/gateway_scalar.wasm",
    "node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm",
    "node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs",
    "dashboard/src",
    await duckdbBindings(arch),
  ];
  const args = [
    "compile",
    "--target",
    TARGETS[arch].triple,
    "--output",
    output,
    ...includes.flatMap((i) => ["--include", i]),
    ...PERMISSIONS,
    v8FlagsArg(),
    "main.ts",
  ];
  console.log(`deno ${args.join(" ")}`);
  const r = await new Deno.Command(Deno.execPath(), { args, cwd: REPO }).output();
  if (!r.success) throw new Error(`deno compile for ${arch} failed (exit ${r.code})`);
  const { sha256, size } = await hashFile(output);
  console.log(`${output}: ${size} bytes, sha256 ${sha256}`);
  console.log(
    `sign it: gateway release sign --artifact ${output} --version ${version} --form binary --arch ${arch} --key KEY --out ${output}.manifest.json`,
  );
}

if (import.meta.main) {
  let version = VERSION;
  let out = `${REPO}/dist`;
  const targets: Arch[] = [];
  for (let i = 0; i < Deno.args.length; i++) {
    const a = Deno.args[i]!;
    const v = Deno.args[++i];
    if (v === undefined) throw new TypeError(`${a} needs a value`);
    if (a === "--version") version = v;
    else if (a === "--out") out = v;
    else if (a === "--target" && (v === "x86_64" || v === "aarch64")) targets.push(v);
    else {throw new TypeError(
        `unknown option ${a} ${v} (options: --version V, --out DIR, --target x86_64|aarch64)`,
      );}
  }
  if (!isSemVer(version)) throw new TypeError(`--version: "${version}" is not a semantic version`);
  await Deno.mkdir(out, { recursive: true });
  try {
    for (const arch of targets.length ? targets : (Object.keys(TARGETS) as Arch[])) {
      await compile(arch, version, out);
    }
  } catch (error) {
    console.error(`compile failed: ${(error as Error).message}`);
    Deno.exit(1);
  }
}

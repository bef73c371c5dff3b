/**
 * @module The whole test suite (`deno task test`): install what is missing, static checks, WASM
 * reproducibility, then every test under tests/. Ends with the line "tests: N passed, M failed".
 */

const deno = Deno.execPath();
const root = new URL("..", import.meta.url).pathname;
const env: Record<string, string> = {
  ...Deno.env.toObject(),
  PATH: `${deno.replace(/\/[^/]+$/, "")}:${Deno.env.get("PATH") ?? ""}`,
};
// node-opcua-crypto saves and restores OPENSSL_CONF around its own openssl use; when the variable was unset it
// "restores" the string "undefined", which breaks every later openssl child of the same test process. Giving it
// a real value keeps the save/restore exact.
if (!env.OPENSSL_CONF) {
  for (const candidate of ["/usr/lib/ssl/openssl.cnf", "/etc/ssl/openssl.cnf"]) {
    try {
      await Deno.stat(candidate);
      env.OPENSSL_CONF = candidate;
      break;
    } catch {
      // try the next location
    }
  }
}

async function step(title: string, cmd: string, args: string[]): Promise<boolean> {
  console.log(`\n== ${title}`);
  const status = await new Deno.Command(cmd, { args, cwd: root, env, stdout: "inherit", stderr: "inherit" })
    .spawn()
    .status;
  if (!status.success) console.log(`== ${title}: FAILED (exit ${status.code})`);
  return status.success;
}

if (!(await step("setup: Debian packages the tests use", "sh", ["scripts/setup.sh", "test"]))) Deno.exit(1);
if (!(await step("setup: npm dependencies", deno, ["install", "--quiet"]))) Deno.exit(1);

let ok = true;
ok = (await step("format", deno, ["fmt", "--check"])) && ok;
ok = (await step("lint", deno, ["lint"])) && ok;
ok = (await step("type check", deno, ["check", "main.ts", "tests/", "bench/", "scripts/"])) && ok;
try {
  await Deno.stat(`${root}wasm/check_committed.sh`);
  ok = (await step("WASM core: rebuild from source and compare with the committed files", "sh", [
    "wasm/check_committed.sh",
  ])) && ok;
} catch {
  // no WASM core yet
}

console.log("\n== tests");
const child = new Deno.Command(deno, {
  args: [
    "test",
    "--allow-read",
    "--allow-write",
    "--allow-net",
    "--allow-env",
    "--allow-sys",
    "--allow-run",
    "--allow-ffi",
    ...Deno.args,
    ...(Deno.args.some((a) => !a.startsWith("-")) ? [] : ["tests/"]),
  ],
  cwd: root,
  env,
  stdout: "piped",
  stderr: "inherit",
}).spawn();
let tail = "";
const decoder = new TextDecoder();
for await (const chunk of child.stdout) {
  await Deno.stdout.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
}
const status = await child.status;
// deno test closes with "ok | 12 passed | 0 failed (3s)" (or FAILED | ...), possibly with colour codes.
// deno-lint-ignore no-control-regex
const plain = tail.replace(/\x1b\[[0-9;]*m/g, "");
const m = [...plain.matchAll(/(\d+) passed(?: \((\d+) step[s]?\))? \| (\d+) failed/g)].at(-1);
const passed = Number(m?.[1] ?? 0);
let failed = Number(m?.[3] ?? 0);
if (!status.success && failed === 0) failed = 1;
if (!ok && failed === 0) {
  console.log("static checks failed (see above)");
  failed = 1;
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
Deno.exit(status.success && ok ? 0 : 1);

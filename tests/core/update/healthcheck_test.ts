import assert from "node:assert/strict";
import "../../../core/update/healthcheck_command.ts";
import { dispatch } from "../../../core/cli/dispatch.ts";
import { writeHealthFile } from "../../../core/update/health_file.ts";

async function quietly(fn: () => Promise<number>): Promise<number> {
  const [log, err] = [console.log, console.error];
  console.log = console.error = () => {};
  try {
    return await fn();
  } finally {
    [console.log, console.error] = [log, err];
  }
}

Deno.test("healthcheck exits 0 only for a healthy answer (degraded on request), over HTTP and from the health file", async () => {
  let status = "ok";
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ status, version: "1.2.3" }),
  );
  const dir = await Deno.makeTempDir({ prefix: "healthcheck_test_" });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/api/v1/health`;
    assert.equal(await quietly(() => dispatch(["healthcheck", "--url", url])), 0);
    status = "degraded";
    assert.equal(await quietly(() => dispatch(["healthcheck", "--url", url])), 1);
    assert.equal(await quietly(() => dispatch(["healthcheck", "--url", url, "--accept-degraded"])), 0);
    const file = `${dir}/health.json`;
    assert.equal(await quietly(() => dispatch(["healthcheck", "--file", file])), 1, "missing file");
    await writeHealthFile(file, { pid: 1, version: "1.2.3", status: "ok", ts: Date.now() });
    assert.equal(await quietly(() => dispatch(["healthcheck", "--file", file])), 0);
    await writeHealthFile(file, { pid: 1, version: "1.2.3", status: "ok", ts: Date.now() - 60_000 });
    assert.equal(await quietly(() => dispatch(["healthcheck", "--file", file])), 1, "stale record");
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import YAML from "yaml";
import { dispatch } from "../../../core/mod.ts";
import "../../../adapters/opcua/mod.ts";
import { opcuaSchema } from "../../../adapters/opcua/schema.ts";
import { startOpcuaPlant } from "../../../demo/opcua_plant.ts";

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const code = await dispatch(argv, { log: console.log, error: console.error } as Console);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("gateway browse prints the address space and a ready YAML source block", async (t) => {
  const plant = await startOpcuaPlant();
  const dir = await Deno.makeTempDir();
  const pki = ["--pki", `${dir}/pki`];
  try {
    await t.step("tree", async () => {
      const { code, out } = await cli(["browse", plant.endpoint, "--depth", "2", ...pki]);
      assert.equal(code, 0, out);
      assert.match(out, /^└─ Plant {2}\[ns=1;i=\d+\]$/m);
      assert.match(out, /^ {3}├─ pump1_flow : Double {2}\[ns=1;s=Plant\.pump1_flow\]$/m);
      assert.match(out, /press2_strokes : UInt32/);
      assert.ok(!out.includes("ServerStatus"), "the Server object is skipped");
    });

    await t.step("filtered YAML validates as an opcua source", async () => {
      const { code, out } = await cli([
        "browse",
        plant.endpoint,
        "--yaml",
        "--filter",
        "*pump1*",
        "--name",
        "line1",
        ...pki,
      ]);
      assert.equal(code, 0, out);
      const [block] = YAML.parse(out) as Record<string, unknown>[];
      assert.equal(block!.name, "line1");
      assert.equal(block!.type, "opcua");
      const nodes = block!.nodes as { name: string; node_id: string }[];
      assert.deepEqual(nodes.map((n) => n.name), [
        "plant_pump1_flow",
        "plant_pump1_pressure",
        "plant_pump1_bearing_temp",
        "plant_pump1_running",
      ]);
      assert.equal(nodes[0]!.node_id, "ns=1;s=Plant.pump1_flow");
      const { name: _n, type: _t, ...rest } = block!;
      const parsed = opcuaSchema.parse(rest);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues));
    });

    await t.step("unreachable endpoint and missing URL give clear errors", async () => {
      const missing = await cli(["browse", ...pki]);
      assert.equal(missing.code, 2);
      assert.match(missing.out, /give the endpoint URL/);
      const srv = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (srv.addr as Deno.NetAddr).port;
      srv.close();
      const refused = await cli(["browse", `opc.tcp://127.0.0.1:${port}/x`, ...pki]);
      assert.equal(refused.code, 1);
      assert.match(refused.out, /^browse: opc\.tcp:\/\/127\.0\.0\.1:\d+\/x/m);
    });
  } finally {
    await plant.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { dispatch } from "../../../core/mod.ts";
import "../../../adapters/opcua/mod.ts";

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const out = {
    log: (...a: unknown[]) => lines.push(a.join(" ")),
    error: (...a: unknown[]) => lines.push(a.join(" ")),
  };
  const log = console.log;
  const error = console.error;
  console.log = out.log;
  console.error = out.error;
  try {
    return { code: await dispatch(argv, out as unknown as Console), out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("gateway trust finds the PKI folders of the opcua sources of a config file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/gw.yaml`;
    await Deno.writeTextFile(
      file,
      `gateway: { id: gw, site: s, data_dir: ${dir}/data }
sources:
  - { name: line1, type: opcua, endpoint: "opc.tcp://127.0.0.1:4840", nodes: [{ name: a, node_id: "i=2258" }] }
  - { name: line2, type: opcua, endpoint: "opc.tcp://127.0.0.1:4841", pki_dir: ${dir}/custom,
      nodes: [{ name: a, node_id: "i=2258" }] }
`,
    );
    const empty = await cli(["trust", "list", "--config", file, "--json"]);
    assert.equal(empty.code, 0, empty.out);
    assert.deepEqual(JSON.parse(empty.out), []);
    const one = await cli(["trust", "list", "--config", file, "--source", "line1"]);
    assert.equal(one.code, 0);
    assert.equal(one.out, `PKI ${dir}/data/state/line1/pki:\nno certificates`);
    const both = await cli(["trust", "list", "--config", file]);
    assert.match(both.out, new RegExp(`PKI ${dir}/data/state/line1/pki:[^]*PKI ${dir}/custom:`));
    const none = await cli(["trust", "list", "--config", file, "--source", "nope"]);
    assert.equal(none.code, 1);
    assert.match(none.out, /no opcua source named "nope"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gateway trust explains missing arguments", async () => {
  const neither = await cli(["trust", "list"]);
  assert.equal(neither.code, 1);
  assert.match(neither.out, /give --pki DIR or --config FILE/);
  const noSelector = await cli(["trust", "accept", "--pki", "/nonexistent"]);
  assert.equal(noSelector.code, 2);
  assert.match(noSelector.out, /give a thumbprint prefix, a file name, or "all"/);
  const sub = await cli(["trust", "bogus"]);
  assert.equal(sub.code, 2);
  assert.match(sub.out, /unknown subcommand "bogus"/);
});

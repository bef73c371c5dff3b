import assert from "node:assert/strict";

// The adapter must never change anything on a PLC: no Write, no Call, no node management, no history updates.
const FORBIDDEN = [
  /\.write\s*\(/,
  /writeSingleNode|writeValue|\.call\s*\(|callMethod|addNodes|deleteNodes|addReferences|historyUpdate/,
  /AttributeIds\.Value\s*,\s*value\s*:/,
];

Deno.test("the opcua adapter never calls Write, Call or node management services", async () => {
  const dir = new URL("../../../adapters/opcua/", import.meta.url);
  let files = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".ts")) continue;
    files++;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    for (const re of FORBIDDEN) assert.ok(!re.test(text), `${entry.name} matches ${re}`);
  }
  assert.ok(files >= 10, `read ${files} files`);
});

import assert from "node:assert/strict";
import { crc32 } from "../../../../adapters/mqtt/outbox/mod.ts";

Deno.test("crc32 matches the IEEE check value and the bytewise definition on odd lengths", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const data = new Uint8Array(1001).map((_, i) => (i * 31 + 7) & 0xff);
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  assert.equal(crc32(data), (c ^ 0xffffffff) >>> 0);
  assert.equal(crc32(data, 3, 900), crc32(data.slice(3, 900)));
});

import assert from "node:assert/strict";
import { readMat5 } from "../../scripts/lib/mat5.ts";

/** Little-endian MAT v5 writer for the test (tags, 8-byte padding, small elements). */
function tag(type: number, size: number): Uint8Array {
  const b = new Uint8Array(8), v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, size, true);
  return b;
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const pad8 = (b: Uint8Array) => concat([b, new Uint8Array((8 - (b.length % 8)) % 8)]);
const sub = (type: number, payload: Uint8Array) => concat([tag(type, payload.length), pad8(payload)]);

function name(n: string): Uint8Array {
  const bytes = new TextEncoder().encode(n);
  if (bytes.length > 4) return sub(1, bytes);
  const b = new Uint8Array(8), v = new DataView(b.buffer);
  v.setUint32(0, (bytes.length << 16) | 1, true);
  b.set(bytes, 4);
  return b;
}

function matrix(n: string, cls: number, dims: number[], type: number, payload: Uint8Array): Uint8Array {
  const flags = new Uint8Array(8);
  flags[0] = cls;
  const body = concat([
    sub(6, flags),
    sub(5, new Uint8Array(Int32Array.from(dims).buffer)),
    name(n),
    sub(type, payload),
  ]);
  return concat([tag(14, body.length), body]);
}

async function deflate(b: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([b as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

async function tinyMat(): Promise<Uint8Array> {
  const header = new Uint8Array(128).fill(32);
  header.set(new TextEncoder().encode("MATLAB 5.0 MAT-file, written by mat5_test"));
  header.set([0, 1, 73, 77], 124); // version 0x0100, "IM"
  const signal = Float64Array.from([1.5, -2.25, 3e9, Math.PI, 0, -1e-300]);
  const doubles = matrix("X001_DE_time", 6, [6, 1], 9, new Uint8Array(signal.buffer));
  const rpm = matrix("RPM", 11, [1, 1], 4, new Uint8Array(Uint16Array.from([1797]).buffer));
  const text = matrix("note", 4, [1, 2], 16, new TextEncoder().encode("hi"));
  const compressed = await deflate(concat([rpm]));
  const compressed2 = await deflate(
    matrix("gain", 6, [1, 2], 7, new Uint8Array(Float32Array.from([0.5, 2]).buffer)),
  );
  return concat([
    header,
    doubles,
    tag(15, compressed.length),
    compressed,
    tag(15, compressed2.length),
    compressed2,
    text,
  ]);
}

Deno.test("readMat5 reads a MAT v5 file it wrote: doubles, compressed uint16 and single matrices, skipping char", async () => {
  const path = await Deno.makeTempFile({ suffix: ".mat" });
  try {
    await Deno.writeFile(path, await tinyMat());
    const vars = await readMat5(await Deno.readFile(path));
    assert.deepEqual([...vars.keys()], ["X001_DE_time", "RPM", "gain"]);
    const x = vars.get("X001_DE_time")!;
    assert.equal(x.className, "double");
    assert.deepEqual(x.dims, [6, 1]);
    assert.deepEqual(Array.from(x.data), [1.5, -2.25, 3e9, Math.PI, 0, -1e-300]);
    const rpm = vars.get("RPM")!;
    assert.equal(rpm.className, "uint16");
    assert.deepEqual(Array.from(rpm.data), [1797]);
    assert.deepEqual(Array.from(vars.get("gain")!.data), [0.5, 2]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readMat5 rejects files that are not little-endian MAT v5", async () => {
  await assert.rejects(readMat5(new Uint8Array(10)), RangeError);
  const be = new Uint8Array(128);
  be.set([77, 73], 126);
  await assert.rejects(readMat5(be), TypeError);
  await assert.rejects(readMat5(new Uint8Array(128)), TypeError);
});

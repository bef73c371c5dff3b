import assert from "node:assert/strict";
import { boundaryOf, parseMultipart } from "../../../core/api/multipart.ts";

async function parseWithChunks(body: Uint8Array, boundary: string, chunk: number) {
  const parts: Record<string, string> = {};
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < body.length; i += chunk) c.enqueue(body.slice(i, i + chunk));
      c.close();
    },
  });
  await parseMultipart(stream, boundary, (info) => {
    let text = "";
    return {
      write: (b) => void (text += new TextDecoder().decode(b, { stream: true })),
      close: () => void (parts[`${info.name}${info.filename ? `:${info.filename}` : ""}`] = text),
    };
  });
  return parts;
}

Deno.test("multipart parts are split correctly whatever the chunk boundaries", async () => {
  const form = new FormData();
  form.append("manifest", "line1\r\nline2\r\n--not-a-boundary");
  form.append("artifact", new Blob(["x".repeat(5000) + "\r\n-"]), "a.bin");
  const req = new Request("http://x/", { method: "POST", body: form });
  const boundary = boundaryOf(req.headers.get("content-type")!)!;
  const body = new Uint8Array(await req.arrayBuffer());
  for (const chunk of [1, 7, 64, 4096, body.length]) {
    const parts = await parseWithChunks(body, boundary, chunk);
    assert.equal(parts["manifest"], "line1\r\nline2\r\n--not-a-boundary", `chunk ${chunk}`);
    assert.equal(parts["artifact:a.bin"], "x".repeat(5000) + "\r\n-", `chunk ${chunk}`);
  }
});

Deno.test("a truncated multipart body is an error", async () => {
  const body = new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nhello');
  await assert.rejects(parseWithChunks(body, "b", 5), /ended before its closing boundary/);
});

Deno.test("boundaryOf reads quoted and bare boundaries and ignores other types", () => {
  assert.equal(boundaryOf('multipart/form-data; boundary="a b"'), "a b");
  assert.equal(boundaryOf("multipart/form-data; boundary=xyz"), "xyz");
  assert.equal(boundaryOf("application/json"), undefined);
});

/**
 * @module Request bodies: size-capped reading and JSON validation against the route's schema.
 */
import type { Schema } from "../mod.ts";
import { badRequest, HttpError } from "./http_error.ts";

/** Reads at most `max` bytes of a body; 413 beyond. */
export async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of req.body) {
    total += chunk.length;
    if (total > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, `request body too large: at most ${max} bytes (http.limits.max_body_bytes)`);
}

/** Parses and validates a JSON body; an empty body counts as `{}`. */
export async function jsonBody<T>(req: Request, schema: Schema<T>, max: number): Promise<T> {
  const type = req.headers.get("content-type") ?? "";
  const bytes = await readCapped(req, max);
  let value: unknown = {};
  if (bytes.length > 0) {
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new HttpError(415, `request body must be application/json, got "${type || "no content-type"}"`);
    }
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
  }
  const r = schema.parse(value, "body");
  if (!r.ok) throw badRequest("request body", r.issues);
  return r.value;
}

/**
 * @module Token secrets: `gwt_<id>_<secret>`, stored as a salted SHA-256 and compared in constant time.
 */

const TOKEN_PATTERN = /^gwt_([0-9a-f]{12})_([0-9a-f]{64})$/;

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function unhex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A freshly generated token: the id (public) and the full secret string (shown once). */
export function generateToken(): { id: string; token: string; secret: string } {
  const id = hex(crypto.getRandomValues(new Uint8Array(6)));
  const secret = hex(crypto.getRandomValues(new Uint8Array(32)));
  return { id, token: `gwt_${id}_${secret}`, secret };
}

/** Splits a presented token into id and secret; undefined when it is not shaped like a token. */
export function splitToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** A random salt, hex. */
export function newSalt(): string {
  return hex(crypto.getRandomValues(new Uint8Array(16)));
}

/** SHA-256(salt || secret), hex. */
export async function hashSecret(salt: string, secret: string): Promise<string> {
  const saltBytes = unhex(salt);
  const secretBytes = new TextEncoder().encode(secret);
  const data = new Uint8Array(saltBytes.length + secretBytes.length);
  data.set(saltBytes, 0);
  data.set(secretBytes, saltBytes.length);
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

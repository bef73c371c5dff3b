/**
 * @module Ed25519 public keys of trusted command issuers (WebCrypto), from raw base64 or PEM (SPKI).
 */

/** Decodes standard or URL-safe base64; throws TypeError naming `what` when it is not base64. */
export function fromBase64(text: string, what: string): Uint8Array {
  const clean = text.trim().replace(/-/g, "+").replace(/_/g, "/").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new TypeError(`${what} is not base64`);
  try {
    const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    throw new TypeError(`${what} is not base64`);
  }
}

/** Imports a public key given as base64 of the 32 raw bytes or as a PEM "PUBLIC KEY" block. */
export async function importPublicKey(text: string, what: string): Promise<CryptoKey> {
  const pem = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(text);
  const bytes = fromBase64(pem ? pem[1]! : text, what);
  if (!pem && bytes.length !== 32) {
    throw new TypeError(
      `${what} must be 32 raw Ed25519 bytes in base64 (got ${bytes.length} bytes) or a PEM key`,
    );
  }
  try {
    return await crypto.subtle.importKey(
      pem ? "spki" : "raw",
      bytes as BufferSource,
      { name: "Ed25519" },
      false,
      [
        "verify",
      ],
    );
  } catch (error) {
    throw new TypeError(`${what} is not a valid Ed25519 public key: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Trusted keys by id. */
export class KeyRing {
  private constructor(readonly keys: ReadonlyMap<string, CryptoKey>) {}

  static async load(entries: readonly { id: string; public_key: string }[], path: string): Promise<KeyRing> {
    const keys = new Map<string, CryptoKey>();
    for (const [i, e] of entries.entries()) {
      keys.set(e.id, await importPublicKey(e.public_key, `${path}[${i}].public_key`));
    }
    return new KeyRing(keys);
  }

  /** Whether `signature` over `data` verifies with key `id` (false for unknown keys). */
  async verify(id: string, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const key = this.keys.get(id);
    if (!key) return false;
    return await crypto.subtle.verify(
      { name: "Ed25519" },
      key,
      signature as BufferSource,
      data as BufferSource,
    );
  }
}

/**
 * @module Signed envelopes (TUF style): `{ signed, signatures: [{ keyid, sig }] }`, Ed25519 over the
 * canonical JSON of `signed`, verified against a key set with a k-of-n threshold.
 */
import { canonicalBytes } from "./canonical.ts";
import { fromBase64, toBase64 } from "./encoding.ts";
import { importPublicKey, type PublicKeyInfo, type SigningKey } from "./keys.ts";
import { ReleaseRejectedError } from "./rejection.ts";

/** One signature. */
export interface Signature {
  readonly keyid: string;
  /** Ed25519 signature, base64. */
  readonly sig: string;
}

/** Signed metadata. */
export interface Envelope<T> {
  readonly signed: T;
  readonly signatures: readonly Signature[];
}

/** Signs `signed` with every key. */
export function signEnvelope<T>(signed: T, keys: readonly SigningKey[]): Promise<Envelope<T>> {
  return addSignatures({ signed, signatures: [] }, keys);
}

/** Adds (or replaces) the signatures of `keys` on an envelope; signers can sign one after another. */
export async function addSignatures<T>(
  envelope: Envelope<T>,
  keys: readonly SigningKey[],
): Promise<Envelope<T>> {
  const bytes = canonicalBytes(envelope.signed) as Uint8Array<ArrayBuffer>;
  const mine = new Set(keys.map((k) => k.keyid));
  const signatures: Signature[] = envelope.signatures.filter((s) => !mine.has(s.keyid));
  for (const key of keys) {
    const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, bytes));
    signatures.push({ keyid: key.keyid, sig: toBase64(sig) });
  }
  return { signed: envelope.signed, signatures };
}

/** Outcome of checking the signatures of an envelope. */
export interface SignatureReport {
  /** Distinct trusted key ids with a valid signature. */
  readonly valid: readonly string[];
  /** Key ids that signed but are not trusted. */
  readonly unknown: readonly string[];
  /** Trusted key ids whose signature does not verify. */
  readonly invalid: readonly string[];
}

/** Checks every signature of `envelope` against `keys` (distinct key ids count once). */
export async function checkSignatures(
  envelope: Envelope<unknown>,
  keys: Readonly<Record<string, PublicKeyInfo>>,
): Promise<SignatureReport> {
  const bytes = canonicalBytes(envelope.signed) as Uint8Array<ArrayBuffer>;
  const valid = new Set<string>();
  const unknown = new Set<string>();
  const invalid = new Set<string>();
  for (const [i, s] of envelope.signatures.entries()) {
    const info = Object.hasOwn(keys, s.keyid) ? keys[s.keyid] : undefined;
    if (!info) {
      unknown.add(s.keyid);
      continue;
    }
    let ok = false;
    try {
      const key = await importPublicKey(info, `keys.${s.keyid}`);
      ok = await crypto.subtle.verify(
        "Ed25519",
        key,
        fromBase64(s.sig, `signatures[${i}].sig`) as Uint8Array<ArrayBuffer>,
        bytes,
      );
    } catch {
      ok = false;
    }
    (ok ? valid : invalid).add(s.keyid);
  }
  for (const k of valid) invalid.delete(k);
  return { valid: [...valid], unknown: [...unknown], invalid: [...invalid] };
}

/**
 * Requires at least `threshold` distinct trusted valid signatures; otherwise throws
 * ReleaseRejectedError("threshold" when too few trusted keys signed, "signature" when a trusted signature is bad).
 */
export async function requireThreshold(
  envelope: Envelope<unknown>,
  keys: Readonly<Record<string, PublicKeyInfo>>,
  threshold: number,
  what: string,
): Promise<SignatureReport> {
  const report = await checkSignatures(envelope, keys);
  if (report.valid.length >= threshold) return report;
  const parts = [
    `${what}: ${report.valid.length} valid signature(s) from trusted keys, ${threshold} required`,
  ];
  if (report.invalid.length) parts.push(`invalid signature from ${report.invalid.map(short).join(", ")}`);
  if (report.unknown.length) parts.push(`signed by untrusted key(s) ${report.unknown.map(short).join(", ")}`);
  throw new ReleaseRejectedError(report.invalid.length ? "signature" : "threshold", parts.join("; "));
}

/** Parses an envelope's outer structure; throws ReleaseRejectedError("malformed") naming the problem. */
export function parseEnvelope(json: unknown, what: string): Envelope<unknown> {
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new ReleaseRejectedError("malformed", `${what}: expected an object with "signed" and "signatures"`);
  }
  const o = json as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== "signed" && k !== "signatures");
  if (extra.length) {
    throw new ReleaseRejectedError("malformed", `${what}: unknown key(s) ${extra.join(", ")}`);
  }
  if (!o.signed || typeof o.signed !== "object") {
    throw new ReleaseRejectedError("malformed", `${what}.signed: missing or not an object`);
  }
  if (!Array.isArray(o.signatures)) {
    throw new ReleaseRejectedError("malformed", `${what}.signatures: expected a list`);
  }
  o.signatures.forEach((s, i) => {
    const sig = s as Record<string, unknown> | null;
    if (!sig || typeof sig.keyid !== "string" || typeof sig.sig !== "string") {
      throw new ReleaseRejectedError(
        "malformed",
        `${what}.signatures[${i}]: expected { keyid, sig } strings`,
      );
    }
  });
  return { signed: o.signed, signatures: o.signatures as Signature[] };
}

function short(keyid: string): string {
  return keyid.slice(0, 12);
}

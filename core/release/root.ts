/**
 * @module Root metadata (TUF style): the trusted release keys and their threshold, versioned. A new root is
 * accepted only when signed by a threshold of the current keys AND a threshold of its own keys, and only as
 * the next version, so keys can be rotated (or revoked) without ever trusting an unsigned change.
 */
import { s } from "../schema/mod.ts";
import { formatIssues } from "../schema/format.ts";
import { type Envelope, parseEnvelope, requireThreshold } from "./envelope.ts";
import { keyIdOf, type PublicKeyInfo } from "./keys.ts";
import { fromBase64 } from "./encoding.ts";
import { ReleaseRejectedError } from "./rejection.ts";

/** The signed part of root metadata. */
export interface RootMetadata {
  readonly type: "root";
  /** Increments by one at every rotation. */
  readonly version: number;
  /** Valid signatures from distinct listed keys needed on a release (and on the next root). */
  readonly threshold: number;
  /** Trusted keys by key id (SHA-256 hex of the raw public key). */
  readonly keys: Readonly<Record<string, PublicKeyInfo>>;
  /** When this root was made (RFC 3339), informational. */
  readonly created?: string;
}

const rootSchema = s.object({
  type: s.enum(["root"]),
  version: s.int({ min: 1 }),
  threshold: s.int({ min: 1 }),
  keys: s.record(s.object({ alg: s.enum(["ed25519"]), public: s.string({ minLength: 1 }) })),
  created: s.string().opt(),
});

/** Validates the structure of root metadata (key ids must match their keys). */
export async function parseRoot(json: unknown, what = "root"): Promise<Envelope<RootMetadata>> {
  const env = parseEnvelope(json, what);
  const r = rootSchema.parse(env.signed, `${what}.signed`);
  if (!r.ok) throw new ReleaseRejectedError("malformed", formatIssues(r.issues).join("; "));
  const root = r.value as RootMetadata;
  const ids = Object.keys(root.keys);
  if (root.threshold > ids.length) {
    throw new ReleaseRejectedError(
      "malformed",
      `${what}.signed.threshold: ${root.threshold} exceeds the number of keys (${ids.length})`,
    );
  }
  for (const id of ids) {
    let raw: Uint8Array;
    try {
      raw = fromBase64(root.keys[id]!.public, `${what}.signed.keys.${id}`);
    } catch (error) {
      throw new ReleaseRejectedError("malformed", (error as Error).message, { cause: error });
    }
    if (raw.length !== 32 || (await keyIdOf(raw)) !== id) {
      throw new ReleaseRejectedError("malformed", `${what}.signed.keys.${id}: key id does not match the key`);
    }
  }
  return { signed: root, signatures: env.signatures };
}

/** Accepts an initial (provisioned) root: it must be signed by a threshold of its own keys. */
export async function trustInitialRoot(
  json: unknown,
  what = "trusted root",
): Promise<Envelope<RootMetadata>> {
  const root = await parseRoot(json, what);
  await requireThreshold(root, root.signed.keys, root.signed.threshold, what);
  return root;
}

/**
 * Verifies `next` as the successor of `trusted`: version exactly +1, signed by `trusted`'s threshold of
 * `trusted`'s keys and by its own threshold of its own keys. Throws ReleaseRejectedError("rotation"/...).
 */
export async function verifyRotation(
  trusted: Envelope<RootMetadata>,
  nextJson: unknown,
  what = "root",
): Promise<Envelope<RootMetadata>> {
  const next = await parseRoot(nextJson, what);
  const expected = trusted.signed.version + 1;
  if (next.signed.version !== expected) {
    throw new ReleaseRejectedError(
      "rotation",
      `${what}: root version ${next.signed.version} cannot follow trusted root version ${trusted.signed.version} ` +
        `(expected ${expected})`,
    );
  }
  await requireThreshold(
    next,
    trusted.signed.keys,
    trusted.signed.threshold,
    `${what} (signed by the current keys)`,
  );
  await requireThreshold(next, next.signed.keys, next.signed.threshold, `${what} (signed by its own keys)`);
  return next;
}

/** Applies a chain of rotations in order; returns the newest trusted root. */
export async function applyRotations(
  trusted: Envelope<RootMetadata>,
  chain: readonly unknown[],
): Promise<Envelope<RootMetadata>> {
  let current = trusted;
  for (const [i, json] of chain.entries()) {
    const version = (json as { signed?: { version?: unknown } } | null)?.signed?.version;
    if (typeof version === "number" && version <= current.signed.version) continue; // already applied
    current = await verifyRotation(current, json, `roots[${i}]`);
  }
  return current;
}

/**
 * @module Ed25519 release keys: generation, key ids, and the private/public key file formats.
 */
import { fromBase64, sha256Hex, toBase64 } from "./encoding.ts";

/** A public key as listed in root metadata. */
export interface PublicKeyInfo {
  readonly alg: "ed25519";
  /** Raw 32-byte public key, base64. */
  readonly public: string;
}

/** A key able to sign releases. */
export interface SigningKey {
  readonly keyid: string;
  readonly privateKey: CryptoKey;
  readonly info: PublicKeyInfo;
}

/** The JSON of a private key file (keep it offline, mode 0600). */
export interface PrivateKeyFile {
  readonly type: "gateway-release-private-key";
  readonly alg: "ed25519";
  readonly keyid: string;
  readonly public: string;
  /** PKCS#8 private key, base64. */
  readonly pkcs8: string;
}

/** The JSON of a public key file (distributed, listed in root metadata). */
export interface PublicKeyFile {
  readonly type: "gateway-release-public-key";
  readonly alg: "ed25519";
  readonly keyid: string;
  readonly public: string;
}

/** Key id: SHA-256 (hex) of the raw public key. */
export function keyIdOf(rawPublic: Uint8Array): Promise<string> {
  return sha256Hex(rawPublic);
}

/** Generates a new key pair as the two file contents. */
export async function generateKeyFiles(): Promise<
  { privateFile: PrivateKeyFile; publicFile: PublicKeyFile }
> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const keyid = await keyIdOf(raw);
  const pub = toBase64(raw);
  return {
    privateFile: {
      type: "gateway-release-private-key",
      alg: "ed25519",
      keyid,
      public: pub,
      pkcs8: toBase64(pkcs8),
    },
    publicFile: { type: "gateway-release-public-key", alg: "ed25519", keyid, public: pub },
  };
}

/** Imports a private key file's JSON; throws TypeError naming what is wrong. */
export async function signingKeyFrom(json: unknown, source = "private key"): Promise<SigningKey> {
  const f = json as Partial<PrivateKeyFile> | null;
  if (!f || typeof f !== "object" || f.type !== "gateway-release-private-key") {
    throw new TypeError(
      `${source}: not a gateway release private key file (type must be "gateway-release-private-key")`,
    );
  }
  if (f.alg !== "ed25519") throw new TypeError(`${source}: unsupported algorithm ${String(f.alg)}`);
  const pkcs8 = fromBase64(String(f.pkcs8 ?? ""), `${source}.pkcs8`);
  const raw = fromBase64(String(f.public ?? ""), `${source}.public`);
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", pkcs8 as Uint8Array<ArrayBuffer>, "Ed25519", false, [
      "sign",
    ]);
  } catch (error) {
    throw new TypeError(`${source}: the pkcs8 key cannot be imported`, { cause: error });
  }
  const keyid = await keyIdOf(raw);
  if (f.keyid !== keyid) throw new TypeError(`${source}: keyid does not match the public key`);
  return { keyid, privateKey, info: { alg: "ed25519", public: toBase64(raw) } };
}

/** Validates a public key file's JSON and returns its id and key info. */
export async function publicKeyFrom(
  json: unknown,
  source = "public key",
): Promise<{ keyid: string; info: PublicKeyInfo }> {
  const f = json as Partial<PublicKeyFile> | null;
  if (
    !f || typeof f !== "object" ||
    (f.type !== "gateway-release-public-key" && f.type !== "gateway-release-private-key")
  ) {
    throw new TypeError(`${source}: not a gateway release key file`);
  }
  if (f.alg !== "ed25519") throw new TypeError(`${source}: unsupported algorithm ${String(f.alg)}`);
  const raw = fromBase64(String(f.public ?? ""), `${source}.public`);
  if (raw.length !== 32) {
    throw new TypeError(`${source}.public: an Ed25519 public key has 32 bytes, got ${raw.length}`);
  }
  const keyid = await keyIdOf(raw);
  if (f.keyid !== undefined && f.keyid !== keyid) {
    throw new TypeError(`${source}: keyid does not match the public key`);
  }
  return { keyid, info: { alg: "ed25519", public: toBase64(raw) } };
}

/** Imports a listed public key for verification. */
export function importPublicKey(info: PublicKeyInfo, where: string): Promise<CryptoKey> {
  const raw = fromBase64(info.public, `${where}.public`);
  if (raw.length !== 32) {
    throw new TypeError(`${where}.public: an Ed25519 public key has 32 bytes, got ${raw.length}`);
  }
  return crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "Ed25519", false, ["verify"]);
}

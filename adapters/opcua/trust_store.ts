/**
 * @module Lists, trusts and rejects server certificates kept in a PKI folder (the `gateway trust` workflow).
 */
import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { openPki } from "./pki.ts";

/** One certificate found in the PKI folder. */
export interface CertificateEntry {
  readonly status: "rejected" | "trusted";
  readonly file: string;
  /** SHA-1 thumbprint, lower-case hex without separators (what OPC UA tools show). */
  readonly thumbprint: string;
  readonly subject: string;
  readonly validTo: string;
  /** The application URI from the subjectAltName, when present. */
  readonly applicationUri?: string;
}

async function scan(dir: string, status: CertificateEntry["status"]): Promise<CertificateEntry[]> {
  const out: CertificateEntry[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    throw error;
  }
  for (const e of entries) {
    if (!e.isFile || !/\.(pem|der|crt)$/i.test(e.name)) continue;
    const file = `${dir}/${e.name}`;
    try {
      const cert = new X509Certificate(await Deno.readFile(file));
      const uri = /URI:([^,\s]+)/.exec(cert.subjectAltName ?? "")?.[1];
      out.push({
        status,
        file,
        thumbprint: cert.fingerprint.replaceAll(":", "").toLowerCase(),
        subject: cert.subject.replaceAll("\n", ", "),
        validTo: new Date(cert.validTo).toISOString(),
        ...(uri ? { applicationUri: uri } : {}),
      });
    } catch (error) {
      throw new TypeError(`${file}: not a readable X.509 certificate`, { cause: error });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Every rejected and trusted certificate in `pkiDir`, rejected first. */
export async function listCertificates(pkiDir: string): Promise<CertificateEntry[]> {
  return [
    ...await scan(`${pkiDir}/rejected`, "rejected"),
    ...await scan(`${pkiDir}/trusted/certs`, "trusted"),
  ];
}

/** Finds certificates by thumbprint prefix (≥ 4 hex digits), file name, or "all" (every one with `from` status). */
async function select(pkiDir: string, selector: string, from: CertificateEntry["status"]) {
  const all = await listCertificates(pkiDir);
  if (selector === "all") return all.filter((c) => c.status === from);
  const key = selector.replaceAll(":", "").toLowerCase();
  const found = all.filter((c) =>
    (key.length >= 4 && /^[0-9a-f]+$/.test(key) && c.thumbprint.startsWith(key)) ||
    c.file.endsWith(`/${selector}`)
  );
  if (found.length === 0) {
    throw new RangeError(`no certificate matches "${selector}" in ${pkiDir} (run "gateway trust list")`);
  }
  if (found.length > 1) {
    throw new RangeError(`"${selector}" matches ${found.length} certificates in ${pkiDir}; give more digits`);
  }
  return found;
}

async function move(pkiDir: string, selector: string, to: CertificateEntry["status"]) {
  const from = to === "trusted" ? "rejected" : "trusted";
  const chosen = await select(pkiDir, selector, from);
  const manager = await openPki(pkiDir, false);
  try {
    for (const c of chosen) {
      if (c.status === to) continue;
      const der = Buffer.from(new X509Certificate(await Deno.readFile(c.file)).raw);
      if (to === "trusted") await manager.trustCertificate(der as never);
      else await manager.rejectCertificate(der as never);
    }
  } finally {
    await manager.dispose();
  }
  return chosen.map((c) => ({ ...c, status: to }));
}

/** Trusts rejected certificates (moves them to `trusted/certs`); the next connect attempt uses them. */
export function acceptCertificates(pkiDir: string, selector: string): Promise<CertificateEntry[]> {
  return move(pkiDir, selector, "trusted");
}

/** Withdraws trust (moves certificates back to `rejected/`). */
export function rejectCertificates(pkiDir: string, selector: string): Promise<CertificateEntry[]> {
  return move(pkiDir, selector, "rejected");
}

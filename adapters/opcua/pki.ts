/**
 * @module The client's PKI folder: own certificate, trusted and rejected server certificates.
 */
import { OPCUACertificateManager } from "node-opcua-certificate-manager";

/** Default PKI folder of a source: inside its private state directory. */
export function defaultPkiDir(stateDir: string): string {
  return `${stateDir}/pki`;
}

/**
 * Opens (creating when needed) the PKI folder. Unknown server certificates are rejected and written to
 * `rejected/` unless `autoAccept` is set, in which case they are trusted on first sight.
 */
export async function openPki(dir: string, autoAccept: boolean): Promise<OPCUACertificateManager> {
  await Deno.mkdir(dir, { recursive: true });
  const manager = new OPCUACertificateManager({
    rootFolder: dir,
    automaticallyAcceptUnknownCertificate: autoAccept,
  });
  await manager.initialize();
  return manager;
}

/**
 * @module The client's PKI folder: own certificate, trusted and rejected server certificates.
 */
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import { errorMessage, FatalError } from "../../core/mod.ts";

/** Default PKI folder of a source: inside its private state directory. */
export function defaultPkiDir(stateDir: string): string {
  return `${stateDir}/pki`;
}

/**
 * Opens (creating when needed) the PKI folder. Unknown server certificates are rejected and written to
 * `rejected/` unless `autoAccept` is set, in which case they are trusted on first sight.
 * File watchers are off (under Deno a file moved while being watched throws an uncaught error): the folder is
 * scanned when opened, so callers reopen it to see trust changes made by `gateway trust`.
 */
export async function openPki(dir: string, autoAccept: boolean): Promise<OPCUACertificateManager> {
  try {
    await Deno.mkdir(dir, { recursive: true });
    const manager = new OPCUACertificateManager({
      rootFolder: dir,
      automaticallyAcceptUnknownCertificate: autoAccept,
      disableFileWatchers: true,
    });
    await manager.initialize();
    return manager;
  } catch (error) {
    throw new FatalError(`PKI folder ${dir} cannot be used: ${errorMessage(error)}`, { cause: error });
  }
}

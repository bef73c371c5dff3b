/**
 * @module The gateway's trust store: the provisioned root metadata (update.trusted_keys_file), superseded by
 * rotated roots persisted in `state/trust.json` once verified against it.
 */
import type { Envelope } from "../release/envelope.ts";
import { readJsonFile, writeJsonAtomic } from "../release/json_file.ts";
import { applyRotations, type RootMetadata, trustInitialRoot } from "../release/root.ts";
import type { Layout } from "./layout.ts";
import { exists } from "./layout.ts";

/** Loads and rotates the trusted root. */
export class TrustStore {
  constructor(readonly layout: Layout, readonly provisionedFile: string) {}

  /** The newest trusted root: the persisted rotation or the provisioned file, whichever is newer. */
  async load(): Promise<Envelope<RootMetadata>> {
    const provisioned = await trustInitialRoot(
      await readJsonFile(this.provisionedFile),
      this.provisionedFile,
    );
    if (!(await exists(this.layout.trust))) return provisioned;
    const persisted = await trustInitialRoot(await readJsonFile(this.layout.trust), this.layout.trust);
    return persisted.signed.version >= provisioned.signed.version ? persisted : provisioned;
  }

  /** Verifies `chain` against the current root (without persisting). */
  async rotate(
    chain: readonly unknown[],
  ): Promise<{ before: Envelope<RootMetadata>; after: Envelope<RootMetadata> }> {
    const before = await this.load();
    return { before, after: await applyRotations(before, chain) };
  }

  /** Persists a verified newer root. */
  async save(root: Envelope<RootMetadata>): Promise<void> {
    await writeJsonAtomic(this.layout.trust, root);
  }
}

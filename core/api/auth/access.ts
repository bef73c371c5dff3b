/**
 * @module What a principal may see: tag -> asset -> line -> site, checked against the token's scopes.
 */
import type { GatewayConfig, TagReader } from "../../mod.ts";
import type { Principal } from "./roles.ts";

/** Where tags and assets sit in the plant, from tag metadata, `assets:` and `gateway:`. */
export class Topology {
  readonly site: string;
  readonly #defaultLine: string | undefined;
  readonly #assetLine = new Map<string, string | undefined>();
  readonly #tagAsset = new Map<string, string>();

  constructor(config: GatewayConfig, private readonly tags: TagReader) {
    this.site = config.gateway.site;
    this.#defaultLine = config.gateway.line;
    for (const a of config.assets) {
      this.#assetLine.set(a.id, a.line ?? this.#defaultLine);
      for (const t of a.tags) this.#tagAsset.set(t, a.id);
    }
  }

  /** Asset of a tag: its metadata first, then `assets[].tags`. */
  assetOf(tag: string): string | undefined {
    return this.tags.get(tag)?.meta.asset ?? this.#tagAsset.get(tag);
  }

  /** Line of an asset (or of the gateway for tags without an asset). */
  lineOf(asset: string | undefined): string | undefined {
    if (asset === undefined) return this.#defaultLine;
    return this.#assetLine.has(asset) ? this.#assetLine.get(asset) : this.#defaultLine;
  }

  /** Every asset known from the configuration and the live tags. */
  assets(): string[] {
    const out = new Set(this.#assetLine.keys());
    for (const t of this.tags.list()) if (t.meta.asset) out.add(t.meta.asset);
    return [...out].sort();
  }

  /** Whether a tag is known (live, or listed under an asset). */
  knowsTag(tag: string): boolean {
    return this.tags.get(tag) !== undefined || this.#tagAsset.has(tag);
  }
}

/** A principal's view of the topology. */
export class Access {
  constructor(readonly principal: Principal, readonly topology: Topology) {}

  /** Whether the token sees the whole site. */
  get unrestricted(): boolean {
    const s = this.principal.scopes;
    return s === undefined || s.sites.has(this.topology.site);
  }

  /** Whether data of `asset` (undefined: gateway-level data without an asset) may be shown. */
  asset(asset: string | undefined): boolean {
    const s = this.principal.scopes;
    if (s === undefined || s.sites.has(this.topology.site)) return true;
    const line = this.topology.lineOf(asset);
    if (line !== undefined && s.lines.has(line)) return true;
    return asset !== undefined && s.assets.has(asset);
  }

  /** Whether a tag may be read. Unknown tags are only visible to unrestricted tokens (history may hold them). */
  tag(tag: string): boolean {
    if (this.unrestricted) return true;
    if (!this.topology.knowsTag(tag)) return false;
    return this.asset(this.topology.assetOf(tag));
  }

  /** Assets the token may see, or undefined when it sees everything (no filter needed). */
  visibleAssets(): string[] | undefined {
    if (this.unrestricted) return undefined;
    return this.topology.assets().filter((a) => this.asset(a));
  }
}

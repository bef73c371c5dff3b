/**
 * @module Tag dictionary: samples and rollups store a small integer id; `tags` keeps the id and metadata.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { stableJson, type TagMeta } from "../../core/mod.ts";
import { us } from "./time.ts";

/** Tag id allocation and metadata upserts (called inside the writer's transaction). */
export class TagIds {
  readonly #ids = new Map<string, number>();
  readonly #meta = new Map<string, string>();
  #next = 1;

  /** Loads the dictionary from the database. */
  async load(conn: DuckDBConnection): Promise<void> {
    const r = await conn.runAndReadAll("SELECT tag_id, tag, coalesce(meta::VARCHAR, '') AS meta FROM tags");
    this.#ids.clear();
    this.#meta.clear();
    this.#next = 1;
    for (const row of r.getRowObjectsJS()) {
      const id = Number(row.tag_id);
      this.#ids.set(String(row.tag), id);
      this.#meta.set(String(row.tag), String(row.meta));
      if (id >= this.#next) this.#next = id + 1;
    }
  }

  /** The id of a known tag. */
  get(tag: string): number | undefined {
    return this.#ids.get(tag);
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Every known tag. */
  names(): IterableIterator<string> {
    return this.#ids.keys();
  }

  /**
   * Ids for `tags`, inserting unknown ones and refreshing changed metadata. Must run inside the caller's
   * transaction; on rollback call {@link load} again.
   */
  async ensure(
    conn: DuckDBConnection,
    tags: Iterable<string>,
    metaOf: (tag: string) => TagMeta | undefined,
    now: number,
  ): Promise<void> {
    for (const tag of tags) {
      const meta = metaOf(tag);
      const json = meta ? stableJson(meta) : "";
      const known = this.#ids.get(tag);
      if (known !== undefined && (this.#meta.get(tag) === json || json === "")) continue;
      const id = known ?? this.#next++;
      const p = [
        id,
        tag,
        meta?.source ?? null,
        meta?.dataType ?? null,
        meta?.unit ?? null,
        meta?.description ?? null,
        meta?.asset ?? null,
        json === "" ? null : json,
        us(now),
      ];
      await conn.run(
        `INSERT INTO tags VALUES ($1, $2, $3, $4, $5, $6, $7, $8::JSON, make_timestamp($9::BIGINT), make_timestamp($9::BIGINT))
         ON CONFLICT (tag_id) DO UPDATE SET source = excluded.source, data_type = excluded.data_type,
           unit = excluded.unit, description = excluded.description, asset = excluded.asset,
           meta = excluded.meta, updated_at = excluded.updated_at`,
        p,
      );
      this.#ids.set(tag, id);
      this.#meta.set(tag, json);
    }
  }
}

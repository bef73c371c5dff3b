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
   * transaction; on rollback call {@link load} again. Rows go in multi-row statements of {@link UPSERT_ROWS}:
   * DuckDB pins a fresh 256 KiB block per upsert statement until COMMIT, so one statement per tag ran a
   * 512 MiB database out of memory at the first batch of a 10,000-item OPC UA server (and every retry).
   */
  async ensure(
    conn: DuckDBConnection,
    tags: Iterable<string>,
    metaOf: (tag: string) => TagMeta | undefined,
    now: number,
  ): Promise<void> {
    const rows: { tag: string; id: number; json: string; params: unknown[] }[] = [];
    const pendingIds = new Map<string, number>();
    let next = this.#next;
    for (const tag of tags) {
      const meta = metaOf(tag);
      const json = meta ? stableJson(meta) : "";
      const known = this.#ids.get(tag) ?? pendingIds.get(tag);
      if (known !== undefined && (this.#meta.get(tag) === json || json === "")) continue;
      if (pendingIds.has(tag)) continue;
      const id = known ?? next++;
      pendingIds.set(tag, id);
      rows.push({
        tag,
        id,
        json,
        params: [
          id,
          tag,
          meta?.source ?? null,
          meta?.dataType ?? null,
          meta?.unit ?? null,
          meta?.description ?? null,
          meta?.asset ?? null,
          json === "" ? null : json,
        ],
      });
    }
    for (let off = 0; off < rows.length; off += UPSERT_ROWS) {
      const chunk = rows.slice(off, off + UPSERT_ROWS);
      const params: unknown[] = [us(now)];
      const values = chunk.map((r) => {
        const p = r.params.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        return `(${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]}, ${p[5]}, ${p[6]}, ${p[7]}::JSON, ` +
          "make_timestamp($1::BIGINT), make_timestamp($1::BIGINT))";
      });
      await conn.run(
        `INSERT INTO tags VALUES ${values.join(", ")}
         ON CONFLICT (tag_id) DO UPDATE SET source = excluded.source, data_type = excluded.data_type,
           unit = excluded.unit, description = excluded.description, asset = excluded.asset,
           meta = excluded.meta, updated_at = excluded.updated_at`,
        params as never,
      );
    }
    for (const r of rows) {
      this.#ids.set(r.tag, r.id);
      this.#meta.set(r.tag, r.json);
    }
    this.#next = Math.max(this.#next, next);
  }
}

/** Tag rows per upsert statement. */
export const UPSERT_ROWS = 500;

/**
 * @module Database size: used blocks (what retention budgets), file size, WAL size and buffer memory.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/** Sizes in bytes. */
export interface DbSize {
  /** Blocks in use × block size: what the data occupies (freed blocks are reused by later writes). */
  readonly used: number;
  /** Size of the database file on disk. */
  readonly file: number;
  readonly wal: number;
  /** Memory DuckDB's buffer manager holds now (bounded by `memory_limit_mb`), in all and by tag. */
  readonly memory: number;
  readonly memoryByTag: Record<string, number>;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

/** Current sizes of the database at `path`. */
export async function dbSize(conn: DuckDBConnection, path: string): Promise<DbSize> {
  const r = await conn.runAndReadAll(
    "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()",
  );
  const row = r.getRowObjectsJS()[0];
  const used = row ? Number(row.block_size) * Number(row.used_blocks) : 0;
  const mem = await conn.runAndReadAll("SELECT tag, memory_usage_bytes FROM duckdb_memory()");
  const memoryByTag: Record<string, number> = {};
  let memory = 0;
  for (const m of mem.getRowObjectsJS()) {
    const bytes = Number(m.memory_usage_bytes);
    memory += bytes;
    if (bytes > 0) memoryByTag[String(m.tag).toLowerCase()] = bytes;
  }
  return { used, file: await fileSize(path), wal: await fileSize(`${path}.wal`), memory, memoryByTag };
}

/** Rows per table (approximate counts are not available in DuckDB; these are exact and cheap). */
export async function rowCounts(conn: DuckDBConnection): Promise<Record<string, number>> {
  const r = await conn.runAndReadAll(
    "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name",
  );
  const out: Record<string, number> = {};
  for (const row of r.getRowObjectsJS()) out[String(row.table_name)] = Number(row.estimated_size);
  return out;
}

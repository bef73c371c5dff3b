/**
 * @module Export through a running gateway's HTTP API (the gateway holds the database lock):
 * `GET {url}/api/v1/export?from&to&kind&interval&layout&tags&assets&format` with a bearer token; the body is
 * the file.
 */
import type { ExportKind, FeatureLayout, RollupInterval } from "../../core/mod.ts";

/** The route the HTTP API serves exports on (it calls HistoryReader.exportRange). */
export const EXPORT_ROUTE = "/api/v1/export";

/** Downloads an export into `out` (via `<out>.partial`), reporting progress from Content-Length. */
export async function exportRemote(options: {
  url: string;
  token?: string;
  from: number;
  to: number;
  /** Omitted from the URL for samples, so gateways that predate kinds still answer. */
  kind?: ExportKind;
  interval?: RollupInterval;
  layout?: FeatureLayout;
  tags?: readonly string[];
  assets?: readonly string[];
  format: "parquet" | "csv";
  out: string;
  onProgress?: (share: number) => void;
}): Promise<{ bytes: number; rows?: number }> {
  const u = new URL(EXPORT_ROUTE, options.url.endsWith("/") ? options.url : `${options.url}/`);
  u.searchParams.set("from", String(options.from));
  u.searchParams.set("to", String(options.to));
  u.searchParams.set("format", options.format);
  if (options.kind !== undefined && options.kind !== "samples") u.searchParams.set("kind", options.kind);
  if (options.interval !== undefined) u.searchParams.set("interval", options.interval);
  if (options.layout !== undefined) u.searchParams.set("layout", options.layout);
  if (options.tags?.length) u.searchParams.set("tags", options.tags.join(","));
  if (options.assets?.length) u.searchParams.set("assets", options.assets.join(","));
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(u, { headers });
  } catch (error) {
    throw new Error(`cannot reach the gateway at ${options.url}`, { cause: error });
  }
  if (!res.ok || !res.body) {
    const text = (await res.text().catch(() => "")).slice(0, 500);
    throw new Error(
      `gateway answered ${res.status} ${res.statusText} for ${u.pathname}${text ? `: ${text}` : ""}`,
    );
  }
  const total = Number(res.headers.get("content-length") ?? 0);
  const rows = res.headers.get("x-export-rows");
  const partial = `${options.out}.partial`;
  const file = await Deno.open(partial, { write: true, create: true, truncate: true });
  let bytes = 0;
  try {
    for await (const chunk of res.body) {
      let off = 0;
      while (off < chunk.length) off += await file.write(chunk.subarray(off));
      bytes += chunk.length;
      if (total > 0) options.onProgress?.(Math.min(0.99, bytes / total));
    }
  } catch (error) {
    file.close();
    await Deno.remove(partial).catch(() => {});
    throw new Error(`download from ${options.url} broke off after ${bytes} bytes`, { cause: error });
  }
  file.close();
  await Deno.rename(partial, options.out);
  return rows === null ? { bytes } : { bytes, rows: Number(rows) };
}

/**
 * @module `deno task report`: writes docs/performance.md from the latest proof results (docs/proof/soak_latest.json,
 * docs/proof/chaos_latest.json): the figures, the machine they came from, and the peers' published numbers beside
 * them, labelled as published elsewhere.
 */
import { ANCHORS } from "./proof/anchors.ts";
import { renderReport } from "./proof/report_md.ts";

const ROOT = new URL("../", import.meta.url).pathname;

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

if (import.meta.main) {
  const soakPath = Deno.args[0] ?? `${ROOT}docs/proof/soak_latest.json`;
  const chaosPath = Deno.args[1] ?? `${ROOT}docs/proof/chaos_latest.json`;
  const soak = await readJson(soakPath);
  const chaos = await readJson(chaosPath);
  if (!soak && !chaos) {
    console.error(`report: no results found (${soakPath}, ${chaosPath}); run deno task soak / chaos first`);
    Deno.exit(1);
  }
  const out = `${ROOT}docs/performance.md`;
  await Deno.writeTextFile(out, renderReport(soak as never, chaos as never, ANCHORS));
  console.log(`report: wrote ${out}`);
}

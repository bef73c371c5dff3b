/**
 * @module Loader of a NAB data file (`timestamp,value`) and its label windows.
 */

/** One NAB series with its windows. */
export interface NabSeries {
  readonly name: string;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly windows: readonly (readonly [number, number])[];
}

/** NAB timestamps ("2013-12-02 21:15:00[.000000]") as UTC ms. */
export function nabTime(text: string): number {
  const t = Date.parse(text.trim().replace(" ", "T").replace(/\.\d+$/, "") + "Z");
  if (!Number.isFinite(t)) throw new TypeError(`bad NAB timestamp "${text}"`);
  return t;
}

/** Loads `data/<key>` and its windows from `labels/combined_windows.json` under `root`. */
export async function loadNab(root: string, key: string): Promise<NabSeries> {
  const text = await Deno.readTextFile(`${root}/data/${key}`);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const ts = new Float64Array(lines.length - 1);
  const values = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const [t, v] = lines[i]!.split(",");
    ts[i - 1] = nabTime(t!);
    values[i - 1] = Number(v);
    if (!Number.isFinite(values[i - 1])) throw new TypeError(`${key}:${i + 1}: value "${v}" is not a number`);
  }
  const all = JSON.parse(await Deno.readTextFile(`${root}/labels/combined_windows.json`)) as Record<
    string,
    [string, string][]
  >;
  const w = all[key];
  if (!w) throw new TypeError(`no label windows for ${key}`);
  return { name: key, ts, values, windows: w.map(([a, b]) => [nabTime(a), nabTime(b)] as const) };
}

/** Published raw per-file scores of every detector for `key` and a profile, from results/<det>/*_scores.csv. */
export async function publishedScores(
  root: string,
  key: string,
  profile: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of Deno.readDirSync(`${root}/results`)) {
    if (!d.isDirectory) continue;
    let text: string;
    try {
      text = await Deno.readTextFile(`${root}/results/${d.name}/${d.name}_${profile}_scores.csv`);
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      const cells = line.split(",");
      if (cells[2] === key) out.set(d.name, Number(cells[4]));
    }
  }
  return out;
}

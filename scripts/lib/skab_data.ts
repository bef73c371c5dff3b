/**
 * @module Loader of SKAB experiment files (`;`-separated, 1 Hz, anomaly/changepoint labels).
 */

/** One labelled SKAB experiment. */
export interface SkabFile {
  readonly name: string;
  readonly columns: readonly string[];
  readonly ts: Float64Array;
  /** Row-major values of `columns`. */
  readonly rows: readonly Float64Array[];
  readonly anomaly: Float64Array;
}

/** The sensor columns of SKAB. */
export const SKAB_COLUMNS = [
  "Accelerometer1RMS",
  "Accelerometer2RMS",
  "Current",
  "Pressure",
  "Temperature",
  "Thermocouple",
  "Voltage",
  "Volume Flow RateRMS",
] as const;

/** Parses one file; throws TypeError naming the file, line and column of bad content. */
export function parseSkab(name: string, text: string): SkabFile {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0]?.split(";") ?? [];
  const idx = SKAB_COLUMNS.map((c) => header.indexOf(c));
  const ai = header.indexOf("anomaly");
  if (idx.some((i) => i < 0) || ai < 0) {
    throw new TypeError(`${name}: header lacks one of ${[...SKAB_COLUMNS, "anomaly"].join(", ")}`);
  }
  const n = lines.length - 1;
  const ts = new Float64Array(n);
  const anomaly = new Float64Array(n);
  const rows: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1]!.split(";");
    ts[r] = Date.parse(cells[0]!.replace(" ", "T") + "Z");
    if (!Number.isFinite(ts[r])) throw new TypeError(`${name}:${r + 2}: bad datetime "${cells[0]}"`);
    const row = new Float64Array(idx.length);
    idx.forEach((ci, j) => {
      const v = Number(cells[ci]);
      if (!Number.isFinite(v)) {
        throw new TypeError(`${name}:${r + 2}: column ${SKAB_COLUMNS[j]} is "${cells[ci]}"`);
      }
      row[j] = v;
    });
    rows.push(row);
    anomaly[r] = Number(cells[ai]);
  }
  return { name, columns: SKAB_COLUMNS, ts, rows, anomaly };
}

/** Every labelled file under `root` (valve1, valve2, other), sorted by path. */
export async function loadSkab(root: string): Promise<SkabFile[]> {
  const out: SkabFile[] = [];
  for (const group of ["valve1", "valve2", "other"]) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(`${root}/${group}`)];
    } catch {
      continue;
    }
    const names = entries.filter((e) => e.isFile && e.name.endsWith(".csv")).map((e) => e.name);
    names.sort((a, b) => parseInt(a) - parseInt(b));
    for (const n of names) {
      out.push(parseSkab(`${group}/${n}`, await Deno.readTextFile(`${root}/${group}/${n}`)));
    }
  }
  return out;
}

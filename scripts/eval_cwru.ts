/**
 * @module CWRU bearing evaluation of the signal core: `deno task eval:cwru [--data DIR]`.
 * For each .mat file: drive-end RMS and kurtosis, the envelope spectrum (band 2–5 kHz, Hilbert,
 * Hann) and the lines near BPFI/BPFO with their ratio to the local median. Skips (exit 0) when
 * the data directory is missing.
 */
import { loadSignalCore, type SignalCore } from "../wasm/mod.ts";
import { readMat5 } from "./lib/mat5.ts";

/** SKF 6205-2RS drive-end bearing (CWRU bearing information). */
const BEARING = { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537, contactAngleDeg: 0 };
/** Records sampled at 48 kHz (the normal baseline, see the data README); the rest are 12 kHz. */
const FS_48K = new Set([97, 98, 99, 100]);
const BAND: [number, number] = [2000, 5000];
/** A defect line counts as present when it stands this many times above the local median. */
const PRESENT = 10;

function argValue(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : Deno.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function exists(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(dir)).isDirectory;
  } catch {
    return false;
  }
}

interface Row {
  file: string;
  line: string;
}

async function evaluate(core: SignalCore, dir: string, file: string): Promise<Row> {
  const vars = await readMat5(await Deno.readFile(`${dir}/${file}`));
  const de = [...vars.values()].find((v) => v.name.endsWith("_DE_time"));
  if (!de) return { file, line: "no drive-end channel" };
  const no = Number(/^(\d+)/.exec(file)?.[1] ?? NaN);
  const rpm = [...vars.values()].find((v) => /RPM$/.test(v.name))?.data[0] ?? 1797;
  let x = de.data, fs = FS_48K.has(no) ? 48000 : 12000;
  if (fs === 48000) {
    x = core.decimate(x, 4); // to 12 kHz, like the 12 kHz fault records
    fs = 12000;
  }
  const st = core.stats(x);
  const f = core.bearingFrequencies(BEARING, rpm / 60);
  const env = core.envelopeSpectrum(x, { fs, band: BAND });
  // Search ±2% (slip moves the lines), median over ±20% of each defect frequency.
  const [ir, or] = [f.bpfi, f.bpfo].map((hz) => ({
    ...core.valuesAt(env, [hz], 0.02 * hz, 0.2)[0]!,
    expected: hz,
  }));
  const fmt = (v: typeof ir) =>
    `${v!.frequency.toFixed(2)} Hz (expected ${v!.expected.toFixed(2)}, ${
      ((100 * (v!.frequency - v!.expected)) / v!.expected).toFixed(2)
    }%), ${v!.ratioToMedian.toFixed(1)}× median`;
  const verdict = ir!.ratioToMedian >= PRESENT && ir!.ratioToMedian > or!.ratioToMedian
    ? "inner-race fault (BPFI line)"
    : or!.ratioToMedian >= PRESENT
    ? "outer-race fault (BPFO line)"
    : "no bearing defect line";
  return {
    file,
    line: `| ${file} | ${de.data.length} @ ${FS_48K.has(no) ? "48k→12k" : "12k"} | ${rpm} | ${
      st.rms.toFixed(4)
    } | ${st.kurtosis.toFixed(2)} | ${fmt(ir)} | ${fmt(or)} | ${verdict} |`,
  };
}

async function main(): Promise<void> {
  const dir = argValue("--data") ?? "../shared/data/cwru";
  if (!(await exists(dir))) {
    console.log(`eval:cwru: data directory ${dir} not found; skipping`);
    return;
  }
  const files = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".mat")) files.push(e.name);
  files.sort((a, b) => parseInt(a) - parseInt(b));
  const prefer = argValue("--core");
  if (prefer !== undefined && prefer !== "simd" && prefer !== "scalar" && prefer !== "js") {
    throw new TypeError(`--core must be simd, scalar or js, got ${prefer}`);
  }
  const core = await loadSignalCore(prefer ? { prefer } : {});
  console.log(`# CWRU drive-end evaluation (${core.kind} core, envelope band ${BAND[0]}–${BAND[1]} Hz)\n`);
  console.log("| file | samples | RPM | DE RMS | DE kurtosis | peak near BPFI | peak near BPFO | verdict |");
  console.log("|---|---|---:|---:|---:|---|---|---|");
  for (const file of files) console.log((await evaluate(core, dir, file)).line);
}

await main();

/**
 * @module Command-line options shared by the proof scripts: `--minutes N`, `--scale F`, `--out FILE`, plan
 * overrides (`--opcua-items N`, ...). Bad values are refused with a message naming the option.
 */
import { FULL_PLAN, type LoadPlan } from "./config.ts";

/** Parsed options. */
export interface ProofArgs {
  readonly minutes: number;
  readonly scale: number;
  readonly out: string | undefined;
  readonly sampleS: number;
  readonly keep: boolean;
  readonly plan: LoadPlan;
}

const PLAN_KEYS: Record<string, keyof LoadPlan> = {
  "opcua-items": "opcuaItems",
  "opcua-interval-ms": "opcuaIntervalMs",
  "modbus-devices": "modbusDevices",
  "modbus-registers": "modbusRegisters",
  "vibration-channels": "vibrationChannels",
  "outbox-max-bytes": "outboxMaxBytes",
};

/** Parses `args`; `defaults` gives the script's own defaults. */
export function parseArgs(
  args: readonly string[],
  defaults: { minutes: number; plan?: Partial<LoadPlan> },
): ProofArgs {
  const num = (name: string, raw: string | undefined, min: number): number => {
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v < min) {
      throw new RangeError(
        `--${name}: expected a number >= ${min}, got ${raw === undefined ? "nothing" : `"${raw}"`}`,
      );
    }
    return v;
  };
  let minutes = defaults.minutes;
  let scale = 1;
  let out: string | undefined;
  let sampleS = 0;
  let keep = false;
  const plan: Record<string, unknown> = { ...FULL_PLAN, ...defaults.plan };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = () => inline ?? args[++i];
    const name = flag.replace(/^--/, "");
    if (flag === "--minutes") minutes = num(name, value(), 0.5);
    else if (flag === "--scale") scale = num(name, value(), 0.001);
    else if (flag === "--out") out = value();
    else if (flag === "--sample-s") sampleS = num(name, value(), 1);
    else if (flag === "--keep") keep = true;
    else if (flag === "--uplink-raw") plan["uplinkRaw"] = true;
    else if (flag === "--no-history") plan["history"] = false;
    else if (PLAN_KEYS[name]) plan[PLAN_KEYS[name]!] = num(name, value(), 0);
    else {throw new TypeError(
        `unknown option "${a}" (known: --minutes, --scale, --out, --sample-s, --keep, ` +
          `--uplink-raw, --no-history, ${Object.keys(PLAN_KEYS).map((k) => `--${k}`).join(", ")})`,
      );}
  }
  if (sampleS === 0) sampleS = minutes <= 5 ? 2 : 5;
  return { minutes, scale, out, sampleS, keep, plan: plan as unknown as LoadPlan };
}

/**
 * @module Signal models of a plant: shaft vibration with bearing defects, slow process values, counters.
 */
import { gaussian, uniform } from "./prng.ts";
import type { AnalogSignal, BooleanSignal, CounterSignal, StateSignal, VibrationSignal } from "./schema.ts";

/** Bearing defect frequencies as multiples of the shaft frequency (the textbook kinematic formulas). */
export function bearingOrders(
  b: VibrationSignal["bearing"],
): { bpfo: number; bpfi: number; bsf: number; ftf: number } {
  const ratio = (b.ball_diameter_mm / b.pitch_diameter_mm) * Math.cos((b.contact_angle_deg * Math.PI) / 180);
  return {
    bpfo: (b.balls / 2) * (1 - ratio),
    bpfi: (b.balls / 2) * (1 + ratio),
    bsf: (b.pitch_diameter_mm / (2 * b.ball_diameter_mm)) * (1 - ratio * ratio),
    ftf: 0.5 * (1 - ratio),
  };
}

/** Value of sample k (time t seconds after start) of a signal, deterministic in (seed, stream, k). */
export type Model = (k: number, t: number) => number;

/** Shaft harmonics + white noise + optional bearing impacts ringing a resonance. */
export function vibrationModel(sig: VibrationSignal, seed: number, stream: number): Model {
  const f = sig.shaft_hz;
  const phases = sig.harmonics.map((_, h) => 2 * Math.PI * uniform(seed, stream + 7, h));
  const orders = bearingOrders(sig.bearing);
  const { type, amplitude, resonance_hz: fr, damping_per_s: zeta } = sig.fault;
  const faultHz = type === "outer_race" ? orders.bpfo * f : orders.bpfi * f;
  return (k, t) => {
    let x = 0;
    for (let h = 0; h < sig.harmonics.length; h++) {
      x += sig.harmonics[h]! * Math.sin(2 * Math.PI * f * (h + 1) * t + phases[h]!);
    }
    x += sig.noise * gaussian(seed, stream, k);
    if (type !== "none") {
      const since = t - Math.floor(t * faultHz) / faultHz;
      let impact = amplitude * Math.exp(-zeta * since) * Math.sin(2 * Math.PI * fr * since);
      // An inner-race defect rotates with the shaft: its impacts are modulated once per revolution.
      if (type === "inner_race") impact *= 0.5 * (1 + Math.cos(2 * Math.PI * f * t));
      x += impact;
    }
    return x;
  };
}

/** Base + slow sine + drift + noise (temperatures, pressures, flows). */
export function analogModel(sig: AnalogSignal, seed: number, stream: number): Model {
  return (k, t) =>
    sig.base + sig.amplitude * Math.sin((2 * Math.PI * t) / sig.period_s) + (sig.drift_per_hour * t) / 3600 +
    sig.noise * gaussian(seed, stream, k);
}

/** A counter incremented by a random (Bernoulli-thinned) amount per interval, never decreasing. */
export function counterModel(sig: CounterSignal, seed: number, stream: number): Model {
  const perSample = (sig.rate_per_s * sig.interval_ms) / 1000;
  let lastK = -1;
  let total = 0;
  return (k) => {
    // Deterministic and monotonic: accumulate the increments of the samples since the last call.
    for (let i = lastK + 1; i <= k; i++) total += Math.floor(perSample + uniform(seed, stream, i));
    lastK = Math.max(lastK, k);
    return total;
  };
}

/** A periodic on/off value with a duty cycle. */
export function booleanModel(sig: BooleanSignal): Model {
  return (_k, t) => ((t % sig.period_s) / sig.period_s < sig.duty ? 1 : 0);
}

/** A machine state code cycling through a sequence of durations. */
export function stateModel(sig: StateSignal): Model {
  const total = sig.sequence.reduce((a, st) => a + st.seconds, 0);
  return (_k, t) => {
    let at = t % total;
    for (const st of sig.sequence) {
      if (at < st.seconds) return st.code;
      at -= st.seconds;
    }
    return sig.sequence[sig.sequence.length - 1]!.code;
  };
}

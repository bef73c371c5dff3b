/**
 * @module Health of one polled device: connection state, counters, latency and clock audit figures.
 */
import { type ComponentHealth, HealthTracker } from "../../core/mod.ts";
import type { ClockEstimate } from "../_common/clock_audit.ts";

/** Counters and state of one device, exposed in the source's health details. */
export class DeviceHealth {
  readonly tracker: HealthTracker;
  requests = 0;
  errors = 0;
  timeouts = 0;
  exceptions = 0;
  polls = 0;
  overruns = 0;
  reconnects = 0;
  splits = 0;
  #latencyLast = 0;
  #latencySum = 0;
  #latencyMax = 0;
  #answered = 0;
  clock: ClockEstimate | undefined;

  constructor(clock: () => number) {
    this.tracker = new HealthTracker(clock);
  }

  /** Records an answered request (data or exception) and its latency. */
  answered(latencyMs: number): void {
    this.#answered++;
    this.#latencyLast = latencyMs;
    this.#latencySum += latencyMs;
    this.#latencyMax = Math.max(this.#latencyMax, latencyMs);
  }

  snapshot(): ComponentHealth {
    const t = this.tracker;
    t.detail("requests", this.requests);
    t.detail("errors", this.errors);
    t.detail("timeouts", this.timeouts);
    t.detail("exceptions", this.exceptions);
    t.detail("polls", this.polls);
    t.detail("overruns", this.overruns);
    t.detail("reconnects", this.reconnects);
    t.detail("split_requests", this.splits);
    t.detail("latency_ms", {
      last: round(this.#latencyLast),
      avg: round(this.#answered ? this.#latencySum / this.#answered : 0),
      max: round(this.#latencyMax),
    });
    if (this.clock) {
      t.detail("clock", {
        offset_ms: round(this.clock.offsetMs),
        drift_ppm: round(this.clock.driftPpm),
        samples: this.clock.samples,
        exceeded: this.clock.exceeded,
      });
    }
    return t.snapshot();
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

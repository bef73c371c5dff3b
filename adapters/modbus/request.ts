/**
 * @module One planned read with retries, through the shared limiter, counted in the device's health.
 */
import type { DeviceHealth } from "./device_health.ts";
import type { DeviceConfig } from "./device_schema.ts";
import { classify, type Failure } from "./failure.ts";
import type { RequestLimiter } from "./limiter.ts";
import type { ModbusLink, ReadResponse } from "./link.ts";
import type { ReadRequest } from "./plan.ts";

/** Outcome of a request after its retries. */
export type Outcome =
  | { readonly ok: true; readonly response: ReadResponse }
  | { readonly ok: false; readonly failure: Failure };

/** Reads `req`, retrying timeouts and busy/acknowledge exceptions up to `retries` times. */
export async function runRequest(
  link: ModbusLink,
  limiter: RequestLimiter,
  device: Pick<DeviceConfig, "unit_id" | "timeout_ms" | "retries">,
  req: ReadRequest,
  health: DeviceHealth,
  signal: AbortSignal,
): Promise<Outcome> {
  let failure: Failure | undefined;
  for (let attempt = 0; attempt <= device.retries; attempt++) {
    if (signal.aborted) break;
    if (!link.connected) {
      return { ok: false, failure: failure ?? classify(new Error("not connected"), device.timeout_ms) };
    }
    health.requests++;
    const t0 = performance.now();
    try {
      const response = await limiter.run(
        link.key,
        () => link.read(device.unit_id, req.table, req.address, req.count, device.timeout_ms),
        signal,
      );
      health.answered(performance.now() - t0);
      return { ok: true, response };
    } catch (error) {
      failure = classify(error, device.timeout_ms);
      health.errors++;
      if (failure.kind === "timeout") health.timeouts++;
      if (failure.kind === "exception") {
        health.exceptions++;
        health.answered(performance.now() - t0);
      }
      if (!failure.retryable) break;
    }
  }
  return { ok: false, failure: failure ?? classify(new Error("source stopped"), device.timeout_ms) };
}

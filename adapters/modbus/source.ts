/**
 * @module The `modbus` source: polls every configured device on its own schedule, never throws for device
 * problems, reconnects by itself, and reports health per device.
 */
import {
  type ComponentHealth,
  HealthTracker,
  sleep,
  type Source,
  type SourceContext,
} from "../../core/mod.ts";
import { compileDevice } from "./compile.ts";
import { Connection } from "./connection.ts";
import { DevicePoller } from "./device.ts";
import { endpointKey, endpointOf } from "./link.ts";
import { type RequestLimiter, sharedLimiter } from "./limiter.ts";
import type { ModbusConfig } from "./schema.ts";

let instances = 0;

/** Polls Modbus devices (TCP, RTU, RTU over TCP); read-only. */
export class ModbusSource implements Source {
  readonly #health = new HealthTracker();
  readonly #owner = `modbus#${++instances}`;
  readonly #connections = new Map<string, Connection>();
  #pollers: DevicePoller[] = [];
  #loops: Promise<void>[] = [];
  #abort = new AbortController();
  #removeMetrics: (() => void) | undefined;

  constructor(
    private readonly config: ModbusConfig & { name: string },
    private readonly limiter: RequestLimiter = sharedLimiter,
  ) {}

  start(ctx: SourceContext): Promise<void> {
    this.#abort = new AbortController();
    const signal = AbortSignal.any([ctx.signal, this.#abort.signal]);
    const inner: SourceContext = { ...ctx, signal };
    this.limiter.claim(this.#owner, this.config.max_concurrent_requests);
    for (const device of this.config.devices) {
      const compiled = compileDevice(this.config.name, device);
      ctx.defineTags(compiled.tags);
      const endpoint = endpointOf(device);
      const key = endpointKey(endpoint);
      let conn = this.#connections.get(key);
      if (!conn) {
        conn = new Connection(endpoint, {
          connectTimeoutMs: device.connect_timeout_ms,
          initialBackoffMs: device.reconnect.initial_ms,
          maxBackoffMs: device.reconnect.max_ms,
          now: () => ctx.now(),
        });
        this.#connections.set(key, conn);
      }
      this.#pollers.push(new DevicePoller(device, compiled, conn, this.limiter, inner));
    }
    this.#health.set("reconnecting");
    this.#removeMetrics = this.#registerMetrics(ctx);
    this.#loops = this.#pollers.map((p) => this.#loop(p, signal));
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    for (const c of this.#connections.values()) c.close();
    await Promise.allSettled(this.#loops);
    for (const c of this.#connections.values()) c.close();
    this.limiter.release(this.#owner);
    this.#removeMetrics?.();
    this.#health.set("stopped");
  }

  /** The pollers (for tests and the demo): their plans and health. */
  get devices(): readonly DevicePoller[] {
    return this.#pollers;
  }

  health(): ComponentHealth {
    const devices: Record<string, ComponentHealth> = {};
    let up = 0;
    for (const p of this.#pollers) {
      const h = p.health.snapshot();
      devices[p.config.name] = h;
      if (h.state === "connected") up++;
    }
    if (this.#health.state !== "stopped") {
      this.#health.set(up === this.#pollers.length ? "connected" : up === 0 ? "reconnecting" : "degraded");
      const down = Object.entries(devices).find(([, h]) => h.state !== "connected" && h.lastError);
      if (down) this.#health.error(`${down[0]}: ${down[1].lastError}`);
    }
    this.#health.detail("devices", devices);
    this.#health.detail("limiter", {
      capacity: this.limiter.capacity,
      in_flight: this.limiter.inFlight,
      waiting: this.limiter.waiting,
    });
    return this.#health.snapshot();
  }

  async #loop(poller: DevicePoller, signal: AbortSignal): Promise<void> {
    const interval = poller.config.poll_interval_ms;
    let next = performance.now();
    while (!signal.aborted) {
      await poller.poll();
      next += interval;
      const now = performance.now();
      if (now > next) {
        const missed = Math.ceil((now - next) / interval);
        poller.health.overruns += missed;
        next += missed * interval;
      }
      await sleep(next - now, signal);
    }
  }

  #registerMetrics(ctx: SourceContext): () => void {
    const gauge = ctx.metrics.gauge(
      "modbus_device_connected",
      "1 when the Modbus device answered its last poll",
    );
    const requests = ctx.metrics.gauge(
      "modbus_device_requests",
      "Modbus requests sent per device and result",
    );
    const source = ctx.name;
    const offA = gauge.collect(() =>
      this.#pollers.map((
        p,
      ) => [{ source, device: p.config.name }, p.health.tracker.state === "connected" ? 1 : 0])
    );
    const offB = requests.collect(() =>
      this.#pollers.flatMap((p) =>
        [
          [{ source, device: p.config.name, result: "sent" }, p.health.requests],
          [{ source, device: p.config.name, result: "error" }, p.health.errors],
          [{ source, device: p.config.name, result: "timeout" }, p.health.timeouts],
          [{ source, device: p.config.name, result: "exception" }, p.health.exceptions],
        ] as [Record<string, string>, number][]
      )
    );
    return () => {
      offA();
      offB();
    };
  }
}

/**
 * @module Event-loop lag of the gateway process as Prometheus gauges (service `event_loop_lag`, no config):
 * a timer due every 100 ms measures how late it fires; `gateway_event_loop_lag_seconds{stat="max"|"mean"}`
 * give the worst and mean delay over the last 10 s window. Registered by importing this module.
 */
import { defineService, type Service } from "./service.ts";

const TICK_MS = 100;
const WINDOW_MS = 10_000;

defineService({
  name: "event_loop_lag",
  start: (ctx) => {
    const gauge = ctx.pipeline.metrics.gauge(
      "gateway_event_loop_lag_seconds",
      "How late a 100 ms timer fires: worst and mean over the last 10 s",
    );
    let expected = performance.now() + TICK_MS;
    let window: { max: number; sum: number; n: number } = { max: 0, sum: 0, n: 0 };
    let last = { max: 0, mean: 0 };
    let windowStart = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const lag = Math.max(0, now - expected);
      expected = now + TICK_MS;
      window.max = Math.max(window.max, lag);
      window.sum += lag;
      window.n++;
      if (now - windowStart >= WINDOW_MS) {
        last = { max: window.max, mean: window.n > 0 ? window.sum / window.n : 0 };
        window = { max: 0, sum: 0, n: 0 };
        windowStart = now;
      }
    }, TICK_MS);
    const remove = gauge.collect(() => {
      // Until the first window closes, report the open one.
      const cur = last.max > 0 || window.n === 0 ? last : { max: window.max, mean: window.sum / window.n };
      return [[{ stat: "max" }, cur.max / 1000], [{ stat: "mean" }, cur.mean / 1000]];
    });
    const service: Service = {
      stop() {
        clearInterval(timer);
        remove();
        return Promise.resolve();
      },
    };
    return Promise.resolve(service);
  },
});

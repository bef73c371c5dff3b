/**
 * @module Small shared utilities: FIFO deque, backoff, stable JSON, quantile sketch.
 */
export * from "./deque.ts";
export * from "./backoff.ts";
export * from "./stable_json.ts";
export * from "./quantile_sketch.ts";

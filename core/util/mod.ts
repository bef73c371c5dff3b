/**
 * @module Small shared utilities: FIFO deque, backoff, stable JSON.
 */
export * from "./deque.ts";
export * from "./backoff.ts";
export * from "./stable_json.ts";

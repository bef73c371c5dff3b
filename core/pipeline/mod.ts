/**
 * @module The pipeline: components wired by `inputs`, bounded sink queues, reload without needless restarts.
 */
export * from "./pipeline.ts";
export * from "./sink_runner.ts";
export * from "./routes.ts";
export { componentKey } from "./components.ts";

/**
 * @module Registers the core transforms (features, anomaly, rollup, kpi). main.ts imports this once.
 */
import "../features/mod.ts";
import "../anomaly/mod.ts";
import "../rollup/mod.ts";
import "../kpi/mod.ts";

/**
 * @module The core commands: run, check, version, config-sample.
 */
import "./run.ts";
import "./check.ts";
import "./version.ts";
import "./config_sample.ts";

/**
 * @module The list of benchmark suites; each area adds its suite here.
 */
import type { BenchSuite } from "./harness.ts";
import { fftSuite } from "./fft_bench.ts";
import { ringSuite } from "./ring_bench.ts";
import { modbusSuite } from "./modbus_bench.ts";
import { historySuite } from "./history_bench.ts";
import { apiBench } from "./api_bench.ts";
import { mqttSuite } from "./mqtt_bench.ts";
import { featuresSuite } from "./features_bench.ts";
import { opcuaSuite } from "./opcua_bench.ts";
import { releaseSuite } from "./release_bench.ts";

export const suites: BenchSuite[] = [
  ringSuite,
  fftSuite,
  modbusSuite,
  historySuite,
  apiBench,
  mqttSuite,
  opcuaSuite,
  featuresSuite,
  releaseSuite,
];

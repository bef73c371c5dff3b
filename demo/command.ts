/**
 * @module `gateway demo`: an embedded plant (OPC UA server, Modbus device, vibration DAQ, MQTT broker) read
 * through the real adapters, with history, features, anomaly scoring, the uplink and the dashboard.
 */
import YAML from "yaml";
import { defineCommand, Gateway, parseConfig } from "../core/mod.ts";
import { DEMO_CONFIG } from "./plant_config.ts";
import { startDemoBroker } from "./mqtt_broker.ts";
import { modbusPlantConfig, startModbusPlant } from "./modbus_plant.ts";
import { opcuaPlantSourceYaml, startOpcuaPlant } from "./opcua_plant.ts";
import { PlantDriver } from "./plant.ts";

/** Resolves to `port` if it is free on 127.0.0.1, else 0 (any free port). */
function freeOr(port: number): number {
  if (port === 0) return 0;
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return port;
  } catch {
    return 0;
  }
}

defineCommand({
  name: "demo",
  summary: "Run the gateway on an embedded simulated plant",
  details:
    "Starts an embedded OPC UA server and Modbus device fed by a simulated plant (flows, pressures,\n" +
    "temperatures with faults, counters, states), a 25.6 kHz vibration channel with a bearing defect and an\n" +
    "MQTT broker, then runs the gateway on them: history, features, anomaly scores, alerts, the uplink and\n" +
    "the dashboard. Stop with Ctrl-C.",
  options: {
    duration: {
      type: "number",
      arg: "SECONDS",
      description: "Stop after this many seconds (0 runs until Ctrl-C).",
      default: 0,
    },
    "data-dir": {
      type: "string",
      arg: "DIR",
      description: "Directory for the demo's state.",
      default: "./data/demo",
    },
    port: {
      type: "number",
      arg: "PORT",
      description: "Dashboard port (0 = any free port; a busy port falls back to any).",
      default: 8080,
    },
    "log-level": {
      type: "string",
      arg: "LEVEL",
      description: "debug, info, warn or error.",
      default: "info",
    },
    "print-config": {
      type: "boolean",
      description: "Print the demo configuration and exit.",
      default: false,
    },
  },
  async run({ options }) {
    if (options["print-config"]) {
      console.log(DEMO_CONFIG.trim());
      return 0;
    }
    const dataDir = options["data-dir"] as string;
    await Deno.mkdir(dataDir, { recursive: true });
    const broker = await startDemoBroker();
    const modbus = await startModbusPlant();
    const opcua = await startOpcuaPlant({ pkiDir: `${dataDir}/opcua-plant-pki` });
    const driver = new PlantDriver(opcua, modbus);
    let gateway: Gateway | undefined;
    try {
      await driver.start();
      const httpPort = freeOr(options.port as number);
      const values: Record<string, string> = {
        DEMO_DATA_DIR: dataDir,
        DEMO_HTTP_PORT: String(httpPort),
        DEMO_MQTT_URL: broker.url,
        DEMO_LOG_LEVEL: options["log-level"] as string,
      };
      const doc = YAML.parse(DEMO_CONFIG) as { sources: unknown[] };
      doc.sources.push(...(YAML.parse(opcuaPlantSourceYaml(opcua.endpoint, { name: "opcua" })) as unknown[]));
      doc.sources.push(modbusPlantConfig(modbus.port, { name: "plc" }));
      const config = parseConfig(YAML.stringify(doc), { sourceName: "demo", env: (n) => values[n] });
      gateway = new Gateway(config);
      let exit!: (code: number) => void;
      const done = new Promise<number>((resolve) => (exit = resolve));
      const remove = gateway.installSignalHandlers(exit);
      await gateway.start();
      const api = gateway.health().services.http?.details as { port?: number } | undefined;
      console.log(
        `demo: plant running — OPC UA ${opcua.endpoint}, Modbus 127.0.0.1:${modbus.port}, MQTT ${broker.url}\n` +
          `demo: dashboard http://127.0.0.1:${api?.port ?? httpPort}/  (data in ${dataDir}; Ctrl-C stops it)`,
      );
      const seconds = options.duration as number;
      const timer = seconds > 0
        ? setTimeout(() => void gateway!.stop().then(() => exit(0)), seconds * 1000)
        : undefined;
      const code = await done;
      if (timer !== undefined) clearTimeout(timer);
      remove();
      console.log("demo: stopped");
      return code;
    } finally {
      await gateway?.stop();
      await driver.stop();
      await opcua.stop();
      await modbus.close();
      await broker.close();
    }
  },
});

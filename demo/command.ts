/**
 * @module `gateway demo`: runs the gateway on an embedded simulated plant and shows what it does.
 */
import { defineCommand, Gateway, parseConfig } from "../core/mod.ts";
import { DEMO_CONFIG } from "./plant_config.ts";

defineCommand({
  name: "demo",
  summary: "Run the gateway on an embedded simulated plant",
  details:
    "Starts a simulated plant (vibration with a bearing fault, temperatures, flows, counters, states)\n" +
    "and prints a live view of the values. Stop with Ctrl-C.",
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
    const config = parseConfig(DEMO_CONFIG, {
      sourceName: "demo",
      env: (n) => (n === "DEMO_DATA_DIR" ? dataDir : undefined),
    });
    const gateway = new Gateway(config);
    let exit!: (code: number) => void;
    const done = new Promise<number>((resolve) => (exit = resolve));
    const remove = gateway.installSignalHandlers(exit);
    console.log(
      `demo: simulated plant running (gateway ${config.gateway.id}, data in ${dataDir}); Ctrl-C stops it`,
    );
    await gateway.start();
    const seconds = options.duration as number;
    const timer = seconds > 0
      ? setTimeout(() => void gateway.stop().then(() => exit(0)), seconds * 1000)
      : undefined;
    const code = await done;
    if (timer !== undefined) clearTimeout(timer);
    remove();
    console.log("demo: stopped");
    return code;
  },
});

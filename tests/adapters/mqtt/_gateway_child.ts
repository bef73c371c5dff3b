/**
 * @module A small gateway process for crash tests: the simulator and the mqtt sink, config file in argv.
 */
import "../../../adapters/simulator/mod.ts";
import "../../../adapters/mqtt/mod.ts";
import { Gateway } from "../../../core/mod.ts";

const gateway = await Gateway.fromFile(Deno.args[0]!);
let exit!: (code: number) => void;
const done = new Promise<number>((resolve) => (exit = resolve));
const remove = gateway.installSignalHandlers(exit);
await gateway.start();
console.log("child: started");
const code = await done;
remove();
Deno.exit(code);

/**
 * @module The demo: an embedded simulated plant run through the real gateway.
 */
import "./command.ts";
export { DEMO_CONFIG } from "./plant_config.ts";

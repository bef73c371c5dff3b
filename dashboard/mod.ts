/**
 * @module The operator dashboard: sources in src/, compiled into assets.ts by build.ts.
 */
export { DASHBOARD_ASSETS } from "./assets.ts";

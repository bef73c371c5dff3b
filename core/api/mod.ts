/**
 * @module The local HTTP API and operator dashboard: the `http` config section, the `http` service and the
 * `gateway token` command register themselves when this module is imported.
 */
import { defineService } from "../mod.ts";
import { registerHttpSection } from "./config.ts";
import { httpConfigOf } from "./config.ts";
import { ApiServer } from "./service.ts";
import { registerTokenCommand } from "./token_command.ts";

registerHttpSection();
registerTokenCommand();
defineService({
  name: "http",
  section: "http",
  start: async (ctx) => (httpConfigOf(ctx.config()).enabled ? await ApiServer.start(ctx) : undefined),
});

export { ApiServer, tokensPath } from "./service.ts";
export { type HttpConfig, httpConfigOf, httpSchema } from "./config.ts";
export { openApiDocument } from "./openapi.ts";
export { apiRoutes } from "./routes/mod.ts";
export * from "./auth/mod.ts";

/**
 * @module Admin: configuration reload and API tokens.
 */
import { ConfigError, errorMessage, GATEWAY_CAPABILITY, type GatewayControl, s } from "../../mod.ts";
import { ROLES, SCOPE_PATTERN } from "../auth/roles.ts";
import { HttpError } from "../http_error.ts";
import { type Route, route } from "../route.ts";

/** Reload and token routes. */
export function adminRoutes(): Route[] {
  return [
    route({
      method: "POST",
      path: "/api/v1/config/reload",
      summary: "Re-read the configuration file and apply it (like SIGHUP); admin",
      description:
        "Only components whose configuration changed restart. An invalid file is rejected (422) and the running configuration stays.",
      group: "admin",
      auth: "admin",
      responses: {
        200: { description: "`{ started, stopped, restarted, unchanged }`." },
        422: { description: "The file is invalid: `{ error, problems }`." },
      },
      async handle({ c, api, principal }) {
        const control = api.lookup<GatewayControl>(GATEWAY_CAPABILITY);
        api.logger.info("configuration reload requested over the API", { by: principal.name });
        try {
          const report = control ? await control.reload() : await api.service.reload();
          return c.json(report);
        } catch (error) {
          if (error instanceof ConfigError) {
            return c.json({
              error: "configuration rejected, the running one stays in force",
              problems: error.problems,
            }, 422);
          }
          if (error instanceof TypeError) {
            throw new HttpError(409, errorMessage(error), undefined, { cause: error });
          }
          throw error;
        }
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/tokens",
      summary: "API tokens (without secrets); admin",
      group: "admin",
      auth: "admin",
      responses: {
        200: { description: "`{ items: [{ id, name, role, scopes, createdAt, revokedAt? }] }`." },
      },
      async handle({ c, api }) {
        return c.json({ items: await api.tokens.list() });
      },
    }),
    route({
      method: "POST",
      path: "/api/v1/tokens",
      summary: "Create a token; the secret is in this response only; admin",
      group: "admin",
      auth: "admin",
      body: s.object({
        name: s.string({ minLength: 1, maxLength: 64 }).describe("Who or what uses the token."),
        role: s.enum(ROLES).describe("viewer reads, operator also acknowledges alerts, admin also controls."),
        scopes: s.array(
          s.string({ pattern: SCOPE_PATTERN, patternName: "site:<id>, line:<id> or asset:<id>" }),
        ).default([]).describe("Restrict to sites, lines or assets; empty: everything."),
      }),
      responses: { 201: { description: "`{ token, info }`." } },
      async handle({ c, api, body, principal }) {
        try {
          const created = await api.tokens.create(body);
          await api.verifier.refresh(true);
          api.logger.info("API token created", {
            by: principal.name,
            token: created.info.id,
            name: body.name,
          });
          return c.json(created, 201);
        } catch (error) {
          if (error instanceof TypeError) {
            throw new HttpError(400, error.message, [{ path: "body", message: error.message }]);
          }
          throw error;
        }
      },
    }),
    route({
      method: "DELETE",
      path: "/api/v1/tokens/{id}",
      summary: "Revoke a token by id or name; admin",
      group: "admin",
      auth: "admin",
      params: { id: "Token id or name." },
      responses: {
        200: { description: "The revoked token." },
        404: { description: "No such active token." },
      },
      async handle({ c, api, params, principal }) {
        try {
          const info = await api.tokens.revoke(params.id!);
          await api.verifier.refresh(true);
          api.logger.info("API token revoked", { by: principal.name, token: info.id, name: info.name });
          return c.json(info);
        } catch (error) {
          if (error instanceof TypeError) throw new HttpError(404, error.message);
          throw error;
        }
      },
    }),
  ];
}

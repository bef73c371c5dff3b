/**
 * @module Bearer authentication and role checks for one request.
 */
import { type Principal, roleAllows } from "./auth/roles.ts";
import type { ApiContext } from "./context.ts";
import { HttpError } from "./http_error.ts";
import type { RouteAuth } from "./route.ts";

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const CHALLENGE = { "www-authenticate": 'Bearer realm="gateway"' };

/** Who is calling and whether they may use a route with this `auth` rule; throws 401/403. */
export async function authenticate(
  api: ApiContext,
  header: string | undefined,
  auth: RouteAuth,
): Promise<Principal> {
  const cfg = api.http().auth;
  let principal: Principal | undefined;
  if (header !== undefined) {
    const m = BEARER.exec(header);
    if (!m) {
      throw new HttpError(401, "malformed Authorization header: expected `Bearer <token>`", undefined, {
        headers: { "www-authenticate": 'Bearer realm="gateway", error="invalid_request"' },
      });
    }
    principal = await api.verifier.verify(m[1]!);
    if (!principal) {
      throw new HttpError(401, "invalid or revoked token", undefined, {
        headers: { "www-authenticate": 'Bearer realm="gateway", error="invalid_token"' },
      });
    }
  }
  const open = auth === "public" || (auth === "health" && cfg.public_health) ||
    (auth === "metrics" && cfg.public_metrics);
  if (!principal) {
    if (open) return { name: "anonymous", role: "viewer", scopes: undefined };
    if (cfg.anonymous_role === "none") {
      throw new HttpError(
        401,
        "missing bearer token: send `Authorization: Bearer <token>` (create one with `gateway token create`)",
        undefined,
        { headers: CHALLENGE },
      );
    }
    principal = { name: "anonymous", role: cfg.anonymous_role, scopes: undefined };
  }
  const needed = auth === "public" || auth === "health" || auth === "metrics" ? "viewer" : auth;
  if (!open && !roleAllows(principal.role, needed)) {
    throw new HttpError(
      403,
      `forbidden: this needs role ${needed}; token "${principal.name}" has role ${principal.role}`,
    );
  }
  return principal;
}

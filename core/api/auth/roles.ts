/**
 * @module API roles and scopes: viewer < operator < admin; scopes narrow a token to sites, lines and assets.
 */

/** Roles, least privileged first. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = typeof ROLES[number];

/** Whether `held` grants what `needed` requires. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** A scope string: `site:<id>`, `line:<id>` or `asset:<id>`. */
export const SCOPE_PATTERN = /^(site|line|asset):[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Parsed scopes of a token; `undefined` everywhere means unrestricted. */
export interface Scopes {
  readonly sites: ReadonlySet<string>;
  readonly lines: ReadonlySet<string>;
  readonly assets: ReadonlySet<string>;
}

/** Parses scope strings; throws TypeError naming the bad one. An empty list means unrestricted. */
export function parseScopes(list: readonly string[]): Scopes | undefined {
  if (list.length === 0) return undefined;
  const sites = new Set<string>();
  const lines = new Set<string>();
  const assets = new Set<string>();
  for (const scope of list) {
    if (!SCOPE_PATTERN.test(scope)) {
      throw new TypeError(`invalid scope "${scope}": expected site:<id>, line:<id> or asset:<id>`);
    }
    const i = scope.indexOf(":");
    const kind = scope.slice(0, i);
    const id = scope.slice(i + 1);
    (kind === "site" ? sites : kind === "line" ? lines : assets).add(id);
  }
  return { sites, lines, assets };
}

/** Who is calling. */
export interface Principal {
  /** Token name (recorded as who acknowledged an alert), or "anonymous". */
  readonly name: string;
  readonly tokenId?: string;
  readonly role: Role;
  readonly scopes: Scopes | undefined;
}

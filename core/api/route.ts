/**
 * @module Route declarations: one object gives the handler, its access rule and the schemas that both
 * validate the request and generate the OpenAPI document.
 */
import type { Context } from "hono";
import type { InferShape, JsonSchema, ObjectSchema, Schema, Shape } from "../mod.ts";
import type { Access } from "./auth/access.ts";
import type { Principal, Role } from "./auth/roles.ts";
import type { ApiContext } from "./context.ts";

/** Who may call a route: anyone, a configurable public endpoint, or at least a role. */
export type RouteAuth = "public" | "health" | "metrics" | Role;

/** A documented response. */
export interface ResponseDoc {
  readonly description: string;
  readonly contentType?: string;
  readonly schema?: JsonSchema;
}

/** What a handler receives. */
export interface RouteInput<Q, B> {
  readonly c: Context;
  readonly api: ApiContext;
  readonly query: Q;
  readonly body: B;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal;
  readonly access: Access;
  /** Aborted when the server stops (client disconnects cancel the response body instead). */
  readonly signal: AbortSignal;
}

/** One endpoint. */
export interface Route {
  readonly method: "GET" | "POST" | "DELETE";
  /** OpenAPI-style path, e.g. `/api/v1/tags/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** OpenAPI tag (section of the reference). */
  readonly group: string;
  readonly auth: RouteAuth;
  readonly query?: ObjectSchema<Shape>;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: Schema<unknown>;
  /** How the body arrives: JSON (validated by `body`) or a raw stream the handler reads itself. */
  readonly bodyKind?: "json" | "raw";
  /** Documents a raw request body. */
  readonly rawBodyDoc?: {
    readonly contentType: string;
    readonly schema: JsonSchema;
    readonly description: string;
  };
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  handle(input: RouteInput<unknown, unknown>): Response | Promise<Response>;
}

/** Declares a route with typed query and body. */
export function route<Q extends Shape = Record<never, never>, B = undefined>(spec: {
  readonly method: Route["method"];
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly group: string;
  readonly auth: RouteAuth;
  readonly query?: ObjectSchema<Q>;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: Schema<B>;
  readonly bodyKind?: "json" | "raw";
  readonly rawBodyDoc?: Route["rawBodyDoc"];
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  handle(input: RouteInput<InferShape<Q>, B>): Response | Promise<Response>;
}): Route {
  return spec as unknown as Route;
}

/**
 * @module The OpenAPI 3.1 document, generated from the route declarations and their schemas.
 */
import type { JsonSchema } from "../mod.ts";
import type { Route } from "./route.ts";

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: { type: "string", description: "What is wrong and how to fix it." },
    issues: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: { path: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

/** Builds the document for `routes`. */
export function openApiDocument(routes: readonly Route[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [name, description] of Object.entries(r.params ?? {})) {
      parameters.push({ name, in: "path", required: true, description, schema: { type: "string" } });
    }
    for (const [name, schema] of Object.entries(r.query?.shape ?? {})) {
      const json = schema.toJson();
      const p: Record<string, unknown> = { name, in: "query", required: !schema.optional, schema: json };
      if (schema.description) p.description = schema.description;
      if (json.type === "array") {
        p.style = "form";
        p.explode = false;
      }
      parameters.push(p);
    }
    const responses: Record<string, unknown> = {};
    for (const [status, doc] of Object.entries(r.responses)) {
      responses[status] = {
        description: doc.description,
        content: { [doc.contentType ?? "application/json"]: { schema: doc.schema ?? {} } },
      };
    }
    const errors: Record<string, string> = {
      "400": "Invalid parameters or body (each issue names its path).",
    };
    if (r.auth !== "public") {
      errors["401"] = "Missing, malformed or revoked bearer token.";
      errors["403"] = "The token's role or scope does not allow this.";
    }
    for (const [status, description] of Object.entries(errors)) {
      responses[status] ??= {
        description,
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    const op: Record<string, unknown> = {
      operationId: operationId(r),
      summary: r.summary,
      tags: [r.group],
      parameters,
      responses,
      "x-required-role": r.auth,
    };
    if (r.description) op.description = r.description;
    if (r.auth === "public") op.security = [];
    else if (r.auth === "health" || r.auth === "metrics") op.security = [{}, { bearer: [] }];
    if (r.body && r.bodyKind !== "raw") {
      op.requestBody = { required: true, content: { "application/json": { schema: r.body.toJson() } } };
    } else if (r.rawBodyDoc) {
      op.requestBody = {
        required: true,
        description: r.rawBodyDoc.description,
        content: { [r.rawBodyDoc.contentType]: { schema: r.rawBodyDoc.schema } },
      };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Edge gateway API",
      version,
      description: "Live values, history, features, anomalies, alerts and control of one edge gateway.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Token from `gateway token create`." },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

function operationId(r: Route): string {
  const words = r.path.replace(/^\/api\/v1\//, "").split(/[/{}_.-]+/).filter((w) => w !== "");
  return r.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/**
 * @module The `http:` configuration section: listener, TLS, auth, CORS, limits, live stream, dashboard.
 */
import { defineSection, type InferShape, s } from "../mod.ts";

const tlsSchema = s.object({
  cert_file: s.string().default("").describe("PEM certificate (chain) file; HTTPS when set with key_file."),
  key_file: s.string().default("").describe("PEM private key file of the certificate."),
}).withCheck((v, path, ctx) => {
  if ((v.cert_file === "") !== (v.key_file === "")) {
    ctx.fail(
      `${path ? `${path}.` : ""}${v.cert_file === "" ? "cert_file" : "key_file"}`,
      "set both cert_file and key_file, or neither",
    );
  }
});

const authSchema = s.object({
  tokens_file: s.string().default("").describe(
    "File of API tokens (hashed; manage with `gateway token`). Empty: <gateway.data_dir>/api_tokens.json.",
  ),
  anonymous_role: s.enum(["none", "viewer", "operator", "admin"]).default("none").describe(
    "Role of requests without a token; none requires a token for everything but public endpoints.",
  ),
  public_health: s.boolean().default(true).describe("Serve GET /api/v1/health without a token."),
  public_metrics: s.boolean().default(false).describe("Serve GET /api/v1/metrics without a token."),
});

const corsSchema = s.object({
  allowed_origins: s.array(s.string({ minLength: 1 })).default([]).describe(
    'Origins allowed to call the API from a browser (e.g. "https://scada.plant-a.local"); empty: CORS off.',
  ),
  max_age_s: s.int({ min: 0, max: 86_400 }).default(600).describe("How long browsers cache a preflight."),
});

const limitsSchema = s.object({
  max_points: s.int({ min: 100, max: 50_000_000 }).default(200_000).describe(
    "Most data points one history response may hold (all tags together).",
  ),
  max_tags: s.int({ min: 1, max: 100_000 }).default(200).describe("Most tags one request may name."),
  query_timeout_ms: s.int({ min: 100, max: 600_000 }).default(15_000).describe(
    "History queries running longer are answered 504.",
  ),
  export_timeout_ms: s.int({ min: 1_000, max: 3_600_000 }).default(300_000).describe(
    "Exports running longer are answered 504.",
  ),
  page_default: s.int({ min: 1, max: 100_000 }).default(100).describe(
    "Items per page when no limit is given.",
  ),
  page_max: s.int({ min: 1, max: 100_000 }).default(1_000).describe("Largest limit a list request may ask."),
  max_body_bytes: s.int({ min: 1_024, max: 1 << 30 }).default(1 << 20).describe("Largest JSON request body."),
  max_upload_bytes: s.int({ min: 1_024, max: 8 * 2 ** 30 }).default(1 << 30).describe(
    "Largest update upload (artifact + manifest).",
  ),
  max_streams: s.int({ min: 1, max: 10_000 }).default(32).describe("Concurrent live streams (SSE)."),
});

const streamSchema = s.object({
  max_rate_hz: s.number({ gt: 0, max: 1_000 }).default(4).describe(
    "Most updates per second per tag on a live stream (the newest value wins).",
  ),
  heartbeat_s: s.number({ gt: 0, max: 3_600 }).default(15).describe(
    "Comment line sent this often on idle streams.",
  ),
});

/** Schema of the `http:` section. */
export const httpSchema = s.object({
  enabled: s.boolean().default(true).describe("Serve the local HTTP API and dashboard."),
  host: s.string({ minLength: 1 }).default("127.0.0.1").describe(
    'Address to bind; "0.0.0.0" serves every interface (use TLS and tokens then).',
  ),
  port: s.int({ min: 0, max: 65_535 }).default(8080).describe("TCP port; 0 picks a free one (see /health)."),
  tls: tlsSchema.default({ cert_file: "", key_file: "" }).describe("HTTPS certificate and key."),
  auth: authSchema.default({
    tokens_file: "",
    anonymous_role: "none",
    public_health: true,
    public_metrics: false,
  }).describe("Bearer tokens: roles viewer < operator < admin, scopes over sites, lines and assets."),
  cors: corsSchema.default({ allowed_origins: [], max_age_s: 600 }).describe(
    "Cross-origin access from browsers.",
  ),
  limits: limitsSchema.default({
    max_points: 200_000,
    max_tags: 200,
    query_timeout_ms: 15_000,
    export_timeout_ms: 300_000,
    page_default: 100,
    page_max: 1_000,
    max_body_bytes: 1 << 20,
    max_upload_bytes: 1 << 30,
    max_streams: 32,
  }).describe("Protects the gateway from oversized requests."),
  stream: streamSchema.default({ max_rate_hz: 4, heartbeat_s: 15 }).describe("Live value stream (SSE)."),
  dashboard: s.boolean().default(true).describe("Serve the operator dashboard at /."),
});

export type HttpConfig = InferShape<typeof httpSchema.shape>;

/** The http section of a validated gateway configuration (defaults when absent). */
export function httpConfigOf(config: { readonly [section: string]: unknown }): HttpConfig {
  const raw = config["http"];
  if (raw !== undefined) return raw as HttpConfig;
  const parsed = httpSchema.parse({});
  if (!parsed.ok) throw new TypeError("http section defaults are invalid");
  return parsed.value;
}

/** Registers the section (idempotent per process: the config registry rejects duplicates). */
export function registerHttpSection(): void {
  defineSection("http", httpSchema as never);
}

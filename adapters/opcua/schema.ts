/**
 * @module Configuration of an OPC UA source: endpoint, security, identity, nodes and acquisition mode.
 */
import { type InferShape, s, type Schema, tagMetaShape } from "../../core/mod.ts";

export const SECURITY_MODES = ["None", "Sign", "SignAndEncrypt"] as const;
export const SECURITY_POLICIES = [
  "None",
  "Basic256Sha256",
  "Aes128_Sha256_RsaOaep",
  "Aes256_Sha256_RsaPss",
] as const;

const anonymous = s.object({ type: s.enum(["anonymous"]) });
const username = s.object({
  type: s.enum(["username"]),
  username: s.string({ minLength: 1 }).describe("User name (use ${VAR} to keep it out of the file)."),
  password: s.string().describe("Password; write ${VAR} so the secret comes from the environment."),
});
const certificate = s.object({
  type: s.enum(["certificate"]),
  cert_file: s.string({ minLength: 1 }).describe("PEM (or DER) X.509 user certificate."),
  key_file: s.string({ minLength: 1 }).describe("PEM private key of the user certificate."),
});
const AUTH = new Map<string, Schema<unknown>>([
  ["anonymous", anonymous],
  ["username", username],
  ["certificate", certificate],
]);
export type AuthConfig =
  | InferShape<typeof anonymous.shape>
  | InferShape<typeof username.shape>
  | InferShape<typeof certificate.shape>;

const deadband = s.object({
  type: s.enum(["absolute", "percent"]).describe(
    "absolute: in engineering units; percent: of the node's EURange (the server must expose it).",
  ),
  value: s.number({ min: 0 }).describe("Changes smaller than this are not reported."),
});

const node = s.object({
  ...tagMetaShape,
  name: s.id().describe("Tag name; the tag id is <source name>.<name> unless `id` is set."),
  node_id: s.string({
    pattern: /^(ns=\d+;|nsu=[^;]+;)?(i=\d+|s=.+|g=[0-9A-Fa-f-]{36}|b=[A-Za-z0-9+/=]*)$/,
    patternName: "an OPC UA node id such as ns=2;s=Line1.Temp or ns=3;i=1001",
  }).describe("Node id of the variable."),
  sampling_interval_ms: s.number({ min: 0 }).opt().describe(
    "Sampling interval for this node (defaults to the source's sampling_interval_ms).",
  ),
  queue_size: s.int({ min: 1, max: 100_000 }).opt().describe("Server-side queue for this node."),
  deadband: deadband.opt().describe("Report only changes larger than this (data change filter)."),
  backfill: s.boolean().default(true).describe("Fill gaps in this node from the server's history."),
});
export type NodeConfig = InferShape<typeof node.shape>;

export const opcuaSchema = s.object({
  endpoint: s.string({
    pattern: /^opc\.tcp:\/\/[^\s/:]+(:\d{1,5})?(\/.*)?$/,
    patternName: "an opc.tcp://host:port/path URL",
  }).describe("Server endpoint URL."),
  security: s.object({
    mode: s.enum(SECURITY_MODES).default("None").describe("Message security mode."),
    policy: s.enum(SECURITY_POLICIES).default("None").describe(
      "Security policy (not None when mode is not None).",
    ),
  }).default({ mode: "None", policy: "None" }).describe("Secure channel settings."),
  auth: s.tagged<AuthConfig>("type", () => AUTH).default({ type: "anonymous" }).describe(
    "User identity: anonymous, username (password from ${VAR}) or X.509 certificate.",
  ),
  pki_dir: s.string({ minLength: 1 }).opt().describe(
    "PKI folder (own/, trusted/, rejected/); default <gateway data_dir>/state/<source name>/pki.",
  ),
  auto_accept_unknown_certificates: s.boolean().default(false).describe(
    "Trust every server certificate on first sight (labs only); otherwise unknown ones go to rejected/.",
  ),
  application_name: s.string({ minLength: 1 }).default("industrial-edge-gateway").describe(
    "Application name in the client certificate and session.",
  ),
  mode: s.enum(["subscribe", "poll"]).default("subscribe").describe(
    "subscribe: monitored items; poll: batched Read service calls (servers without subscriptions).",
  ),
  publishing_interval_ms: s.number({ min: 10, max: 3_600_000 }).default(1000).describe(
    "Subscription publishing interval.",
  ),
  sampling_interval_ms: s.number({ min: 0, max: 3_600_000 }).default(500).describe(
    "Default sampling interval of monitored items (0 = fastest the server supports).",
  ),
  queue_size: s.int({ min: 1, max: 100_000 }).default(10).describe("Default server-side queue per item."),
  max_items_per_subscription: s.int({ min: 1, max: 1_000_000 }).default(1000).describe(
    "Monitored items are split across subscriptions of at most this many items.",
  ),
  max_items_per_call: s.int({ min: 1, max: 100_000 }).default(1000).describe(
    "Items per CreateMonitoredItems / Read / HistoryRead request (lowered to the server's operation limits).",
  ),
  keepalive_count: s.int({ min: 1, max: 1000 }).default(10).describe(
    "Publishing intervals without data after which the server sends a keepalive.",
  ),
  lifetime_count: s.int({ min: 3, max: 100_000 }).default(60).describe(
    "Publishing intervals without a publish request after which the server drops the subscription.",
  ),
  poll_interval_ms: s.number({ min: 10, max: 3_600_000 }).default(1000).describe(
    "Read interval in poll mode.",
  ),
  request_timeout_ms: s.int({ min: 100, max: 600_000 }).default(10_000).describe("Timeout of each request."),
  session_timeout_ms: s.int({ min: 1000, max: 3_600_000 }).default(60_000).describe(
    "Requested session timeout.",
  ),
  reconnect: s.object({
    initial_ms: s.int({ min: 10 }).default(500).describe("First reconnect delay."),
    max_ms: s.int({ min: 10 }).default(30_000).describe("Longest reconnect delay."),
  }).default({ initial_ms: 500, max_ms: 30_000 }).describe("Reconnect backoff (jittered exponential)."),
  watchdog_factor: s.number({ min: 1.5, max: 100 }).default(3).describe(
    "A subscription silent for factor x publishing interval x keepalive_count is stalled: reconnect (while " +
      "the session's other subscriptions still deliver, only after 6 times that: a busy server serves them first).",
  ),
  watchdog_min_ms: s.int({ min: 500, max: 600_000 }).default(1000).describe(
    "Never judge a subscription stalled sooner than this. Raise it (e.g. 10000) for a server that is known " +
      "to answer late under load, so it is not reconnected in a loop; a lost session is then noticed later.",
  ),
  item_retry_s: s.int({ min: 0, max: 86_400 }).default(30).describe(
    "Monitored items whose node is missing or gone (refused at creation, or a BadNodeIdUnknown, " +
      "BadNodeIdInvalid, BadNotReadable... notification) are deleted and created again in the same session " +
      "this often, so a node added later (PLC program download) flows without a reconnect. 0 = off " +
      "(such items come back only at the next reconnect).",
  ),
  item_retry_ms: s.int({ min: 100 }).opt().describe(
    "Deprecated: use item_retry_s. When set, it replaces item_retry_s (in milliseconds).",
  ),
  backfill: s.object({
    enabled: s.boolean().default(true).describe("Fill gaps from the server's history (HistoryRead raw)."),
    min_gap_ms: s.int({ min: 0 }).default(5000).describe("Gaps shorter than this are not backfilled."),
    max_gap_ms: s.int({ min: 1000 }).default(86_400_000).describe("At most this much history is read back."),
    max_values_per_node: s.int({ min: 1 }).default(100_000).describe("Values read back per node and gap."),
  }).default({ enabled: true, min_gap_ms: 5000, max_gap_ms: 86_400_000, max_values_per_node: 100_000 })
    .describe("Backfill after the gateway was down or the connection was lost."),
  clock_tolerance_ms: s.number({ gt: 0 }).default(2000).describe(
    "Offset between source timestamps and receive time above which a data-quality event is raised.",
  ),
  read_metadata: s.boolean().default(true).describe(
    "Read EngineeringUnits, EURange, Description and DataType from the server for each node.",
  ),
  nodes: s.refine(s.array(node, { minItems: 1 }), (nodes, path, ctx) => {
    const names = new Map<string, number>();
    const ids = new Map<string, number>();
    nodes.forEach((n, i) => {
      const seen = names.get(n.name);
      if (seen !== undefined) {
        ctx.fail(`${path}[${i}].name`, `"${n.name}" is already used by ${path}[${seen}]`);
      } else names.set(n.name, i);
      const same = ids.get(n.node_id);
      if (same !== undefined) {
        ctx.fail(`${path}[${i}].node_id`, `"${n.node_id}" is already read by ${path}[${same}]`);
      } else ids.set(n.node_id, i);
    });
  }).describe("Variables to read."),
}).withCheck((c, path, ctx) => {
  const p = path ? `${path}.` : "";
  if (c.security.mode === "None" && c.security.policy !== "None") {
    ctx.fail(`${p}security.policy`, `must be None when security.mode is None (got ${c.security.policy})`);
  }
  if (c.security.mode !== "None" && c.security.policy === "None") {
    ctx.fail(`${p}security.policy`, `choose a policy for mode ${c.security.mode} (e.g. Basic256Sha256)`);
  }
  if (c.reconnect.max_ms < c.reconnect.initial_ms) {
    ctx.fail(`${p}reconnect.max_ms`, `must be >= reconnect.initial_ms (${c.reconnect.initial_ms})`);
  }
  c.nodes.forEach((n, i) => {
    if (n.deadband?.type === "percent" && n.deadband.value > 100) {
      ctx.fail(
        `${p}nodes[${i}].deadband.value`,
        `a percent deadband must be 0..100, got ${n.deadband.value}`,
      );
    }
  });
});
export type OpcuaConfig = InferShape<typeof opcuaSchema.shape>;
export type OpcuaSourceConfig = OpcuaConfig & { readonly name: string };

/** Period of the per-item retry in milliseconds (0 = off); the deprecated item_retry_ms wins when set. */
export function itemRetryMs(config: Pick<OpcuaConfig, "item_retry_s" | "item_retry_ms">): number {
  return config.item_retry_ms ?? config.item_retry_s * 1000;
}

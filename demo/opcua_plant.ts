/**
 * @module An embedded OPC UA plant: a node-opcua server on 127.0.0.1 whose variables hold what the caller
 * pushes in, with history (for backfill), EngineeringUnits/EURange, optional security and users.
 * Used by the demo, the OPC UA adapter's tests and its benchmark.
 */
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  type StatusCode,
  StatusCodes,
  type UAVariable,
} from "node-opcua";

/** One variable of the plant. */
export interface PlantNode {
  readonly name: string;
  readonly dataType?: "Double" | "Float" | "Int32" | "UInt32" | "Boolean" | "String";
  readonly unit?: string;
  readonly range?: { readonly low: number; readonly high: number };
  readonly description?: string;
  readonly initial?: number | boolean | string;
  /** Keep history of this variable (HistoryRead). Default true. */
  readonly history?: boolean;
}

/** Options of {@link startOpcuaPlant}. */
export interface PlantOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  readonly nodes?: readonly PlantNode[];
  /** Security modes offered (default None only). */
  readonly securityModes?: readonly ("None" | "Sign" | "SignAndEncrypt")[];
  /** Policies offered besides None (default Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss). */
  readonly securityPolicies?:
    readonly ("Basic256Sha256" | "Aes128_Sha256_RsaOaep" | "Aes256_Sha256_RsaPss")[];
  /** Accepted user names and passwords; anonymous stays allowed unless `allowAnonymous` is false. */
  readonly users?: Readonly<Record<string, string>>;
  readonly allowAnonymous?: boolean;
  /** Server-side cap of monitored items per subscription (default 100,000). */
  readonly maxItemsPerSubscription?: number;
  /** Server PKI folder (keeps the server certificate stable across restarts); default a temp folder. */
  readonly pkiDir?: string;
  /** Values kept per historized variable. */
  readonly historySize?: number;
}

/** A running plant. */
export interface OpcuaPlant {
  readonly endpoint: string;
  readonly port: number;
  /** Node id of a variable, e.g. `ns=1;s=Plant.temp`. */
  nodeId(name: string): string;
  /** Sets a variable's value with its source timestamp (ms, default now) and status (default Good). */
  set(name: string, value: number | boolean | string, ts?: number, status?: number): void;
  readonly server: OPCUAServer;
  stop(): Promise<void>;
}

/** Default variables of the demo plant. */
export const PLANT_NODES: readonly PlantNode[] = [
  { name: "pump1_flow", unit: "m3/h", range: { low: 0, high: 200 }, description: "Pump 1 discharge flow" },
  {
    name: "pump1_pressure",
    unit: "bar",
    range: { low: 0, high: 16 },
    description: "Pump 1 discharge pressure",
  },
  {
    name: "pump1_bearing_temp",
    unit: "degC",
    range: { low: 0, high: 120 },
    description: "Pump 1 DE bearing",
  },
  { name: "pump1_running", dataType: "Boolean", initial: false, description: "Pump 1 run feedback" },
  { name: "press2_strokes", dataType: "UInt32", initial: 0, unit: "strokes", description: "Press 2 counter" },
];

const DATA_TYPES = {
  Double: DataType.Double,
  Float: DataType.Float,
  Int32: DataType.Int32,
  UInt32: DataType.UInt32,
  Boolean: DataType.Boolean,
  String: DataType.String,
} as const;

/** Starts the plant server; call `stop()` in a finally. */
export async function startOpcuaPlant(options: PlantOptions = {}): Promise<OpcuaPlant> {
  const ownPki = options.pkiDir === undefined;
  const pkiDir = options.pkiDir ?? await Deno.makeTempDir({ prefix: "opcua_plant_pki_" });
  const certificateManager = new OPCUACertificateManager({
    rootFolder: pkiDir,
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: `${pkiDir}/users`,
    automaticallyAcceptUnknownCertificate: true,
    disableFileWatchers: true,
  });
  const modes = options.securityModes ?? ["None"];
  const policies = options.securityPolicies ??
    ["Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss"];
  const users = options.users;
  const server = new OPCUAServer(
    {
      port: options.port ?? 0,
      hostname: "127.0.0.1",
      resourcePath: "/plant",
      serverCertificateManager: certificateManager,
      userCertificateManager,
      securityModes: modes.map((m) => MessageSecurityMode[m]),
      securityPolicies: [
        ...(modes.includes("None") ? [SecurityPolicy.None] : []),
        ...policies.map((p) => SecurityPolicy[p]),
      ],
      allowAnonymous: options.allowAnonymous ?? true,
      ...(users ? { userManager: { isValidUser: (u: string, p: string) => users[u] === p } } : {}),
      serverCapabilities: {
        maxMonitoredItemsPerSubscription: options.maxItemsPerSubscription ?? 100_000,
        maxMonitoredItems: 1_000_000,
        operationLimits: { maxMonitoredItemsPerCall: 100_000, maxNodesPerRead: 100_000 },
      },
      buildInfo: { productName: "gateway-opcua-plant", manufacturerName: "gateway demo" },
    } as ConstructorParameters<typeof OPCUAServer>[0],
  );
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.getOwnNamespace();
  const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plant" });
  const vars = new Map<string, { v: UAVariable; type: DataType }>();
  for (const n of options.nodes ?? PLANT_NODES) {
    const type = DATA_TYPES[n.dataType ?? "Double"];
    const initial = n.initial ?? (type === DataType.Boolean ? false : type === DataType.String ? "" : 0);
    const common = {
      componentOf: plant,
      browseName: n.name,
      nodeId: `s=Plant.${n.name}`,
      value: { dataType: type, value: initial },
      ...(n.description ? { description: n.description } : {}),
    };
    const v: UAVariable = n.unit !== undefined || n.range !== undefined
      ? ns.addAnalogDataItem({
        ...common,
        dataType: DataType[type],
        engineeringUnitsRange: n.range ?? { low: -1e9, high: 1e9 },
        ...(n.unit ? { engineeringUnits: unitInfo(n.unit) } : {}),
      } as never)
      : ns.addVariable({ ...common, dataType: DataType[type] } as never);
    if (n.history ?? true) {
      addressSpace.installHistoricalDataNode(v, { maxOnlineValues: options.historySize ?? 100_000 });
    }
    v.setValueFromSource({ dataType: type, value: initial }, StatusCodes.Good, new Date());
    vars.set(n.name, { v, type });
  }
  await server.start();
  const endpoint = server.getEndpointUrl();
  const port = Number(new URL(endpoint.replace("opc.tcp:", "http:")).port);
  return {
    endpoint,
    port,
    server,
    nodeId: (name) => `ns=1;s=Plant.${name}`,
    set(name, value, ts = Date.now(), status = 0) {
      const entry = vars.get(name);
      if (!entry) {
        throw new RangeError(`opcua plant: no variable "${name}" (known: ${[...vars.keys()].slice(0, 10)})`);
      }
      entry.v.setValueFromSource({ dataType: entry.type, value }, statusCodeOf(status), new Date(ts));
    },
    async stop() {
      await server.shutdown(0);
      await certificateManager.dispose();
      await userCertificateManager.dispose();
      if (ownPki) await Deno.remove(pkiDir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Feeds the default PLANT_NODES with plausible values every `periodMs` (pump flow and pressure following a
 * slow cycle, a bearing temperature drifting up while running, run feedback, a stroke counter), so the demo
 * shows live data. Returns a function that stops the feed.
 */
export function feedOpcuaPlant(plant: OpcuaPlant, periodMs = 500): () => void {
  const t0 = Date.now();
  let strokes = 0;
  let temp = 35;
  const tick = () => {
    const now = Date.now();
    const s = (now - t0) / 1000;
    const running = Math.floor(s / 60) % 5 !== 4; // runs 4 min, stops 1 min
    const flow = running ? 120 + 8 * Math.sin((2 * Math.PI * s) / 90) + (Math.random() - 0.5) : 0;
    temp += running ? 0.02 * (62 - temp) : 0.01 * (30 - temp);
    if (running) strokes += Math.random() < 0.4 ? 1 : 0;
    plant.set("pump1_flow", Math.round(flow * 100) / 100, now);
    plant.set("pump1_pressure", Math.round((running ? 6 + flow / 60 : 0.2) * 1000) / 1000, now);
    plant.set("pump1_bearing_temp", Math.round((temp + (Math.random() - 0.5) * 0.1) * 100) / 100, now);
    plant.set("pump1_running", running, now);
    plant.set("press2_strokes", strokes, now);
  };
  tick();
  const timer = setInterval(tick, periodMs);
  return () => clearInterval(timer);
}

function statusCodeOf(value: number): StatusCode {
  const known = (Object.values(StatusCodes) as StatusCode[]).find((c) => c.value === value);
  if (!known) throw new RangeError(`opcua plant: unknown status code 0x${value.toString(16)}`);
  return known;
}

function unitInfo(unit: string) {
  return {
    namespaceUri: "http://www.opcfoundation.org/UA/units/un/cefact",
    unitId: -1,
    displayName: { text: unit },
  };
}

/** YAML of an `opcua` source reading the plant (indent it under `sources:`). */
export function opcuaPlantSourceYaml(
  endpoint: string,
  options: { name?: string; nodes?: readonly PlantNode[]; publishingIntervalMs?: number } = {},
): string {
  const nodes = options.nodes ?? PLANT_NODES;
  return [
    `- name: ${options.name ?? "opcua_plant"}`,
    `  type: opcua`,
    `  endpoint: ${endpoint}`,
    `  publishing_interval_ms: ${options.publishingIntervalMs ?? 500}`,
    `  sampling_interval_ms: ${Math.min(250, options.publishingIntervalMs ?? 500)}`,
    `  nodes:`,
    ...nodes.map((n) => `    - { name: ${n.name}, node_id: "ns=1;s=Plant.${n.name}" }`),
  ].join("\n");
}

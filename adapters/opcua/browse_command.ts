/**
 * @module `gateway browse opc.tcp://host:port/path`: prints the address space, or a ready source block.
 */
import { defineCommand, errorMessage, silentLogger } from "../../core/mod.ts";
import { bridgeNodeOpcuaLog } from "./log_bridge.ts";
import { browseTree, filterTree } from "./browse.ts";
import { formatSourceYaml, formatTree } from "./browse_format.ts";
import { Connection } from "./connection.ts";
import { openPki } from "./pki.ts";
import { opcuaSchema, type OpcuaSourceConfig } from "./schema.ts";

/** Options of {@link browseEndpoint}. */
export interface BrowseRequest {
  readonly endpoint: string;
  readonly depth: number;
  readonly yaml: boolean;
  readonly filter?: string;
  readonly root?: string;
  readonly name: string;
  readonly pkiDir: string;
  readonly mode: string;
  readonly policy: string;
  readonly user?: string;
  readonly password?: string;
  readonly autoAccept: boolean;
}

/** Connects, browses and returns the printed tree or YAML block. */
export async function browseEndpoint(req: BrowseRequest): Promise<string> {
  const parsed = opcuaSchema.parse({
    endpoint: req.endpoint,
    security: { mode: req.mode, policy: req.policy },
    auth: req.user
      ? { type: "username", username: req.user, password: req.password ?? "" }
      : { type: "anonymous" },
    pki_dir: req.pkiDir,
    nodes: [{ name: "root", node_id: req.root ?? "i=85" }],
  });
  if (!parsed.ok) throw new RangeError(parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  const config: OpcuaSourceConfig = { ...parsed.value, name: req.name };
  const unbridge = bridgeNodeOpcuaLog(silentLogger);
  const pki = await openPki(req.pkiDir, req.autoAccept);
  let conn: Connection | undefined;
  try {
    conn = await Connection.open(config, pki, req.pkiDir);
    const tree = filterTree(
      await browseTree(conn.session!, { depth: req.depth, ...(req.root ? { root: req.root } : {}) }),
      req.filter,
    );
    return req.yaml
      ? formatSourceYaml(tree, { endpoint: req.endpoint, name: req.name, mode: req.mode, policy: req.policy })
      : formatTree(tree);
  } finally {
    await conn?.close();
    await pki.dispose();
    unbridge();
  }
}

defineCommand({
  name: "browse",
  summary: "Browse an OPC UA server's address space; --yaml prints a ready source block",
  usage: "opc.tcp://host:port/path [--depth N] [--filter PATTERN] [--yaml]",
  details: "Read-only: browses and reads attributes, never writes or calls methods.\n" +
    "The password is taken from the environment variable named by --password-env.",
  options: {
    depth: { type: "number", arg: "N", description: "Levels below the root.", default: 4 },
    yaml: {
      type: "boolean",
      description: "Print an opcua source block for the variables found.",
      default: false,
    },
    filter: {
      type: "string",
      arg: "PATTERN",
      description: "Only variables whose path or name matches (* ?).",
    },
    root: { type: "string", arg: "NODEID", description: "Start node (default the Objects folder, i=85)." },
    name: { type: "string", arg: "NAME", description: "Source name in the YAML block.", default: "opcua" },
    pki: { type: "string", arg: "DIR", description: "PKI folder.", default: "./data/state/browse/pki" },
    "security-mode": {
      type: "string",
      arg: "MODE",
      description: "None, Sign or SignAndEncrypt.",
      default: "None",
    },
    "security-policy": {
      type: "string",
      arg: "POLICY",
      description: "e.g. Basic256Sha256.",
      default: "None",
    },
    user: { type: "string", arg: "NAME", description: "User name (username identity)." },
    "password-env": { type: "string", arg: "VAR", description: "Environment variable holding the password." },
    "auto-accept": {
      type: "boolean",
      description: "Trust the server certificate on first sight.",
      default: false,
    },
  },
  async run({ options, positionals }) {
    const endpoint = positionals[0];
    if (!endpoint) {
      console.error("browse: give the endpoint URL, e.g. gateway browse opc.tcp://127.0.0.1:4840/UA/plant");
      return 2;
    }
    const passwordVar = options["password-env"] as string | undefined;
    const password = passwordVar ? Deno.env.get(passwordVar) : undefined;
    if (passwordVar && password === undefined) {
      console.error(`browse: environment variable ${passwordVar} is not set`);
      return 2;
    }
    try {
      console.log(
        await browseEndpoint({
          endpoint,
          depth: options.depth as number,
          yaml: options.yaml as boolean,
          ...(options.filter ? { filter: options.filter as string } : {}),
          ...(options.root ? { root: options.root as string } : {}),
          name: options.name as string,
          pkiDir: options.pki as string,
          mode: options["security-mode"] as string,
          policy: options["security-policy"] as string,
          ...(options.user ? { user: options.user as string } : {}),
          ...(password !== undefined ? { password } : {}),
          autoAccept: options["auto-accept"] as boolean,
        }),
      );
      return 0;
    } catch (error) {
      console.error(`browse: ${errorMessage(error)}`);
      return 1;
    }
  },
});

/**
 * @module `gateway token create|list|revoke`: manage API tokens (the secret is printed once).
 */
import { type Command, defineCommand, loadConfig } from "../mod.ts";
import { type Role, ROLES } from "./auth/roles.ts";
import { TokenFile } from "./auth/token_file.ts";
import { tokensPath } from "./service.ts";

const fileOptions = {
  config: {
    type: "string",
    arg: "FILE",
    description:
      "Gateway configuration; the tokens file is http.auth.tokens_file or <data_dir>/api_tokens.json.",
  },
  file: { type: "string", arg: "FILE", description: "Tokens file (overrides --config)." },
  json: { type: "boolean", description: "Print JSON.", default: false },
} as const;

async function fileOf(options: Readonly<Record<string, unknown>>): Promise<TokenFile> {
  if (typeof options.file === "string") return new TokenFile(options.file);
  if (typeof options.config === "string") return new TokenFile(tokensPath(await loadConfig(options.config)));
  return new TokenFile("./data/api_tokens.json");
}

const create: Command = {
  name: "create",
  summary: "Create a token and print its secret (shown only this once)",
  usage: "--name NAME --role viewer|operator|admin [--scope site:ID|line:ID|asset:ID ...]",
  options: {
    ...fileOptions,
    name: { type: "string", arg: "NAME", description: "Who or what uses it.", required: true },
    role: { type: "string", arg: "ROLE", description: `One of ${ROLES.join(", ")}.`, required: true },
    scope: {
      type: "string",
      arg: "SCOPE",
      multiple: true,
      description: "Restrict to site:ID, line:ID or asset:ID (repeatable); none: everything.",
    },
  },
  async run({ options }) {
    const file = await fileOf(options);
    const role = options.role as string;
    if (!(ROLES as readonly string[]).includes(role)) {
      console.error(`--role must be one of ${ROLES.join(", ")}, got "${role}"`);
      return 2;
    }
    try {
      const { token, info } = await file.create({
        name: options.name as string,
        role: role as Role,
        scopes: (options.scope as string[] | undefined) ?? [],
      });
      if (options.json) console.log(JSON.stringify({ token, ...info }));
      else {
        console.log(token);
        console.error(
          `token ${info.id} "${info.name}" (${info.role}${
            info.scopes.length ? `, ${info.scopes.join(" ")}` : ""
          }) ` +
            `added to ${file.path}; the secret above is not stored and cannot be shown again`,
        );
      }
      return 0;
    } catch (error) {
      if (error instanceof TypeError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
  },
};

const list: Command = {
  name: "list",
  summary: "List tokens (never their secrets)",
  options: {
    ...fileOptions,
    all: { type: "boolean", description: "Include revoked tokens.", default: false },
  },
  async run({ options }) {
    const file = await fileOf(options);
    const items = (await file.list()).filter((t) => options.all || !t.revokedAt);
    if (options.json) console.log(JSON.stringify(items));
    else if (items.length === 0) console.log(`no tokens in ${file.path}`);
    else {
      for (const t of items) {
        console.log(
          [
            t.id,
            t.name,
            t.role,
            t.scopes.join(",") || "*",
            t.createdAt,
            t.revokedAt ? `revoked ${t.revokedAt}` : "",
          ]
            .join("\t").trimEnd(),
        );
      }
    }
    return 0;
  },
};

const revoke: Command = {
  name: "revoke",
  summary: "Revoke a token by id or name (takes effect within a second on a running gateway)",
  usage: "ID|NAME",
  options: fileOptions,
  async run({ options, positionals }) {
    const target = positionals[0];
    if (target === undefined || positionals.length > 1) {
      console.error("give exactly one token id or name to revoke");
      return 2;
    }
    try {
      const info = await (await fileOf(options)).revoke(target);
      console.log(options.json ? JSON.stringify(info) : `revoked token ${info.id} "${info.name}"`);
      return 0;
    } catch (error) {
      if (error instanceof TypeError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
  },
};

/** Registers `gateway token`. */
export function registerTokenCommand(): void {
  defineCommand({
    name: "token",
    summary: "Manage HTTP API tokens (create, list, revoke)",
    options: {},
    subcommands: [create, list, revoke],
  });
}

/**
 * @module `gateway trust list|accept|reject`: the explicit server-certificate trust workflow.
 */
import { type Command, defineCommand, loadConfig, type OptionSpec, type ParsedArgs } from "../../core/mod.ts";
import {
  acceptCertificates,
  type CertificateEntry,
  listCertificates,
  rejectCertificates,
} from "./trust_store.ts";
import { defaultPkiDir } from "./pki.ts";

const options: Record<string, OptionSpec> = {
  pki: {
    type: "string",
    arg: "DIR",
    description: "PKI folder of an OPC UA source (has rejected/ and trusted/).",
  },
  config: {
    type: "string",
    arg: "FILE",
    description: "Gateway configuration: use the PKI folder of its opcua sources instead of --pki.",
  },
  source: { type: "string", arg: "NAME", description: "With --config: only this opcua source." },
  json: { type: "boolean", description: "Print JSON instead of a table.", default: false },
};

/** The PKI folders named by --pki, or by the opcua sources of --config. */
export async function pkiDirsOf(args: ParsedArgs): Promise<string[]> {
  const pki = args.options.pki as string | undefined;
  if (pki) return [pki];
  const file = args.options.config as string | undefined;
  if (!file) throw new RangeError("give --pki DIR or --config FILE");
  const config = await loadConfig(file);
  const wanted = args.options.source as string | undefined;
  const sources = config.sources.filter((s) =>
    s.type === "opcua" && (wanted === undefined || s.name === wanted)
  ) as unknown as { name: string; pki_dir?: string }[];
  if (sources.length === 0) {
    throw new RangeError(`${file}: no opcua source${wanted ? ` named "${wanted}"` : ""}`);
  }
  return sources.map((s) => s.pki_dir ?? defaultPkiDir(`${config.gateway.data_dir}/state/${s.name}`));
}

function print(entries: readonly CertificateEntry[], json: boolean): void {
  if (json) return console.log(JSON.stringify(entries, null, 2));
  if (entries.length === 0) return console.log("no certificates");
  for (const e of entries) {
    console.log(
      `${e.status.padEnd(8)} ${e.thumbprint}  ${e.subject}  valid to ${e.validTo.slice(0, 10)}` +
        `${e.applicationUri ? `  ${e.applicationUri}` : ""}\n         ${e.file}`,
    );
  }
}

function changeCommand(name: "accept" | "reject"): Command {
  return {
    name,
    summary: name === "accept"
      ? "Trust a rejected server certificate (by thumbprint prefix, file name, or all)"
      : "Withdraw trust from a certificate (moves it back to rejected/)",
    usage: "THUMBPRINT|FILE|all (--pki DIR | --config FILE [--source NAME])",
    options,
    async run(args) {
      const selector = args.positionals[0];
      if (!selector) {
        console.error(
          `trust ${name}: give a thumbprint prefix, a file name, or "all" (see "gateway trust list")`,
        );
        return 2;
      }
      const done: CertificateEntry[] = [];
      for (const dir of await pkiDirsOf(args)) {
        done.push(...await (name === "accept" ? acceptCertificates : rejectCertificates)(dir, selector));
      }
      print(done, args.options.json as boolean);
      return 0;
    },
  };
}

defineCommand({
  name: "trust",
  summary: "List, accept or reject OPC UA server certificates",
  details: "Unknown server certificates are rejected and kept in <pki>/rejected/. Review them with\n" +
    "`gateway trust list`, then `gateway trust accept <thumbprint>`; the source uses it on its next attempt.",
  options: {},
  subcommands: [
    {
      name: "list",
      summary: "List rejected and trusted server certificates",
      usage: "--pki DIR | --config FILE [--source NAME]",
      options,
      async run(args) {
        const json = args.options.json as boolean;
        const all: CertificateEntry[] = [];
        for (const dir of await pkiDirsOf(args)) {
          const found = await listCertificates(dir);
          if (json) all.push(...found);
          else {
            console.log(`PKI ${dir}:`);
            print(found, false);
          }
        }
        if (json) print(all, true);
        return 0;
      },
    },
    changeCommand("accept"),
    changeCommand("reject"),
  ],
});

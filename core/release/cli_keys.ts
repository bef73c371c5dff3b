/**
 * @module `gateway release keygen` and `gateway release root`: release keys and (rotated) root metadata.
 */
import type { Command } from "../cli/command.ts";
import { generateKeyFiles, publicKeyFrom, type PublicKeyInfo, signingKeyFrom } from "./keys.ts";
import { addSignatures } from "./envelope.ts";
import { type RootMetadata, trustInitialRoot, verifyRotation } from "./root.ts";
import { readJsonFile, writeJsonAtomic } from "./json_file.ts";

export const keygenCommand: Command = {
  name: "keygen",
  summary: "Generate an Ed25519 release key pair (NAME.key private, NAME.pub.json public)",
  usage: "--name NAME [--out-dir DIR]",
  options: {
    name: { type: "string", arg: "NAME", description: "Key name (file prefix).", required: true },
    "out-dir": { type: "string", arg: "DIR", description: "Directory for the key files.", default: "." },
  },
  async run({ options }) {
    const dir = options["out-dir"] as string;
    const name = options.name as string;
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new TypeError(`--name: "${name}" is not a plain file name`);
    await Deno.mkdir(dir, { recursive: true });
    const priv = `${dir}/${name}.key`;
    try {
      await Deno.lstat(priv);
      throw new Error(`${priv} already exists; refusing to overwrite a private key`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const { privateFile, publicFile } = await generateKeyFiles();
    await writeJsonAtomic(priv, privateFile, 0o600);
    await writeJsonAtomic(`${dir}/${name}.pub.json`, publicFile);
    console.log(
      `key ${publicFile.keyid}\n  private: ${priv} (keep offline)\n  public:  ${dir}/${name}.pub.json`,
    );
    return 0;
  },
};

export const rootCommand: Command = {
  name: "root",
  summary: "Create root metadata (trusted keys + threshold), or its next version to rotate keys",
  usage: "--key PUB... --threshold N --sign KEY... --out FILE [--previous ROOT]",
  details:
    "The first root is signed by a threshold of its own keys and installed on gateways as the trusted keys\n" +
    "file. To rotate, pass --previous: the new root gets version+1 and must be signed by a threshold of the\n" +
    "previous keys AND of the new keys (give all those private keys with --sign). Push it with an update.",
  options: {
    key: { type: "string", arg: "PUB", description: "Public key file to trust.", multiple: true },
    threshold: { type: "number", arg: "N", description: "Signatures required on releases.", default: 1 },
    sign: { type: "string", arg: "KEY", description: "Private key file to sign with.", multiple: true },
    previous: { type: "string", arg: "ROOT", description: "Current root metadata (for a rotation)." },
    out: { type: "string", arg: "FILE", description: "Output file.", required: true },
  },
  async run({ options }) {
    const keys: Record<string, PublicKeyInfo> = {};
    for (const path of options.key as string[]) {
      const k = await publicKeyFrom(await readJsonFile(path), path);
      keys[k.keyid] = k.info;
    }
    const threshold = options.threshold as number;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > Object.keys(keys).length) {
      throw new RangeError(
        `--threshold must be an integer between 1 and the number of --key files (${
          Object.keys(keys).length
        })`,
      );
    }
    const signers = [];
    for (const path of options.sign as string[]) {
      signers.push(await signingKeyFrom(await readJsonFile(path), path));
    }
    const previous = typeof options.previous === "string"
      ? await trustInitialRoot(await readJsonFile(options.previous), options.previous)
      : undefined;
    const root: RootMetadata = {
      type: "root",
      version: previous ? previous.signed.version + 1 : 1,
      threshold,
      keys,
      created: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    };
    const env = await addSignatures({ signed: root, signatures: [] }, signers);
    if (previous) await verifyRotation(previous, env, options.out as string);
    else await trustInitialRoot(env, options.out as string);
    await writeJsonAtomic(options.out as string, env);
    console.log(
      `root version ${root.version}: ${
        Object.keys(keys).length
      } key(s), threshold ${threshold} -> ${options.out}`,
    );
    return 0;
  },
};

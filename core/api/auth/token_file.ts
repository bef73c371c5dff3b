/**
 * @module The tokens file: hashed API tokens with role and scopes, written atomically with mode 0600.
 */
import { parseScopes, type Role, ROLES } from "./roles.ts";
import { generateToken, hashSecret, newSalt } from "./token_format.ts";

/** One stored token (never the secret itself). */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly salt: string;
  readonly hash: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** A token as listed (no salt or hash). */
export type TokenInfo = Omit<TokenRecord, "salt" | "hash">;

interface FileShape {
  readonly version: 1;
  readonly tokens: TokenRecord[];
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.@-]{0,63}$/;

/** Reads and writes one tokens file. */
export class TokenFile {
  constructor(readonly path: string) {}

  /** All records; a missing file is an empty list, a corrupt one an error naming the file. */
  async read(): Promise<TokenRecord[]> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw new Error(`cannot read tokens file ${this.path}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`tokens file ${this.path} is not valid JSON`, { cause: error });
    }
    const tokens = (parsed as Partial<FileShape> | null)?.tokens;
    if (!Array.isArray(tokens)) throw new Error(`tokens file ${this.path} has no "tokens" list`);
    return tokens.filter(isRecord);
  }

  /** Tokens without their hashes. */
  async list(): Promise<TokenInfo[]> {
    return (await this.read()).map(({ salt: _s, hash: _h, ...info }) => info);
  }

  /** Creates a token; the returned secret is shown once and never stored. */
  async create(
    input: { name: string; role: Role; scopes: readonly string[] },
    now: Date = new Date(),
  ): Promise<{ token: string; info: TokenInfo }> {
    if (!NAME_PATTERN.test(input.name)) {
      throw new TypeError(
        `invalid token name "${input.name}": 1-64 letters, digits, space, _ . @ -, starting with a letter or digit`,
      );
    }
    if (!ROLES.includes(input.role)) {
      throw new TypeError(`invalid role "${input.role}": expected one of ${ROLES.join(", ")}`);
    }
    parseScopes(input.scopes);
    const records = await this.read();
    if (records.some((r) => r.name === input.name && !r.revokedAt)) {
      throw new TypeError(
        `a token named "${input.name}" already exists; revoke it first or pick another name`,
      );
    }
    const { id, token, secret } = generateToken();
    const salt = newSalt();
    const record: TokenRecord = {
      id,
      name: input.name,
      role: input.role,
      scopes: [...new Set(input.scopes)],
      salt,
      hash: await hashSecret(salt, secret),
      createdAt: now.toISOString(),
    };
    await this.#write([...records, record]);
    const { salt: _s, hash: _h, ...info } = record;
    return { token, info };
  }

  /** Revokes the token with this id or (unique, active) name; throws when there is none. */
  async revoke(idOrName: string, now: Date = new Date()): Promise<TokenInfo> {
    const records = await this.read();
    const matches = records.filter((r) => !r.revokedAt && (r.id === idOrName || r.name === idOrName));
    if (matches.length === 0) throw new TypeError(`no active token with id or name "${idOrName}"`);
    const target = matches[0]!;
    const updated = { ...target, revokedAt: now.toISOString() };
    await this.#write(records.map((r) => (r === target ? updated : r)));
    const { salt: _s, hash: _h, ...info } = updated;
    return info;
  }

  async #write(tokens: TokenRecord[]): Promise<void> {
    const dir = this.path.includes("/") ? this.path.slice(0, this.path.lastIndexOf("/")) : ".";
    await Deno.mkdir(dir || "/", { recursive: true });
    const tmp = `${this.path}.${crypto.randomUUID()}.tmp`;
    const body: FileShape = { version: 1, tokens };
    await Deno.writeTextFile(tmp, JSON.stringify(body, null, 2) + "\n", { mode: 0o600 });
    await Deno.rename(tmp, this.path);
  }
}

function isRecord(v: unknown): v is TokenRecord {
  const r = v as Partial<TokenRecord> | null;
  return !!r && typeof r.id === "string" && typeof r.name === "string" && typeof r.salt === "string" &&
    typeof r.hash === "string" && ROLES.includes(r.role as Role) && Array.isArray(r.scopes);
}

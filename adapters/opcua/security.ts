/**
 * @module Maps security and identity settings to node-opcua's options.
 */
import { Buffer } from "node:buffer";
import { X509Certificate } from "node:crypto";
import { MessageSecurityMode, SecurityPolicy, type UserIdentityInfo, UserTokenType } from "node-opcua-client";
import type { AuthConfig, OpcuaConfig } from "./schema.ts";

/** node-opcua's security mode for a configured mode name. */
export function securityModeOf(mode: OpcuaConfig["security"]["mode"]): MessageSecurityMode {
  return mode === "Sign"
    ? MessageSecurityMode.Sign
    : mode === "SignAndEncrypt"
    ? MessageSecurityMode.SignAndEncrypt
    : MessageSecurityMode.None;
}

/** node-opcua's security policy URI for a configured policy name. */
export function securityPolicyOf(policy: OpcuaConfig["security"]["policy"]): SecurityPolicy {
  return SecurityPolicy[policy];
}

/** The user identity for CreateSession/ActivateSession; reads certificate files for X.509 identities. */
export async function userIdentityOf(auth: AuthConfig): Promise<UserIdentityInfo> {
  if (auth.type === "username") {
    return { type: UserTokenType.UserName, userName: auth.username, password: auth.password };
  }
  if (auth.type === "certificate") {
    let der: Buffer;
    let key: string;
    try {
      der = Buffer.from(new X509Certificate(await Deno.readFile(auth.cert_file)).raw);
    } catch (error) {
      throw new TypeError(`auth.cert_file ${auth.cert_file}: cannot read an X.509 certificate`, {
        cause: error,
      });
    }
    try {
      key = await Deno.readTextFile(auth.key_file);
    } catch (error) {
      throw new TypeError(`auth.key_file ${auth.key_file}: cannot read the private key`, { cause: error });
    }
    if (!key.includes("PRIVATE KEY")) {
      throw new TypeError(`auth.key_file ${auth.key_file}: not a PEM private key`);
    }
    return {
      type: UserTokenType.Certificate,
      certificateData: der,
      privateKey: key as never,
    };
  }
  return { type: UserTokenType.Anonymous };
}

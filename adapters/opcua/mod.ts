/**
 * @module The OPC UA source: subscriptions or polling, security and trust, metadata, recovery, backfill,
 * clock audit; plus the `gateway trust` and `gateway browse` commands.
 */
import { defineSource } from "../../core/mod.ts";
import { opcuaSchema } from "./schema.ts";
import { OpcuaSource } from "./source.ts";
import "./trust_command.ts";
import "./browse_command.ts";

defineSource({
  type: "opcua",
  description:
    "OPC UA client: subscriptions or polling, Sign/SignAndEncrypt, reconnect with fresh sessions, backfill.",
  schema: opcuaSchema,
  create: (config) => new OpcuaSource(config),
});

export { OpcuaSource } from "./source.ts";
export { type OpcuaConfig, opcuaSchema } from "./schema.ts";
export { acceptCertificates, listCertificates, rejectCertificates } from "./trust_store.ts";
export { browseTree } from "./browse.ts";

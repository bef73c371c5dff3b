import assert from "node:assert/strict";
import { createLogger } from "../../../core/mod.ts";
import { fromNodeOpcua, guardNodeOpcuaRejections } from "../../../adapters/opcua/rejection_guard.ts";

function opcuaError(): Error {
  const e = new Error(
    "Transaction has timed out ( timeout = 15000 ms , request = CreateSubscriptionRequest)",
  );
  e.stack =
    `${e.message}\n    at Timeout._onTimeout (file:///app/node_modules/.deno/node-opcua-secure-channel@2.186.4/` +
    `node_modules/node-opcua-secure-channel/source/client/client_secure_channel_layer.ts:1681:17)`;
  return e;
}

Deno.test("a rejection node-opcua leaves unhandled is logged and does not end the process", async () => {
  const lines: string[] = [];
  guardNodeOpcuaRejections(createLogger({ level: "debug", writer: (l) => lines.push(l) }));
  void Promise.reject(opcuaError());
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(lines.some((l) => l.includes("Transaction has timed out")), lines.join("\n"));
});

Deno.test("only node-opcua's rejections are recognised", () => {
  assert.equal(fromNodeOpcua(opcuaError()), true);
  assert.equal(fromNodeOpcua(new Error("ours")), false);
  assert.equal(fromNodeOpcua("a string"), false);
});

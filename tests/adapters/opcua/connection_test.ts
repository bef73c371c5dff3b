import assert from "node:assert/strict";
import { explainConnectError } from "../../../adapters/opcua/connection.ts";
import { config } from "./_harness.ts";

const base = { endpoint: "opc.tcp://plc:4840/ua", nodes: [{ name: "a", node_id: "i=2258" }] };

Deno.test("connect errors say what to do", () => {
  const plain = config(base);
  const untrusted = explainConnectError(
    new Error("server Certificate verification failed with err BadCertificateUntrusted (0x801a0000)"),
    "/var/gw/pki",
    plain,
  );
  assert.match(untrusted, /not trusted; it was saved to \/var\/gw\/pki\/rejected/);
  assert.match(untrusted, /gateway trust accept <thumbprint> --pki \/var\/gw\/pki/);

  const user = config({ ...base, auth: { type: "username", username: "op", password: "secret" } });
  const denied = explainConnectError(new Error("BadUserAccessDenied (0x801f0000)"), "/p", user);
  assert.match(denied, /denied access to user "op"/);
  assert.ok(!denied.includes("secret"));

  const mode = explainConnectError(
    new Error("End point must exist opc.tcp://plc:4840/ua  securityMode = None\nEnd point must exist"),
    "/p",
    plain,
  );
  assert.equal(
    mode,
    "opc.tcp://plc:4840/ua offers no endpoint with security None/None " +
      "(check security.mode and security.policy against the server's endpoints)",
  );
  assert.equal(
    explainConnectError(new Error("connect ECONNREFUSED 127.0.0.1:4840"), "/p", plain),
    "opc.tcp://plc:4840/ua: connection refused",
  );
  assert.equal(
    explainConnectError(new Error("\nsomething odd\nmore"), "/p", plain),
    "opc.tcp://plc:4840/ua: something odd",
  );
});

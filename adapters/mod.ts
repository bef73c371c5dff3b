/**
 * @module Every adapter, registered by importing it. Adding an adapter means adding one line here.
 */
import "./simulator/mod.ts";
import "./console/mod.ts";
import "./modbus/mod.ts";
import "./opcua/mod.ts";
import "./history/mod.ts";
import "./mqtt/mod.ts";
import "./onnx/mod.ts";

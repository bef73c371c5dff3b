/**
 * @module Sparkplug B for the MQTT uplink: a hand-written protobuf encoder for the Payload/Metric/DataSet
 * messages and the edge-node codec (births, deaths, seq, bdSeq, aliases, rebirth).
 */
export { NAMESPACE, SparkplugCodec, type SparkplugOptions } from "./codec.ts";
export {
  type DataSet,
  DataType,
  type DataTypeCode,
  decodeCommandMetrics,
  encodePayload,
  type Metric,
  type Payload,
} from "./payload.ts";
export { ProtoWriter, readFields } from "./protobuf.ts";

/**
 * @module Test messages of every kind.
 */
import type { Message } from "../../../core/mod.ts";

export function featuresMsg(asset: string, i: number): Message {
  return {
    kind: "features",
    features: {
      asset,
      windowStart: 1_700_000_000_000 + i * 1000,
      windowEnd: 1_700_000_001_000 + i * 1000,
      computedAt: 1_700_000_001_010 + i * 1000,
      schemaVersion: 1,
      features: { "vib_x.rms": 0.5 + i * 1e-3, "vib_x.kurtosis": 3.1 },
      quality: { worst: "good", goodShare: 1 },
    },
  };
}

export function alertMsg(asset: string, i: number): Message {
  return {
    kind: "alert",
    alert: {
      id: `al-${asset}-${i}`,
      asset,
      kind: "anomaly",
      severity: "warning",
      state: "active",
      acknowledged: false,
      raisedAt: 1_700_000_000_000 + i,
      message: `anomaly ${i}`,
      contributions: [{ feature: "vib_x.rms", value: 2.5 }],
    },
  };
}

export function everyKind(): Message[] {
  const t = 1_700_000_000_000;
  return [
    featuresMsg("pump-1", 0),
    alertMsg("pump-1", 0),
    {
      kind: "rollup",
      rollup: {
        tag: "plant.temp",
        asset: "pump-1",
        interval: "1m",
        start: t,
        count: 60,
        mean: 48,
        std: 0.2,
        min: 47.5,
        max: 48.6,
        p95: 48.4,
        last: 48.1,
        badShare: 0,
      },
    },
    {
      kind: "score",
      score: {
        asset: "pump-1",
        detector: "iforest",
        version: "1",
        ts: t,
        score: 0.7,
        threshold: 0.6,
        anomalous: true,
        contributions: [],
      },
    },
    {
      kind: "samples",
      samples: [
        { tag: "plant.temp", value: 48.2, ts: t, recv: t, quality: 0, status: 0 },
        {
          tag: "plant.flow",
          value: Number.NaN,
          ts: t,
          recv: t,
          quality: 2,
          status: 0x800a0000,
          reason: "timeout",
        },
        { tag: "plant.temp", value: 48.3, ts: t + 100, recv: t + 100, quality: 0, status: 0 },
      ],
    },
    {
      kind: "block",
      block: {
        tag: "plant.vib",
        t0: t,
        dt: 0.5,
        values: new Float64Array([0.1, -0.2, 0.3]),
        recv: t,
        quality: 0,
        status: 0,
      },
    },
    {
      kind: "event",
      event: { ts: t, type: "source.connected", component: "plc1", level: "info", message: "connected" },
    },
  ];
}

/**
 * @module The demo gateway's configuration (embedded so the demo runs from a bundle with no files beside it).
 * `${DEMO_*}` values are filled in by the demo command with the embedded servers' addresses.
 */

/** YAML of the demo gateway. The OPC UA and Modbus sources are appended by the demo command. */
export const DEMO_CONFIG = `
gateway:
  id: demo-gw
  site: demo-plant
  line: line-1
  data_dir: \${DEMO_DATA_DIR}
log:
  level: \${DEMO_LOG_LEVEL:-info}
http:
  port: \${DEMO_HTTP_PORT:-8080}
  auth:
    # The demo's dashboard opens without a token; a real gateway keeps the default (none).
    anonymous_role: operator
sources:
  # The vibration DAQ: a 25.6 kHz accelerometer on pump 1's drive-end bearing, with a developing outer-race defect.
  - name: daq
    type: simulator
    seed: 42
    tick_ms: 100
    signals:
      - name: pump1_vib_x
        kind: vibration
        asset: pump-1
        description: Pump 1 drive-end bearing, horizontal accelerometer
        sample_rate_hz: 25600
        shaft_hz: 24.75
        harmonics: [0.6, 0.2, 0.08]
        noise: 0.05
        fault: { type: outer_race, amplitude: 0.8, resonance_hz: 4000, damping_per_s: 900 }
        range: { low: -8, high: 8 }
        calibration_date: "2026-03-14"
        notes: Stud-mounted on the bearing housing; replaced after the 2025 flood.
transforms:
  - name: features
    type: features
    inputs: []
    assets:
      - asset: pump-1
        speed: { hz: 24.75 }
        windows:
          - tag: daq.pump1_vib_x
            name: vib
            length: 16384
            stats: [rms, peak, crest_factor, kurtosis]
            spectrum: true
            bands:
              - { name: 1x, orders: [0.9, 1.1] }
              - { name: 2x, orders: [1.9, 2.1] }
            peaks: 3
            envelope:
              band: [2500, 6000]
              bearing: { balls: 9, ball_diameter: 7.94, pitch_diameter: 39.04 }
        context:
          flow: opcua.pump1_flow
          bearing_temp: opcua.pump1_bearing_temp
          pressure: opcua.pump1_pressure
  - name: rollup
    type: rollup
    inputs: ["*"]
  - name: anomaly
    type: anomaly
    inputs: [features]
    detectors:
      - { name: z, type: robust_z, learn_vectors: 40 }
      - { name: t2q, type: pca_t2q, learn_vectors: 60 }
sinks:
  - name: history
    type: history
    inputs: ["*", features, rollup, anomaly]
    queue: { journal: true }
  - name: uplink
    type: mqtt
    inputs: ["*", features, rollup, anomaly]
    brokers: ["\${DEMO_MQTT_URL}"]
    protocol_version: "3.1.1"
    queue: { journal: true }
  - name: console
    type: console
    inputs: ["*", anomaly]
    interval_ms: 10000
    max_tags: 14
assets:
  - id: pump-1
    description: Cooling water pump 1
    tags: [daq.pump1_vib_x, opcua.pump1_flow, opcua.pump1_pressure, opcua.pump1_bearing_temp, opcua.pump1_running]
  - id: press-2
    description: Stamping press 2
    tags: [opcua.press2_strokes, plc.line1.strokes, plc.line1.state, plc.line1.energy, plc.line1.temperature, plc.line1.mode]
`;

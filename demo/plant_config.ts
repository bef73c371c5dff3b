/**
 * @module The demo plant's configuration (embedded so the demo runs from a bundle with no files beside it).
 */

/** YAML of the demo gateway; `${DEMO_DATA_DIR}` is set by the demo command. */
export const DEMO_CONFIG = `
gateway:
  id: demo-gw
  site: demo-plant
  line: line-1
  data_dir: \${DEMO_DATA_DIR}
log:
  level: info
sources:
  - name: plant
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
        fault: { type: outer_race, amplitude: 0.4 }
        range: { low: -5, high: 5 }
        calibration_date: "2026-03-14"
        notes: Mounted on the bearing housing with a stud; replaced after the 2025 flood.
      - name: pump1_bearing_temp
        kind: temperature
        asset: pump-1
        unit: degC
        base: 48
        amplitude: 0.5
        period_s: 300
        noise: 0.05
        range: { low: 10, high: 80 }
      - name: pump1_flow
        kind: analog
        asset: pump-1
        unit: m3/h
        base: 120
        amplitude: 4
        period_s: 120
        noise: 0.5
      - name: pump1_state
        kind: state
        asset: pump-1
        description: 2 running, 1 idle, 0 down
      - name: press2_strokes
        kind: counter
        asset: press-2
        unit: strokes
        rate_per_s: 0.8
      - name: press2_guard_closed
        kind: boolean
        asset: press-2
        period_s: 20
        duty: 0.8
    faults:
      - { signal: pump1_bearing_temp, type: spike, start_s: 20, duration_s: 2, magnitude: 12, repeat_every_s: 60 }
      - { signal: pump1_flow, type: bad_quality, start_s: 45, duration_s: 5, repeat_every_s: 90 }
sinks:
  - name: console
    type: console
    interval_ms: 2000
assets:
  - id: pump-1
    description: Cooling water pump 1
    tags: [plant.pump1_vib_x, plant.pump1_bearing_temp, plant.pump1_flow, plant.pump1_state]
  - id: press-2
    description: Stamping press 2
    tags: [plant.press2_strokes, plant.press2_guard_closed]
`;

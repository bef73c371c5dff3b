// uPlot helpers: dark axes, resizing, empty states.
/* global uPlot */

const AXIS = { stroke: "#8b98a5", grid: { stroke: "#263140" }, ticks: { stroke: "#263140" } };
export const COLORS = ["#58a6ff", "#f0883e", "#3fb950", "#d2a8ff", "#ff7b72", "#e3b341"];

/** Creates (or replaces) a uPlot chart in `root`. */
export function chart(root, { series, data, height = 220, time = true, xLabel, yLabel, hooks, scales }) {
  root.replaceChildren();
  const opts = {
    width: Math.max(280, root.clientWidth || 500),
    height,
    scales: { x: { time }, ...(scales ?? {}) },
    axes: [{ ...AXIS, ...(xLabel ? { label: xLabel } : {}) }, {
      ...AXIS,
      ...(yLabel ? { label: yLabel } : {}),
    }],
    series: [
      {},
      ...series.map((s, i) => ({ stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, ...s })),
    ],
    legend: { live: true },
    ...(hooks ? { hooks } : {}),
  };
  const u = new uPlot(opts, data, root);
  new ResizeObserver(() => u.setSize({ width: Math.max(280, root.clientWidth), height })).observe(root);
  return u;
}

/** Shows a message instead of a chart. */
export function empty(root, text) {
  const d = document.createElement("div");
  d.className = "empty";
  d.textContent = text;
  root.replaceChildren(d);
}

// Small formatting and DOM helpers.

/** Creates an element with properties and children. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== null) e.append(c);
  return e;
}

/** A value for display. */
export function fmtValue(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return Math.abs(v) >= 1e5 || Number.isInteger(v) ? String(v) : v.toPrecision(5);
  return String(v);
}

/** Age of a timestamp, short. */
export function fmtAge(ts, now = Date.now()) {
  const s = Math.max(0, (now - ts) / 1000);
  if (s < 1) return "now";
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** A chart width that fits the container. */
export function widthOf(node) {
  return Math.max(280, node.clientWidth || node.parentElement.clientWidth - 24);
}

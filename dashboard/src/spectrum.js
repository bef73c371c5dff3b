// Latest spectrum and envelope spectrum of a vibration tag, with bearing-frequency markers.
import { api } from "./api.js";
import { chart, empty } from "./charts.js";
import { el } from "./format.js";

function markerHook(markers) {
  return {
    draw: [(u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.font = `${11 * devicePixelRatio}px sans-serif`;
      for (const m of markers) {
        const x = u.valToPos(m.hz, "x", true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.strokeStyle = typeof m.ratio === "number" && m.ratio >= 3 ? "#f85149" : "#e3b341";
        ctx.setLineDash([4, 4]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillStyle = ctx.strokeStyle;
        ctx.fillText(m.name, x + 3, u.bbox.top + 12 * devicePixelRatio);
      }
      ctx.restore();
    }],
  };
}

export class Spectrum {
  constructor(select, info, main, envelope, markers) {
    Object.assign(this, { select, info, main, envelope, markers });
    select.addEventListener("change", () => this.refresh());
  }

  async loadTags() {
    try {
      const { tags } = await api("/api/v1/spectra");
      const current = this.select.value;
      this.select.replaceChildren(...tags.map((t) => el("option", { value: t }, t)));
      if (tags.includes(current)) this.select.value = current;
      if (tags.length === 0) {
        empty(this.main, "no vibration tag has a spectrum yet");
        empty(this.envelope, "");
      }
      return tags.length > 0;
    } catch (e) {
      empty(this.main, e.status === 503 ? "no spectra: the feature transform is not running" : e.message);
      empty(this.envelope, "");
      return false;
    }
  }

  async refresh() {
    if (!(await this.loadTags()) || !this.select.value) return;
    try {
      const s = await api(`/api/v1/spectra/${encodeURIComponent(this.select.value)}?max_bins=2048`);
      this.info.textContent = `${s.tag} · fs ${s.fs} Hz · ${new Date(s.ts).toLocaleTimeString()}`;
      chart(this.main, {
        series: [{ label: "amplitude" }],
        data: [s.frequencies, s.amplitude],
        time: false,
        height: 180,
        xLabel: "Hz",
        hooks: markerHook(s.markers),
      });
      if (s.envelope) {
        chart(this.envelope, {
          series: [{ label: "envelope" }],
          data: [s.envelope.frequencies, s.envelope.amplitude],
          time: false,
          height: 160,
          xLabel: "Hz",
          hooks: markerHook(s.markers),
        });
      } else empty(this.envelope, "no envelope spectrum for this tag");
      this.markers.replaceChildren(
        ...s.markers.map((m) =>
          el(
            "span",
            { class: `marker${typeof m.ratio === "number" && m.ratio >= 3 ? " hit" : ""}` },
            `${m.name} ${m.hz.toFixed(1)} Hz${typeof m.ratio === "number" ? ` ×${m.ratio.toFixed(1)}` : ""}`,
          )
        ),
      );
    } catch (e) {
      empty(this.main, e.message);
    }
  }
}

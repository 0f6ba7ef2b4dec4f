/** Exports of the planner: CSV of the per-minute series, and a chart as SVG or PNG (2× pixels). */
import type { PlanResponse } from "./plan-api.js";

/** Save `blob` as a file called `name` through a temporary link. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function cell(v: string | number | boolean | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One row per target and time: the columns of the plan document's series. */
export function planCsv(plan: PlanResponse): string {
  const head = [
    "target",
    "time_utc",
    "altitude_deg",
    "azimuth_deg",
    "airmass_secz",
    "airmass_kasten_young",
    "hour_angle_h",
    "moon_separation_deg",
    "sun_altitude_deg",
    "moon_altitude_deg",
    "observable",
  ];
  const rows = [head.join(",")];
  for (const t of plan.targets) {
    (t.series ?? []).forEach((s, k) => {
      const n = plan.night.series[k];
      rows.push(
        [
          t.name,
          s.time,
          s.altitude,
          s.azimuth,
          s.airmass,
          s.airmassKastenYoung,
          s.hourAngle,
          s.moonSeparation,
          n?.sunAltitude ?? null,
          n?.moonAltitude ?? null,
          s.observable,
        ]
          .map(cell)
          .join(","),
      );
    });
  }
  return `${rows.join("\n")}\n`;
}

/** A standalone SVG document of `svg` (the charts draw with inline attributes only). */
export function svgDocument(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const [, , w, h] = (copy.getAttribute("viewBox") ?? "0 0 900 420").split(/\s+/);
  copy.setAttribute("width", w ?? "900");
  copy.setAttribute("height", h ?? "420");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** Rasterise `svg` to PNG at `scale` × its viewBox size. */
export async function svgToPng(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgDocument(svg);
  const [, , w = "900", h = "420"] = (svg.getAttribute("viewBox") ?? "").split(/\s+/);
  const img = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the chart could not be drawn as an image"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Number(w) * scale;
    canvas.height = Number(h) * scale;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

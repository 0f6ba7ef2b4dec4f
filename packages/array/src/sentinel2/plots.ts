/**
 * Plots of analysis results: a 2-D map as PNG (colormap from @meridian/fits, NaN transparent, a
 * colour bar below) and time series as SVG.
 */
import { colormap, encodePng } from "@meridian/fits";
import type { DataArray } from "../data-array.js";
import { ArrayError } from "../errors.js";

export interface MapOptions {
  vmin: number;
  vmax: number;
  /** A @meridian/fits colormap name (viridis, RdBu, RdBu_r, …). */
  colormap?: string;
  /** Pixel repeat factor (default: enough for ~512 px across). */
  scale?: number;
}

/** Render a (y, x) DataArray as an RGBA PNG with a colour bar strip at the bottom. */
export function renderMapPng(map: DataArray, options: MapOptions): Uint8Array {
  if (map.ndim !== 2)
    throw new ArrayError("DIMENSION_MISMATCH", `renderMapPng takes a 2-D array, got dims [${map.dims}]`, {
      array: map.name,
    });
  const [h, w] = map.shape as [number, number];
  const s = options.scale ?? Math.max(1, Math.floor(512 / Math.max(w, h)));
  const lut = colormap(options.colormap ?? "viridis");
  const bar = Math.max(8, Math.round(h * s * 0.06));
  const W = w * s;
  const H = h * s + bar + 2;
  const px = new Uint8Array(W * H * 4);
  const v = map.data.toFloat64();
  const color = (x: number, o: number) => {
    const t = Math.max(0, Math.min(1, (x - options.vmin) / (options.vmax - options.vmin)));
    const i = Math.min(255, Math.floor(t * 256));
    px[o] = lut[3 * i] as number;
    px[o + 1] = lut[3 * i + 1] as number;
    px[o + 2] = lut[3 * i + 2] as number;
    px[o + 3] = 255;
  };
  for (let y = 0; y < h * s; y++)
    for (let x = 0; x < W; x++) {
      const val = v[Math.floor(y / s) * w + Math.floor(x / s)] as number;
      if (!Number.isNaN(val)) color(val, (y * W + x) * 4);
    }
  for (let y = h * s + 2; y < H; y++)
    for (let x = 0; x < W; x++)
      color(options.vmin + ((options.vmax - options.vmin) * x) / (W - 1 || 1), (y * W + x) * 4);
  return encodePng(px, W, H, "rgba");
}

export interface SeriesLine {
  label: string;
  /** Times, epoch ms. */
  t: readonly number[];
  values: readonly number[];
  color?: string;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

/** Time series as a standalone SVG (NaN values break the line). */
export function timeSeriesSvg(
  lines: readonly SeriesLine[],
  options: { title: string; ylabel: string; ymin?: number; ymax?: number },
): string {
  const W = 720;
  const H = 360;
  const L = 60;
  const R = 20;
  const T = 36;
  const B = 48;
  const ts = lines.flatMap((l) => l.t);
  const vs = lines.flatMap((l) => l.values.filter((x) => !Number.isNaN(x)));
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts);
  const y0 = options.ymin ?? Math.min(...vs);
  const y1 = options.ymax ?? Math.max(...vs);
  const X = (t: number) => L + ((t - t0) / (t1 - t0 || 1)) * (W - L - R);
  const Y = (v: number) => H - B - ((v - y0) / (y1 - y0 || 1)) * (H - T - B);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(options.title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(options.title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text transform="translate(16 ${(H - B + T) / 2}) rotate(-90)" text-anchor="middle">${esc(options.ylabel)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = y0 + ((y1 - y0) * i) / 5;
    out.push(
      `<line x1="${L - 4}" y1="${Y(v)}" x2="${L}" y2="${Y(v)}" stroke="black"/><text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  const d0 = new Date(t0);
  for (
    let m = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), 1), k = 0;
    m <= t1;
    k++, m = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth() + k, 1)
  ) {
    if (m < t0) continue;
    const label = new Date(m).toISOString().slice(0, 7);
    out.push(`<line x1="${X(m)}" y1="${H - B}" x2="${X(m)}" y2="${H - B + 4}" stroke="black"/>`);
    if (k % 2 === 0)
      out.push(`<text x="${X(m)}" y="${H - B + 18}" text-anchor="middle" font-size="10">${label}</text>`);
  }
  const palette = ["#1b7837", "#2166ac", "#b2182b", "#762a83"];
  lines.forEach((l, i) => {
    const color = l.color ?? palette[i % palette.length];
    let d = "";
    let pen = false;
    l.t.forEach((t, j) => {
      const v = l.values[j] as number;
      if (Number.isNaN(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${X(t).toFixed(1)},${Y(v).toFixed(1)}`;
      pen = true;
      out.push(`<circle cx="${X(t).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="2.5" fill="${color}"/>`);
    });
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    out.push(`<text x="${W - R - 150}" y="${T + 14 + 16 * i}" fill="${color}">${esc(l.label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

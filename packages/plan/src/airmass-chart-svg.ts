/**
 * A static SVG airmass chart of a night plan: altitude (left axis) and sec z airmass (right
 * axis) against UTC, twilight bands shaded, the Moon dashed, one coloured line per target.
 */
import type { NightPlan } from "./plan-night.js";

/** Options of {@link airmassChartSvg}. */
export interface AirmassChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
}

// Observable 10 categorical palette (colour-blind aware ordering).
const COLOURS = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Render `plan` as an SVG document string. */
export function airmassChartSvg(plan: NightPlan, options: AirmassChartOptions = {}): string {
  const W = options.width ?? 900;
  const H = options.height ?? 480;
  const m = { l: 56, r: 56, t: 36, b: 44 };
  const { times, sunAltitude, moonAltitude } = plan.night;
  const t0 = times[0] ?? 0;
  const t1 = times[times.length - 1] ?? 1;
  const x = (t: number) => m.l + ((t - t0) / (t1 - t0)) * (W - m.l - m.r);
  const y = (alt: number) => m.t + (1 - Math.max(0, Math.min(90, alt)) / 90) * (H - m.t - m.b);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  // Twilight shading: darker as the Sun goes lower.
  const shade = (alt: number) =>
    alt > -0.833 ? null : alt > -6 ? "#dfe6f3" : alt > -12 ? "#b9c6e0" : alt > -18 ? "#8fa2c9" : "#5d6f99";
  // One rectangle per run of equal shade, so no seams show between grid steps.
  let k = 0;
  while (k + 1 < times.length) {
    const f = shade(sunAltitude[k] ?? 0);
    let j = k + 1;
    while (j + 1 < times.length && shade(sunAltitude[j] ?? 0) === f) j++;
    if (f) {
      const xa = x(times[k] ?? 0);
      const xb = x(times[j] ?? 0);
      out.push(
        `<rect x="${xa.toFixed(1)}" y="${m.t}" width="${(xb - xa).toFixed(1)}" height="${H - m.t - m.b}" fill="${f}" opacity="0.5"/>`,
      );
    }
    k = j;
  }
  // Grid and axes.
  for (const alt of [0, 15, 30, 45, 60, 75, 90]) {
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${y(alt)}" y2="${y(alt)}" stroke="#000" stroke-opacity="0.12"/>`,
    );
    out.push(`<text x="${m.l - 6}" y="${y(alt) + 4}" text-anchor="end">${alt}°</text>`);
  }
  for (const am of [1, 1.2, 1.5, 2, 3]) {
    const alt = (Math.asin(1 / am) * 180) / Math.PI;
    out.push(`<text x="${W - m.r + 6}" y="${y(alt) + 4}">${am.toFixed(1)}</text>`);
  }
  out.push(
    `<text x="${m.l - 6}" y="${H - m.b + 30}" text-anchor="end">altitude</text><text x="${W - m.r + 6}" y="${H - m.b + 30}">airmass</text>`,
  );
  const hour = 3600000;
  for (let t = Math.ceil(t0 / hour) * hour; t <= t1; t += hour) {
    const d = new Date(t);
    out.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${m.t}" y2="${H - m.b}" stroke="#000" stroke-opacity="0.08"/>`,
    );
    if (d.getUTCHours() % 2 === 0)
      out.push(
        `<text x="${x(t)}" y="${H - m.b + 16}" text-anchor="middle">${String(d.getUTCHours()).padStart(2, "0")}h</text>`,
      );
  }
  out.push(
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle">UTC, night starting ${new Date(t0).toISOString().slice(0, 10)}</text>`,
  );
  const path = (alts: Float64Array) => {
    let d = "";
    let pen = false;
    for (let k = 0; k < times.length; k++) {
      const a = alts[k] ?? -90;
      if (a < 0) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${x(times[k] ?? 0).toFixed(1)},${y(a).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  out.push(
    `<path d="${path(moonAltitude)}" fill="none" stroke="#777" stroke-width="1.5" stroke-dasharray="5 4"/>`,
  );
  plan.targets.forEach((t, i) => {
    const c = COLOURS[i % COLOURS.length];
    out.push(
      `<path d="${path(t.altitude)}" fill="none" stroke="${c}" stroke-width="2"><title>${esc(t.target.name)}</title></path>`,
    );
    out.push(
      `<rect x="${m.l + 8 + (i % 5) * 160}" y="${m.t + 6 + Math.floor(i / 5) * 16}" width="10" height="10" fill="${c}"/>`,
    );
    out.push(
      `<text x="${m.l + 22 + (i % 5) * 160}" y="${m.t + 15 + Math.floor(i / 5) * 16}">${esc(t.target.name)}</text>`,
    );
  });
  const illum = Math.round(plan.night.moonIllumination * 100);
  const title =
    options.title ??
    `Site ${plan.site.latitude.toFixed(3)}°, ${plan.site.longitude.toFixed(3)}° — Moon ${illum}% (dashed)`;
  out.push(`<text x="${m.l}" y="${m.t - 14}" font-size="13" font-weight="600">${esc(title)}</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/**
 * Display intervals: the [vmin, vmax] range mapped to [0, 1] before a stretch, as
 * astropy.visualization's MinMaxInterval, PercentileInterval, AsymmetricPercentileInterval,
 * ManualInterval and ZScaleInterval.
 */
import { FitsError } from "./errors.js";
import { type PixelArray, percentiles } from "./image-stats.js";
import { type ZScaleOptions, zscale } from "./zscale.js";

/** How to choose display limits. */
export type IntervalSpec =
  | { kind: "minmax" }
  | { kind: "percentile"; percent: number }
  | { kind: "asymmetric-percentile"; lower: number; upper: number }
  | { kind: "manual"; vmin?: number; vmax?: number }
  | ({ kind: "zscale" } & ZScaleOptions);

/**
 * Parse "minmax", "zscale", "percentile:99.5" (or "99.5%"), "manual:VMIN:VMAX" (either may be
 * empty for the data extreme). Throws FitsError INVALID_ARGUMENT otherwise.
 */
export function parseInterval(text: string): IntervalSpec {
  const t = text.trim().toLowerCase();
  if (t === "minmax") return { kind: "minmax" };
  if (t === "zscale") return { kind: "zscale" };
  const pct = /^(?:percentile:)?([0-9.]+)%?$/.exec(t);
  if (pct !== null && (t.startsWith("percentile:") || t.endsWith("%"))) {
    const p = Number(pct[1]);
    if (p > 0 && p <= 100) return { kind: "percentile", percent: p };
  }
  const man = /^manual:([^:]*):([^:]*)$/.exec(t);
  if (man !== null) {
    const vmin = man[1] === "" ? undefined : Number(man[1]);
    const vmax = man[2] === "" ? undefined : Number(man[2]);
    if ((vmin === undefined || Number.isFinite(vmin)) && (vmax === undefined || Number.isFinite(vmax))) {
      return {
        kind: "manual",
        ...(vmin !== undefined ? { vmin } : {}),
        ...(vmax !== undefined ? { vmax } : {}),
      };
    }
  }
  throw new FitsError(
    "INVALID_ARGUMENT",
    `unknown scale "${text}": use minmax, zscale, percentile:P (0 < P ≤ 100) or manual:VMIN:VMAX`,
  );
}

/** The [vmin, vmax] limits of `data` under `spec` (finite values only). */
export function intervalLimits(data: PixelArray, spec: IntervalSpec): [number, number] {
  switch (spec.kind) {
    case "zscale":
      return zscale(data, spec);
    case "minmax": {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return lo <= hi ? [lo, hi] : [Number.NaN, Number.NaN];
    }
    case "percentile":
    case "asymmetric-percentile": {
      const lower = spec.kind === "percentile" ? (100 - spec.percent) / 2 : spec.lower;
      const upper = spec.kind === "percentile" ? 100 - (100 - spec.percent) / 2 : spec.upper;
      const [lo, hi] = percentiles(data, [lower, upper]);
      return [lo as number, hi as number];
    }
    case "manual": {
      if (spec.vmin !== undefined && spec.vmax !== undefined) return [spec.vmin, spec.vmax];
      const [lo, hi] = intervalLimits(data, { kind: "minmax" });
      return [spec.vmin ?? lo, spec.vmax ?? hi];
    }
  }
}

/**
 * Per-element linear trend along a dimension: the least-squares slope of the values against the
 * coordinate (numpy `polyfit(x, y, 1)[0]` on the non-NaN points; NaN with fewer than two). Time
 * coordinates are measured in years of 365.25 days, so the slope is "per year".
 */
import type { DataArray } from "./data-array.js";
import { DataArray as DA } from "./data-array.js";
import { NDArray } from "./ndarray.js";

const MS_PER_YEAR = 365.25 * 86_400_000;

/** Slope of `array` against its `dim` coordinate (positions when it has none). */
export function linearTrend(array: DataArray, dim: string): DataArray {
  const k = array.axis(dim);
  const n = array.shape[k] as number;
  const c = array.coords.get(dim);
  const raw = c ? c.numbers() : Float64Array.from({ length: n }, (_, i) => i);
  const x = c?.isTime ? raw.map((v) => (v - (raw[0] ?? 0)) / MS_PER_YEAR) : raw;
  const order = [...array.dims.keys()].filter((a) => a !== k).concat([k]);
  const flat = array.data.transpose(order).copy("C").toFloat64();
  const outShape = order.slice(0, -1).map((a) => array.shape[a] as number);
  const lines = n === 0 ? 0 : flat.length / n;
  const out = new Float64Array(lines);
  for (let l = 0; l < lines; l++) {
    let sx = 0;
    let sy = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const y = flat[l * n + i] as number;
      if (Number.isNaN(y)) continue;
      sx += x[i] as number;
      sy += y;
      m++;
    }
    if (m < 2) {
      out[l] = NaN;
      continue;
    }
    const mx = sx / m;
    const my = sy / m;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const y = flat[l * n + i] as number;
      if (Number.isNaN(y)) continue;
      const dx = (x[i] as number) - mx;
      sxy += dx * (y - my);
      sxx += dx * dx;
    }
    out[l] = sxx === 0 ? NaN : sxy / sxx;
  }
  const dims = order.slice(0, -1).map((a) => array.dims[a] as string);
  return DA.build(new NDArray("float64", outShape, out), dims, array.coords, {}, array.name);
}

/** Times where a sampled quantity crosses a level, by linear interpolation between grid samples. */

/** A crossing: time (Unix ms UTC) and direction (`rise`: value goes from below to above). */
export interface Crossing {
  readonly time: number;
  readonly kind: "rise" | "set";
}

/**
 * Every crossing of `level` by `values[offset .. offset+n)` sampled at `timesMs`. On a 1-minute
 * grid the interpolation error of an altitude crossing is below a second of time.
 */
export function findCrossings(
  values: Float64Array,
  timesMs: Float64Array,
  level: number,
  offset = 0,
  n = timesMs.length,
): Crossing[] {
  const out: Crossing[] = [];
  for (let k = 1; k < n; k++) {
    const a = (values[offset + k - 1] ?? 0) - level;
    const b = (values[offset + k] ?? 0) - level;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) {
      const f = a / (a - b);
      const t0 = timesMs[k - 1] ?? 0;
      const t1 = timesMs[k] ?? 0;
      out.push({ time: t0 + f * (t1 - t0), kind: b >= 0 ? "rise" : "set" });
    }
  }
  return out;
}

/**
 * Upper transits (hour angle crossing 0 from east to west) from sampled hour angles in hours;
 * a jump across ±12 h (lower transit) is ignored.
 */
export function findTransits(
  hourAngle: Float64Array,
  timesMs: Float64Array,
  offset = 0,
  n = timesMs.length,
): number[] {
  const out: number[] = [];
  for (let k = 1; k < n; k++) {
    const a = hourAngle[offset + k - 1] ?? 0;
    const b = hourAngle[offset + k] ?? 0;
    if (a < 0 && b >= 0 && b - a < 6) {
      const f = a / (a - b);
      const t0 = timesMs[k - 1] ?? 0;
      const t1 = timesMs[k] ?? 0;
      out.push(t0 + f * (t1 - t0));
    }
  }
  return out;
}

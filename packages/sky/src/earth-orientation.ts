/**
 * Earth orientation parameters from the committed IERS EOP 14 C04 table (daily, 1972 to the table's
 * end): UT1 − UTC and polar motion. Linear interpolation between days, as TEMPO and astropy do;
 * UT1 − UTC is interpolated across leap seconds without the one-second jump.
 */
import {
  EOP_FIRST_MJD,
  EOP_LAST_MJD,
  POLAR_X_10UAS_DELTAS,
  POLAR_Y_10UAS_DELTAS,
  UT1_MINUS_UTC_US_DELTAS,
} from "./eop-table.js";
import { warnOnce } from "./warnings.js";

export { EOP_FIRST_MJD, EOP_LAST_MJD };

let tables: { ut1: Float64Array; x: Float64Array; y: Float64Array } | undefined;

function decode(deltas: string, scale: number): Float64Array {
  const parts = deltas.split(",");
  const out = new Float64Array(parts.length);
  let acc = 0;
  for (let i = 0; i < parts.length; i++) {
    acc += Number(parts[i]);
    out[i] = acc * scale;
  }
  return out;
}

function load() {
  tables ??= {
    ut1: decode(UT1_MINUS_UTC_US_DELTAS, 1e-6),
    x: decode(POLAR_X_10UAS_DELTAS, 1e-5),
    y: decode(POLAR_Y_10UAS_DELTAS, 1e-5),
  };
  return tables;
}

function interpolate(column: Float64Array, mjdUtc: number, removeLeaps: boolean): number {
  const last = column.length - 1;
  if (!(mjdUtc >= EOP_FIRST_MJD && mjdUtc <= EOP_LAST_MJD)) {
    warnOnce(
      "eop-out-of-range",
      `Earth orientation table covers MJD ${EOP_FIRST_MJD}–${EOP_LAST_MJD}; the nearest value is used outside it`,
    );
    return mjdUtc < EOP_FIRST_MJD ? column[0]! : column[last]!;
  }
  const i = Math.min(Math.floor(mjdUtc - EOP_FIRST_MJD), last - 1);
  const v0 = column[i]!;
  let dv = column[i + 1]! - v0;
  if (removeLeaps) dv -= Math.round(dv);
  return v0 + (mjdUtc - EOP_FIRST_MJD - i) * dv;
}

/** UT1 − UTC in seconds at the UTC time `mjdUtc` (MJD, fraction of day included). */
export function ut1MinusUtc(mjdUtc: number): number {
  return interpolate(load().ut1, mjdUtc, true);
}

/** Polar motion `[x, y]` in arcseconds at the UTC time `mjdUtc` (IERS C04). */
export function polarMotion(mjdUtc: number): [number, number] {
  const t = load();
  return [interpolate(t.x, mjdUtc, false), interpolate(t.y, mjdUtc, false)];
}

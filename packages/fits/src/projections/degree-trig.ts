/**
 * Trigonometry in degrees, exact at multiples of 90° as wcslib's is (so that, e.g., cosd(90) is 0 and
 * poles land exactly on poles).
 */

/** Degrees per radian. */
export const R2D = 180 / Math.PI;
/** Radians per degree. */
export const D2R = Math.PI / 180;

/** Sine of an angle in degrees. */
export function sind(a: number): number {
  const q = a / 90;
  if (q === Math.floor(q)) {
    const i = ((q % 4) + 4) % 4;
    return i === 0 || i === 2 ? 0 : i === 1 ? 1 : -1;
  }
  return Math.sin(a * D2R);
}

/** Cosine of an angle in degrees. */
export function cosd(a: number): number {
  const q = a / 90;
  if (q === Math.floor(q)) {
    const i = ((q % 4) + 4) % 4;
    return i === 1 || i === 3 ? 0 : i === 0 ? 1 : -1;
  }
  return Math.cos(a * D2R);
}

/** Tangent of an angle in degrees (±Infinity at odd multiples of 90°). */
export function tand(a: number): number {
  const q = a / 90;
  if (q === Math.floor(q)) {
    const i = ((q % 4) + 4) % 4;
    return i === 0 || i === 2 ? 0 : i === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  return Math.tan(a * D2R);
}

/** atan2 in degrees. */
export function atan2d(y: number, x: number): number {
  return Math.atan2(y, x) * R2D;
}

/** asin in degrees, clamping arguments within 1e-13 of ±1 (rounding) and NaN beyond. */
export function asind(s: number): number {
  if (s > 1) return s <= 1 + 1e-13 ? 90 : Number.NaN;
  if (s < -1) return s >= -1 - 1e-13 ? -90 : Number.NaN;
  return Math.asin(s) * R2D;
}

/** acos in degrees, clamping arguments within 1e-13 of ±1 and NaN beyond. */
export function acosd(c: number): number {
  if (c > 1) return c <= 1 + 1e-13 ? 0 : Number.NaN;
  if (c < -1) return c >= -1 - 1e-13 ? 180 : Number.NaN;
  return Math.acos(c) * R2D;
}

/** atan in degrees. */
export function atand(t: number): number {
  return Math.atan(t) * R2D;
}

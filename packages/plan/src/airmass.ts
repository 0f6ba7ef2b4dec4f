/** Airmass from altitude: plain sec z and Kasten & Young (1989). */

const DEG = Math.PI / 180;

/** Plane-parallel airmass sec z for an altitude in degrees; `Infinity` at or below the horizon. */
export function airmassSecZ(altitudeDeg: number): number {
  return altitudeDeg > 0 ? 1 / Math.sin(altitudeDeg * DEG) : Number.POSITIVE_INFINITY;
}

/**
 * Relative optical airmass of Kasten & Young (1989, Applied Optics 28, 4735, eq. 3):
 * X = 1 / (cos z + 0.50572 (96.07995° − z)^−1.6364), z the zenith distance in degrees.
 * Finite to about 6° below the horizon (X ≈ 38 at z = 90°); `Infinity` beyond z = 96°.
 */
export function airmassKastenYoung(altitudeDeg: number): number {
  const z = 90 - altitudeDeg;
  if (z >= 96.07995) return Number.POSITIVE_INFINITY;
  return 1 / (Math.cos(z * DEG) + 0.50572 * (96.07995 - z) ** -1.6364);
}

/** Altitude in degrees at which sec z equals `airmass` (≥ 1). */
export function altitudeForAirmass(airmass: number): number {
  return airmass <= 1 ? 90 : Math.asin(1 / airmass) / DEG;
}

/**
 * Whether a satellite is lit by the Sun: outside the Earth's shadow, modelled as a cylinder of the
 * Earth's equatorial radius pointing away from the Sun (no penumbra, no oblateness, no refraction;
 * the cone of a point Sun differs by < 2 km at geostationary distance).
 */
import { Body, GeoVector, MakeTime } from "astronomy-engine";
import type { SatelliteFrame } from "./satellite-frames.js";

/** WGS-72 equatorial radius, km (SGP4's). */
const EARTH_RADIUS_KM = 6378.135;

/** Unit vector towards the Sun's centre on the TEME axes of `frame` at `ms` (Unix ms UTC). */
export function sunDirectionTeme(frame: SatelliteFrame, ms: number): [number, number, number] {
  const sv = GeoVector(Body.Sun, MakeTime(new Date(ms)), false);
  const s = frame.j2000ToTeme([sv.x, sv.y, sv.z]);
  const n = Math.hypot(s[0], s[1], s[2]);
  return [s[0] / n, s[1] / n, s[2] / n];
}

/** True when the geocentric position `r` (km, same axes as `sun`) is outside the shadow cylinder. */
export function isSunlit(
  r: readonly [number, number, number],
  sun: readonly [number, number, number],
): boolean {
  const dot = r[0] * sun[0] + r[1] * sun[1] + r[2] * sun[2];
  if (dot > 0) return true;
  return Math.hypot(r[0] - dot * sun[0], r[1] - dot * sun[1], r[2] - dot * sun[2]) > EARTH_RADIUS_KM;
}

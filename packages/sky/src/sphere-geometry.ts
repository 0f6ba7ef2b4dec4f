/**
 * Geometry on the celestial sphere: angular separation (Vincenty 1975 formula, accurate at every
 * distance including antipodes and near-zero), position angle (east of north), offsets along a
 * position angle, spherical offsets in the frame centred on a point, and rotations. Degrees in and out.
 */
import { DEG_PER_RAD, type Degrees, degrees, RAD_PER_DEG } from "./units.js";
import {
  apply,
  axisAngleMatrix,
  lonLatToVector,
  type Matrix3,
  type Vector3,
  vectorToLonLat,
} from "./vector3.js";

/** Angular separation of two points (degrees), Vincenty's formula (stable for all separations). */
export function separation(
  lon1: Degrees | number,
  lat1: Degrees | number,
  lon2: Degrees | number,
  lat2: Degrees | number,
): Degrees {
  const dl = (lon2 - lon1) * RAD_PER_DEG;
  const p1 = lat1 * RAD_PER_DEG;
  const p2 = lat2 * RAD_PER_DEG;
  const s1 = Math.sin(p1);
  const c1 = Math.cos(p1);
  const s2 = Math.sin(p2);
  const c2 = Math.cos(p2);
  const sdl = Math.sin(dl);
  const cdl = Math.cos(dl);
  const num1 = c2 * sdl;
  const num2 = c1 * s2 - s1 * c2 * cdl;
  const den = s1 * s2 + c1 * c2 * cdl;
  return degrees(Math.atan2(Math.hypot(num1, num2), den) * DEG_PER_RAD);
}

/** Angle between two unit vectors in radians (atan2 of |a×b| and a·b: exact at 0 and π). */
export function vectorSeparation(a: Vector3, b: Vector3): number {
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.hypot(cx, cy, cz), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

/** Position angle of point 2 seen from point 1, degrees east of north in [0°, 360°). */
export function positionAngle(
  lon1: Degrees | number,
  lat1: Degrees | number,
  lon2: Degrees | number,
  lat2: Degrees | number,
): Degrees {
  const dl = (lon2 - lon1) * RAD_PER_DEG;
  const p1 = lat1 * RAD_PER_DEG;
  const p2 = lat2 * RAD_PER_DEG;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  let pa = Math.atan2(y, x) * DEG_PER_RAD;
  if (pa < 0) pa += 360;
  return degrees(pa >= 360 ? 0 : pa);
}

/** The point at angular distance `distance` along position angle `pa` from (lon, lat). Degrees. */
export function offsetByAngle(
  lon: Degrees | number,
  lat: Degrees | number,
  pa: Degrees | number,
  distance: Degrees | number,
): [lon: Degrees, lat: Degrees] {
  const p = lat * RAD_PER_DEG;
  const t = pa * RAD_PER_DEG;
  const d = distance * RAD_PER_DEG;
  const sinLat = Math.sin(p) * Math.cos(d) + Math.cos(p) * Math.sin(d) * Math.cos(t);
  const y = Math.sin(t) * Math.sin(d) * Math.cos(p);
  const x = Math.cos(d) - Math.sin(p) * sinLat;
  let l = lon + Math.atan2(y, x) * DEG_PER_RAD;
  l %= 360;
  if (l < 0) l += 360;
  return [degrees(l), degrees(Math.atan2(sinLat, Math.sqrt(Math.max(0, 1 - sinLat * sinLat))) * DEG_PER_RAD)];
}

/**
 * Rotation that takes (lon0, lat0) to (0, 0) with north kept up: the "sky offset frame" centred
 * on a point (as astropy `SkyOffsetFrame` with rotation 0).
 */
export function offsetFrameMatrix(lon0: Degrees | number, lat0: Degrees | number): Matrix3 {
  const a = lon0 * RAD_PER_DEG;
  const d = lat0 * RAD_PER_DEG;
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  const cd = Math.cos(d);
  const sd = Math.sin(d);
  // Rows: the centre, the east unit vector, the north unit vector.
  return [cd * ca, cd * sa, sd, -sa, ca, 0, -sd * ca, -sd * sa, cd];
}

/**
 * Spherical offsets of point 2 in the frame centred on point 1 (astropy `spherical_offsets_to`):
 * `[dLon, dLat]` in degrees, dLon in (−180°, 180°].
 */
export function sphericalOffsetsTo(
  lon1: Degrees | number,
  lat1: Degrees | number,
  lon2: Degrees | number,
  lat2: Degrees | number,
): [dLon: Degrees, dLat: Degrees] {
  const [l, b] = vectorToLonLat(apply(offsetFrameMatrix(lon1, lat1), lonLatToVector(lon2, lat2)));
  return [degrees(l > 180 ? l - 360 : l), b];
}

/** The point at spherical offsets `[dLon, dLat]` (degrees) in the frame centred on (lon, lat). */
export function sphericalOffsetsBy(
  lon: Degrees | number,
  lat: Degrees | number,
  dLon: Degrees | number,
  dLat: Degrees | number,
): [lon: Degrees, lat: Degrees] {
  const m = offsetFrameMatrix(lon, lat);
  const v = lonLatToVector(dLon, dLat);
  // Inverse rotation = transpose.
  return vectorToLonLat([
    m[0] * v[0] + m[3] * v[1] + m[6] * v[2],
    m[1] * v[0] + m[4] * v[1] + m[7] * v[2],
    m[2] * v[0] + m[5] * v[1] + m[8] * v[2],
  ]);
}

/** Rotate the point (lon, lat) by `angle` degrees about the axis through (axisLon, axisLat), right-handed. */
export function rotateAbout(
  lon: Degrees | number,
  lat: Degrees | number,
  axisLon: Degrees | number,
  axisLat: Degrees | number,
  angle: Degrees | number,
): [lon: Degrees, lat: Degrees] {
  const m = axisAngleMatrix(lonLatToVector(axisLon, axisLat), angle * RAD_PER_DEG);
  return vectorToLonLat(apply(m, lonLatToVector(lon, lat)));
}

/** Midpoint of the shorter great-circle arc between two points (degrees). */
export function midpoint(
  lon1: Degrees | number,
  lat1: Degrees | number,
  lon2: Degrees | number,
  lat2: Degrees | number,
): [lon: Degrees, lat: Degrees] {
  const a = lonLatToVector(lon1, lat1);
  const b = lonLatToVector(lon2, lat2);
  return vectorToLonLat([a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
}

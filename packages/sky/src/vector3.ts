/**
 * Unit vectors on the sphere and 3×3 rotation matrices (row-major), the common currency of frame
 * conversions and sphere geometry. Rotation conventions follow SOFA: `rotationX(φ)` rotates the
 * reference frame (not the vector) by φ about the x axis.
 */
import { DEG_PER_RAD, type Degrees, degrees, RAD_PER_DEG } from "./units.js";

/** A 3-vector `[x, y, z]`. */
export type Vector3 = readonly [number, number, number];
/** A 3×3 matrix, row-major: `[r00, r01, r02, r10, …, r22]`. */
export type Matrix3 = readonly [number, number, number, number, number, number, number, number, number];

/** Unit vector of longitude `lon` and latitude `lat` (degrees). */
export function lonLatToVector(lon: Degrees | number, lat: Degrees | number): Vector3 {
  const a = lon * RAD_PER_DEG;
  const d = lat * RAD_PER_DEG;
  const c = Math.cos(d);
  return [c * Math.cos(a), c * Math.sin(a), Math.sin(d)];
}

/** Longitude in [0°, 360°) and latitude in [−90°, 90°] of a (not necessarily unit) vector. */
export function vectorToLonLat(v: Vector3): [lon: Degrees, lat: Degrees] {
  const [x, y, z] = v;
  const r = Math.hypot(x, y);
  let lon = r === 0 ? 0 : Math.atan2(y, x) * DEG_PER_RAD;
  if (lon < 0) lon += 360;
  if (lon >= 360) lon -= 360;
  return [degrees(lon), degrees(Math.atan2(z, r) * DEG_PER_RAD)];
}

/** Dot product. */
export function dot(a: Vector3, b: Vector3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Cross product a × b. */
export function cross(a: Vector3, b: Vector3): Vector3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Euclidean norm. */
export function norm(a: Vector3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** `a / |a|` (the zero vector stays zero). */
export function normalize(a: Vector3): Vector3 {
  const n = norm(a);
  return n === 0 ? a : [a[0] / n, a[1] / n, a[2] / n];
}

/** `a + k·b`. */
export function addScaled(a: Vector3, b: Vector3, k: number): Vector3 {
  return [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];
}

/** `k·a`. */
export function scale(a: Vector3, k: number): Vector3 {
  return [k * a[0], k * a[1], k * a[2]];
}

/** The identity matrix. */
export const IDENTITY: Matrix3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Frame rotation by `phi` radians about x (SOFA `iauRx`). */
export function rotationX(phi: number): Matrix3 {
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  return [1, 0, 0, 0, c, s, 0, -s, c];
}

/** Frame rotation by `theta` radians about y (SOFA `iauRy`). */
export function rotationY(theta: number): Matrix3 {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [c, 0, -s, 0, 1, 0, s, 0, c];
}

/** Frame rotation by `psi` radians about z (SOFA `iauRz`). */
export function rotationZ(psi: number): Matrix3 {
  const c = Math.cos(psi);
  const s = Math.sin(psi);
  return [c, s, 0, -s, c, 0, 0, 0, 1];
}

/** Matrix product `a · b` (apply b first, then a). */
export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const m = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      m[3 * i + j] = a[3 * i]! * b[j]! + a[3 * i + 1]! * b[3 + j]! + a[3 * i + 2]! * b[6 + j]!;
    }
  }
  return m as unknown as Matrix3;
}

/** Product of several matrices, left to right: `chain(a, b, c) = a · b · c`. */
export function chain(...ms: Matrix3[]): Matrix3 {
  return ms.reduce((acc, m) => multiply(acc, m), IDENTITY);
}

/** Transpose (the inverse of a rotation). */
export function transpose(a: Matrix3): Matrix3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

/** `m · v`. */
export function apply(m: Matrix3, v: Vector3): Vector3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Rotation matrix about an arbitrary unit `axis` by `angle` radians, rotating vectors (Rodrigues). */
export function axisAngleMatrix(axis: Vector3, angle: number): Matrix3 {
  const [x, y, z] = normalize(axis);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}

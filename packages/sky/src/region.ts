/**
 * Sky regions: circle, box (rotated), polygon (convex or concave, any size, crossing RA = 0 or a
 * pole), longitude/latitude range, and ellipse. Degrees throughout; positions are `[lon, lat]` in
 * whatever frame the region is given in (`frame`, default ICRS).
 *
 * Definitions (so that `contains` is exact):
 * - circle: points within angular distance `radius` of `center` (a spherical cap);
 * - polygon: vertices joined by great-circle arcs (each shorter than 180°); by default the interior
 *   is the smaller of the two parts of the sphere (`interior: "smaller"`), or explicitly the part to
 *   the left/right of the edges walked in order in a lon/lat plot with longitude increasing to the right;
 * - box: the great-circle quadrilateral whose gnomonic (tangent-plane) image at `center` is a
 *   rectangle of angular full widths `width` × `height` through the centre, its `height` axis
 *   along position angle `angle` (east of north; as DS9's box angle), its `width` axis at `angle` + 90°;
 * - ellipse: points whose gnomonic image at `center` lies in the ellipse with semi-axes tan(`a`) and
 *   tan(`b`), `a` along position angle `angle` + 90° and `b` along `angle` (as DS9's ellipse),
 *   so that `a = b` is exactly a circle;
 * - range: `lon` in [lonMin, lonMax] (wrapping through 0 when lonMin > lonMax) and `lat` in [latMin, latMax].
 */
import { SkyError } from "./errors.js";
import { vectorSeparation } from "./sphere-geometry.js";
import { DEG_PER_RAD, type Degrees, RAD_PER_DEG } from "./units.js";
import { cross, dot, lonLatToVector, normalize, type Vector3, vectorToLonLat } from "./vector3.js";

/** A position `[lon, lat]` in degrees. */
export type LonLatPair = readonly [lon: number, lat: number];

/** Which side of a polygon's edges is inside. */
export type PolygonInterior = "smaller" | "left" | "right";

/** Spherical cap. */
export interface CircleRegion {
  kind: "circle";
  center: LonLatPair;
  radius: number;
  frame?: string;
}
/** Great-circle polygon. */
export interface PolygonRegion {
  kind: "polygon";
  vertices: readonly LonLatPair[];
  interior?: PolygonInterior;
  frame?: string;
}
/** Rotated box (see module doc). */
export interface BoxRegion {
  kind: "box";
  center: LonLatPair;
  width: number;
  height: number;
  angle?: number;
  frame?: string;
}
/** Rotated ellipse (see module doc). */
export interface EllipseRegion {
  kind: "ellipse";
  center: LonLatPair;
  a: number;
  b: number;
  angle?: number;
  frame?: string;
}
/** Longitude/latitude range. */
export interface RangeRegion {
  kind: "range";
  lon: readonly [min: number, max: number];
  lat: readonly [min: number, max: number];
  frame?: string;
}
/** Any sky region. */
export type Region = CircleRegion | PolygonRegion | BoxRegion | EllipseRegion | RangeRegion;

const SQ_DEG_PER_SR = DEG_PER_RAD * DEG_PER_RAD;

function checkLonLat(p: LonLatPair, what: string): void {
  if (!Number.isFinite(p[0]) || !(Math.abs(p[1]) <= 90)) {
    throw new SkyError("INVALID_ARGUMENT", `${what} (${p[0]}, ${p[1]}) is not a sky position`);
  }
}

/** Check a region's parameters. @throws SkyError `INVALID_ARGUMENT`. */
export function validateRegion(region: Region): Region {
  switch (region.kind) {
    case "circle":
      checkLonLat(region.center, "circle centre");
      if (!(region.radius >= 0 && region.radius <= 180)) {
        throw new SkyError("INVALID_ARGUMENT", `circle radius ${region.radius}° outside [0°, 180°]`);
      }
      break;
    case "polygon":
      if (region.vertices.length < 3)
        throw new SkyError("INVALID_ARGUMENT", "a polygon needs at least 3 vertices");
      for (const [i, v] of region.vertices.entries()) checkLonLat(v, `polygon vertex ${i + 1}`);
      for (let i = 0; i < region.vertices.length; i++) {
        const a = lonLatToVector(...region.vertices[i]!);
        const b = lonLatToVector(...region.vertices[(i + 1) % region.vertices.length]!);
        const s = vectorSeparation(a, b);
        if (s === 0 || s >= Math.PI - 1e-12) {
          throw new SkyError(
            "INVALID_ARGUMENT",
            `polygon edge ${i + 1} is ${s === 0 ? "empty (repeated vertex)" : "180° long (antipodal vertices)"}`,
          );
        }
      }
      break;
    case "box":
      checkLonLat(region.center, "box centre");
      if (!(region.width > 0 && region.width < 180 && region.height > 0 && region.height < 180)) {
        throw new SkyError(
          "INVALID_ARGUMENT",
          `box sizes ${region.width}° × ${region.height}° must be in (0°, 180°)`,
        );
      }
      break;
    case "ellipse":
      checkLonLat(region.center, "ellipse centre");
      if (!(region.a > 0 && region.a < 90 && region.b > 0 && region.b < 90)) {
        throw new SkyError(
          "INVALID_ARGUMENT",
          `ellipse semi-axes ${region.a}°, ${region.b}° must be in (0°, 90°)`,
        );
      }
      break;
    case "range":
      if (!(region.lat[0] >= -90 && region.lat[1] <= 90 && region.lat[0] <= region.lat[1])) {
        throw new SkyError(
          "INVALID_ARGUMENT",
          `latitude range [${region.lat[0]}, ${region.lat[1]}] is invalid`,
        );
      }
      if (!Number.isFinite(region.lon[0]) || !Number.isFinite(region.lon[1])) {
        throw new SkyError("INVALID_ARGUMENT", "longitude range must be finite");
      }
      break;
  }
  return region;
}

// ---------------------------------------------------------------- polygons

interface PreparedPolygon {
  v: Vector3[];
  /** Edge normals oriented so that the interior is on the positive side locally. */
  n: Vector3[];
  /** Interior is the left side (true) or the right side (false) of the edges. */
  left: boolean;
  /** Reference point strictly inside. */
  ref: Vector3;
  area: number;
}

const prepared = new WeakMap<object, PreparedPolygon>();

/** Area (sr) of the region to the left of the closed great-circle path (Gauss–Bonnet: 2π − Σ turning angles). */
function leftArea(v: Vector3[]): number {
  const k = v.length;
  let turning = 0;
  for (let i = 0; i < k; i++) {
    const a = v[(i + k - 1) % k]!;
    const b = v[i]!;
    const c = v[(i + 1) % k]!;
    const tin = normalize(cross(cross(a, b), b));
    const tout = normalize(cross(cross(b, c), b));
    turning += Math.atan2(dot(b, cross(tin, tout)), dot(tin, tout));
  }
  const fourPi = 4 * Math.PI;
  // A full turn of ambiguity: the left area lies in (0, 4π).
  const area = (((2 * Math.PI - turning) % fourPi) + fourPi) % fourPi;
  if (area > 1 && area < fourPi - 1) return area;
  // Small (or nearly full-sphere) polygons: 2π − Σ loses digits, so sum signed triangles from the
  // centroid instead (Van Oosterom & Strackee 1983: tan(E/2) = c·(a×b) / (1 + a·b + b·c + c·a)).
  const c = normalize(v.reduce<Vector3>((s, x) => [s[0] + x[0], s[1] + x[1], s[2] + x[2]], [0, 0, 0]));
  let fan = 0;
  for (let i = 0; i < k; i++) {
    const a = v[i]!;
    const b = v[(i + 1) % k]!;
    // c·(a×b) = c·((a−c)×(b−c)): the differences are small and exact-ish, avoiding cancellation.
    const da: Vector3 = [a[0] - c[0], a[1] - c[1], a[2] - c[2]];
    const db: Vector3 = [b[0] - c[0], b[1] - c[1], b[2] - c[2]];
    fan += 2 * Math.atan2(dot(c, cross(da, db)), 1 + dot(a, b) + dot(b, c) + dot(c, a));
  }
  // Only add 4π when needed: adding it to a tiny area would wipe its digits.
  const f = fan < 0 ? fan + fourPi : fan;
  // Keep the candidate consistent with the turning-angle estimate (both are the left area mod 4π).
  return Math.abs(f - area) < 0.5 ? f : Math.abs(f - fourPi - area) < 0.5 ? f - fourPi : area;
}

function preparePolygon(vertices: readonly LonLatPair[], interior: PolygonInterior): PreparedPolygon {
  const v = vertices.map((p) => lonLatToVector(p[0], p[1]));
  const aLeft = leftArea(v);
  const left = interior === "left" ? true : interior === "right" ? false : aLeft <= 2 * Math.PI;
  const n = v.map((a, i) => {
    const m = normalize(cross(a, v[(i + 1) % v.length]!));
    return left ? m : ([-m[0], -m[1], -m[2]] as Vector3);
  });
  // A point just inside edge 0, near its midpoint.
  const mid = normalize([v[0]![0] + v[1]![0], v[0]![1] + v[1]![1], v[0]![2] + v[1]![2]]);
  const eps = 1e-9;
  const ref = normalize([mid[0] + eps * n[0]![0], mid[1] + eps * n[0]![1], mid[2] + eps * n[0]![2]]);
  return { v, n, left, ref, area: left ? aLeft : 4 * Math.PI - aLeft };
}

function polygonOf(region: PolygonRegion): PreparedPolygon {
  let p = prepared.get(region);
  if (!p) {
    p = preparePolygon(region.vertices, region.interior ?? "smaller");
    prepared.set(region, p);
  }
  return p;
}

/** True when great-circle arcs a→b and c→d (each < 180°) cross at an interior point. */
export function arcsCross(a: Vector3, b: Vector3, c: Vector3, d: Vector3): boolean {
  const ab = cross(a, b);
  const acb = -dot(ab, c);
  const bda = dot(ab, d);
  if (acb * bda <= 0) return false;
  const cd = cross(c, d);
  const cbd = -dot(cd, b);
  const dac = dot(cd, a);
  return acb * cbd > 0 && acb * dac > 0;
}

function polygonContainsVector(p: PreparedPolygon, x: Vector3): boolean {
  // Parity of crossings of the arc ref→x with the edges; ref is inside.
  if (dot(p.ref, x) < -1 + 1e-15) {
    // x is (nearly) antipodal to ref: go through an intermediate point.
    const mid = normalize(cross(p.ref, Math.abs(p.ref[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]));
    return crossings(p, p.ref, mid) % 2 === crossings(p, mid, x) % 2;
  }
  return crossings(p, p.ref, x) % 2 === 0;
}

function crossings(p: PreparedPolygon, from: Vector3, to: Vector3): number {
  let count = 0;
  const k = p.v.length;
  for (let i = 0; i < k; i++) {
    if (arcsCross(from, to, p.v[i]!, p.v[(i + 1) % k]!)) count++;
  }
  return count;
}

// ---------------------------------------------------------------- boxes and ellipses

/** Gnomonic coordinates of x about `center`, rotated so that +Y is along position angle `angle`. */
function tangentXY(center: LonLatPair, angle: number, x: Vector3): [number, number] | undefined {
  const c = lonLatToVector(center[0], center[1]);
  const a = center[0] * RAD_PER_DEG;
  const d = center[1] * RAD_PER_DEG;
  const east: Vector3 = [-Math.sin(a), Math.cos(a), 0];
  const north: Vector3 = [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)];
  const z = dot(x, c);
  if (z <= 0) return undefined;
  const e = dot(x, east) / z;
  const nn = dot(x, north) / z;
  const t = (angle ?? 0) * RAD_PER_DEG;
  // Y along PA t (north towards east), X along PA t + 90°.
  const Y = nn * Math.cos(t) + e * Math.sin(t);
  const X = e * Math.cos(t) - nn * Math.sin(t);
  return [X, Y];
}

/** The four corners of a box, counter-clockwise in a lon/lat plot (interior to the left). */
export function boxCorners(box: BoxRegion): LonLatPair[] {
  const hw = Math.tan((box.width / 2) * RAD_PER_DEG);
  const hh = Math.tan((box.height / 2) * RAD_PER_DEG);
  const t = (box.angle ?? 0) * RAD_PER_DEG;
  const a = box.center[0] * RAD_PER_DEG;
  const d = box.center[1] * RAD_PER_DEG;
  const c = lonLatToVector(box.center[0], box.center[1]);
  const east: Vector3 = [-Math.sin(a), Math.cos(a), 0];
  const north: Vector3 = [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)];
  const corner = (X: number, Y: number): LonLatPair => {
    const e = X * Math.cos(t) + Y * Math.sin(t);
    const n = -X * Math.sin(t) + Y * Math.cos(t);
    return vectorToLonLat([
      c[0] + e * east[0] + n * north[0],
      c[1] + e * east[1] + n * north[1],
      c[2] + e * east[2] + n * north[2],
    ]);
  };
  // East is +lon: going E→N→W→S around the centre is counter-clockwise in a lon/lat plot.
  return [corner(hw, -hh), corner(hw, hh), corner(-hw, hh), corner(-hw, -hh)];
}

function boxPolygon(box: BoxRegion): PolygonRegion {
  return { kind: "polygon", vertices: boxCorners(box), interior: "left" };
}

// ---------------------------------------------------------------- contains

function inLonRange(lon: number, min: number, max: number): boolean {
  const w = (x: number) => ((x % 360) + 360) % 360;
  if (max - min >= 360) return true;
  const l = w(lon);
  const a = w(min);
  const b = w(max);
  return a <= b ? l >= a && l <= b : l >= a || l <= b;
}

/** True when the unit vector `x` is inside `region` (boundary points count as inside for caps and ranges). */
export function containsVector(region: Region, x: Vector3): boolean {
  switch (region.kind) {
    case "circle":
      return (
        vectorSeparation(lonLatToVector(region.center[0], region.center[1]), x) <= region.radius * RAD_PER_DEG
      );
    case "polygon":
      return polygonContainsVector(polygonOf(region), x);
    case "box": {
      const xy = tangentXY(region.center, region.angle ?? 0, x);
      if (!xy) return false;
      return (
        Math.abs(xy[0]) <= Math.tan((region.width / 2) * RAD_PER_DEG) &&
        Math.abs(xy[1]) <= Math.tan((region.height / 2) * RAD_PER_DEG)
      );
    }
    case "ellipse": {
      const xy = tangentXY(region.center, region.angle ?? 0, x);
      if (!xy) return false;
      const ta = Math.tan(region.a * RAD_PER_DEG);
      const tb = Math.tan(region.b * RAD_PER_DEG);
      return (xy[0] / ta) ** 2 + (xy[1] / tb) ** 2 <= 1;
    }
    case "range": {
      const [lon, lat] = vectorToLonLat(x);
      return lat >= region.lat[0] && lat <= region.lat[1] && inLonRange(lon, region.lon[0], region.lon[1]);
    }
  }
}

/** True when (lon, lat) in degrees is inside `region` (exact for every region kind; see module doc). */
export function regionContains(region: Region, lon: Degrees | number, lat: Degrees | number): boolean {
  if (region.kind === "range") {
    return lat >= region.lat[0] && lat <= region.lat[1] && inLonRange(lon, region.lon[0], region.lon[1]);
  }
  return containsVector(region, lonLatToVector(lon, lat));
}

/** Vectorised {@link regionContains}: one byte per point (1 inside, 0 outside). */
export function regionContainsMany(
  region: Region,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
): Uint8Array {
  const out = new Uint8Array(lon.length);
  for (let i = 0; i < lon.length; i++) out[i] = regionContains(region, lon[i]!, lat[i]!) ? 1 : 0;
  return out;
}

// ---------------------------------------------------------------- area

/** Solid angle of `region` in steradians: exact for circle, polygon, box and range; ellipse to ~1e-12 relative. */
export function regionSolidAngle(region: Region): number {
  switch (region.kind) {
    case "circle":
      return 2 * Math.PI * (1 - Math.cos(region.radius * RAD_PER_DEG));
    case "polygon":
      return polygonOf(region).area;
    case "box":
      return polygonOf(boxPolygonCached(region)).area;
    case "range": {
      let w = region.lon[1] - region.lon[0];
      if (w < 0) w += 360;
      w = Math.min(w, 360);
      return (
        w * RAD_PER_DEG * (Math.sin(region.lat[1] * RAD_PER_DEG) - Math.sin(region.lat[0] * RAD_PER_DEG))
      );
    }
    case "ellipse": {
      // ∫₀^{2π} (1 − 1/√(1+ρ(φ)²)) dφ with ρ the tangent-plane radius; the periodic trapezoid rule
      // converges geometrically.
      const ta = Math.tan(region.a * RAD_PER_DEG);
      const tb = Math.tan(region.b * RAD_PER_DEG);
      const steps = 4096;
      let sum = 0;
      for (let i = 0; i < steps; i++) {
        const phi = (2 * Math.PI * (i + 0.5)) / steps;
        const rho2 = 1 / ((Math.cos(phi) / ta) ** 2 + (Math.sin(phi) / tb) ** 2);
        sum += 1 - 1 / Math.sqrt(1 + rho2);
      }
      return (sum * 2 * Math.PI) / steps;
    }
  }
}

/** Area of `region` in square degrees. */
export function regionArea(region: Region): number {
  return regionSolidAngle(region) * SQ_DEG_PER_SR;
}

const boxPolygons = new WeakMap<BoxRegion, PolygonRegion>();
function boxPolygonCached(box: BoxRegion): PolygonRegion {
  let p = boxPolygons.get(box);
  if (!p) {
    p = boxPolygon(box);
    boxPolygons.set(box, p);
  }
  return p;
}

/** The region as a polygon when it is one exactly (polygon, box), else undefined. */
export function asPolygon(region: Region): PolygonRegion | undefined {
  if (region.kind === "polygon") return region;
  if (region.kind === "box") return boxPolygonCached(region);
  return undefined;
}

// ---------------------------------------------------------------- bounding circle

/** Largest angular distance (rad) from c to a point of the arc a→b. */
function arcMaxDistance(c: Vector3, a: Vector3, b: Vector3): number {
  let best = Math.max(vectorSeparation(c, a), vectorSeparation(c, b));
  const n = normalize(cross(a, b));
  // The farthest point of the full great circle from c, if it lies on the arc.
  const proj = normalize([c[0] - dot(c, n) * n[0], c[1] - dot(c, n) * n[1], c[2] - dot(c, n) * n[2]]);
  const far: Vector3 = [-proj[0], -proj[1], -proj[2]];
  if (dot(cross(a, far), n) >= 0 && dot(cross(far, b), n) >= 0)
    best = Math.max(best, vectorSeparation(c, far));
  return best;
}

/** A circle containing the whole region (not always the smallest, always containing). */
export function boundingCircle(region: Region): CircleRegion {
  const frame = region.frame;
  const withFrame = (c: CircleRegion): CircleRegion => (frame === undefined ? c : { ...c, frame });
  switch (region.kind) {
    case "circle":
      return region;
    case "ellipse":
      return withFrame({ kind: "circle", center: region.center, radius: Math.max(region.a, region.b) });
    case "box":
    case "polygon": {
      const poly = asPolygon(region)!;
      const p = polygonOf(poly);
      let s: Vector3 = [0, 0, 0];
      for (const v of p.v) s = [s[0] + v[0], s[1] + v[1], s[2] + v[2]];
      let c = normalize(s);
      if (Math.hypot(...s) < 1e-12) c = p.ref;
      if (!polygonContainsVector(p, c) && p.area > 2 * Math.PI) c = p.ref;
      if (polygonContainsVector(p, [-c[0], -c[1], -c[2]])) {
        return withFrame({ kind: "circle", center: vectorToLonLat(c), radius: 180 });
      }
      let r = 0;
      for (let i = 0; i < p.v.length; i++)
        r = Math.max(r, arcMaxDistance(c, p.v[i]!, p.v[(i + 1) % p.v.length]!));
      return withFrame({
        kind: "circle",
        center: vectorToLonLat(c),
        radius: Math.min(180, r * DEG_PER_RAD * (1 + 1e-12)),
      });
    }
    case "range": {
      let w = region.lon[1] - region.lon[0];
      if (w < 0) w += 360;
      if (w >= 360 || region.lat[1] - region.lat[0] >= 180) {
        return withFrame({
          kind: "circle",
          center: [0, region.lat[0] + region.lat[1] >= 0 ? 90 : -90],
          radius: 180,
        });
      }
      const cl = region.lon[0] + w / 2;
      const cb = (region.lat[0] + region.lat[1]) / 2;
      const c = lonLatToVector(cl, cb);
      const h = (w / 2) * RAD_PER_DEG;
      const candidates: LonLatPair[] = [];
      for (const s of [-1, 1]) {
        const lon = cl + (s * w) / 2;
        candidates.push([lon, region.lat[0]], [lon, region.lat[1]]);
        // Extremum of the distance along the meridian edge: tan φ = tan φc / cos h.
        const phi = Math.atan2(Math.tan(cb * RAD_PER_DEG), Math.cos(h)) * DEG_PER_RAD;
        for (const p of [phi, phi > 0 ? phi - 90 : phi + 90]) {
          if (p >= region.lat[0] && p <= region.lat[1]) candidates.push([lon, p]);
        }
      }
      let r = 0;
      for (const q of candidates) r = Math.max(r, vectorSeparation(c, lonLatToVector(q[0], q[1])));
      return withFrame({
        kind: "circle",
        center: [((cl % 360) + 360) % 360, cb],
        radius: Math.min(180, r * DEG_PER_RAD * (1 + 1e-12)),
      });
    }
  }
}

/** Convenience constructors (degrees). */
export const circle = (lon: number, lat: number, radius: number, frame?: string): CircleRegion =>
  validateRegion({ kind: "circle", center: [lon, lat], radius, ...(frame ? { frame } : {}) }) as CircleRegion;
/** A polygon from `[lon, lat]` vertices (degrees). */
export const polygon = (
  vertices: readonly LonLatPair[],
  interior: PolygonInterior = "smaller",
  frame?: string,
): PolygonRegion =>
  validateRegion({ kind: "polygon", vertices, interior, ...(frame ? { frame } : {}) }) as PolygonRegion;
/** A rotated box (degrees; angle east of north of the height axis). */
export const box = (
  lon: number,
  lat: number,
  width: number,
  height: number,
  angle = 0,
  frame?: string,
): BoxRegion =>
  validateRegion({
    kind: "box",
    center: [lon, lat],
    width,
    height,
    angle,
    ...(frame ? { frame } : {}),
  }) as BoxRegion;
/** A rotated ellipse (degrees; `a` along PA angle + 90°, `b` along PA angle). */
export const ellipse = (
  lon: number,
  lat: number,
  a: number,
  b: number,
  angle = 0,
  frame?: string,
): EllipseRegion =>
  validateRegion({
    kind: "ellipse",
    center: [lon, lat],
    a,
    b,
    angle,
    ...(frame ? { frame } : {}),
  }) as EllipseRegion;
/** A longitude/latitude range (degrees; lonMin > lonMax wraps through 0). */
export const range = (
  lonMin: number,
  lonMax: number,
  latMin: number,
  latMax: number,
  frame?: string,
): RangeRegion =>
  validateRegion({
    kind: "range",
    lon: [lonMin, lonMax],
    lat: [latMin, latMax],
    ...(frame ? { frame } : {}),
  }) as RangeRegion;

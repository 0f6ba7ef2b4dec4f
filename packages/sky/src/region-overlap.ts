/**
 * Overlap tests between regions. Exact for circles, polygons and boxes (edge crossings, vertex
 * containment, arc–point distances); ellipses and ranges are compared through their boundary traced
 * densely (1024 points, so a sliver thinner than ~1/300 of the region's size may be missed).
 */
import {
  arcsCross,
  asPolygon,
  boundingCircle,
  type CircleRegion,
  containsVector,
  type LonLatPair,
  type PolygonRegion,
  type Region,
} from "./region.js";
import { vectorSeparation } from "./sphere-geometry.js";
import { RAD_PER_DEG } from "./units.js";
import { cross, dot, lonLatToVector, normalize, type Vector3, vectorToLonLat } from "./vector3.js";

/** Shortest angular distance (rad) from point p to the great-circle arc a→b. */
export function pointArcDistance(p: Vector3, a: Vector3, b: Vector3): number {
  const n = normalize(cross(a, b));
  const q = normalize([p[0] - dot(p, n) * n[0], p[1] - dot(p, n) * n[1], p[2] - dot(p, n) * n[2]]);
  if (dot(cross(a, q), n) >= 0 && dot(cross(q, b), n) >= 0)
    return Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(p, n)))));
  return Math.min(vectorSeparation(p, a), vectorSeparation(p, b));
}

function vertices(poly: PolygonRegion): Vector3[] {
  return poly.vertices.map((v) => lonLatToVector(v[0], v[1]));
}

/** A dense polygonal trace of a region's boundary (ellipse, range) with its interior on the left. */
function trace(region: Region): PolygonRegion {
  const n = 1024;
  const pts: LonLatPair[] = [];
  if (region.kind === "ellipse") {
    const c = lonLatToVector(region.center[0], region.center[1]);
    const a = region.center[0] * RAD_PER_DEG;
    const d = region.center[1] * RAD_PER_DEG;
    const east: Vector3 = [-Math.sin(a), Math.cos(a), 0];
    const north: Vector3 = [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)];
    const ta = Math.tan(region.a * RAD_PER_DEG);
    const tb = Math.tan(region.b * RAD_PER_DEG);
    const t = (region.angle ?? 0) * RAD_PER_DEG;
    for (let i = 0; i < n; i++) {
      const phi = (2 * Math.PI * i) / n;
      const X = ta * Math.cos(phi);
      const Y = tb * Math.sin(phi);
      const e = X * Math.cos(t) + Y * Math.sin(t);
      const nn = -X * Math.sin(t) + Y * Math.cos(t);
      pts.push(
        vectorToLonLat([
          c[0] + e * east[0] + nn * north[0],
          c[1] + e * east[1] + nn * north[1],
          c[2] + e * east[2] + nn * north[2],
        ]),
      );
    }
  } else if (region.kind === "range") {
    let w = region.lon[1] - region.lon[0];
    if (w <= 0) w += 360;
    const q = n / 4;
    const [b0, b1] = region.lat;
    for (let i = 0; i < q; i++) pts.push([region.lon[0] + (w * i) / q, b0]);
    for (let i = 0; i < q; i++) pts.push([region.lon[0] + w, b0 + ((b1 - b0) * i) / q]);
    for (let i = 0; i < q; i++) pts.push([region.lon[0] + w - (w * i) / q, b1]);
    for (let i = 0; i < q; i++) pts.push([region.lon[0], b1 - ((b1 - b0) * i) / q]);
  }
  // Drop repeated points (at a pole every longitude is the same point).
  const clean = pts.filter((p, i) => {
    const next = pts[(i + 1) % pts.length]!;
    return vectorSeparation(lonLatToVector(p[0], p[1]), lonLatToVector(next[0], next[1])) > 1e-12;
  });
  return { kind: "polygon", vertices: clean, interior: "left" };
}

function polygonLike(region: Region): PolygonRegion | undefined {
  return (
    asPolygon(region) ?? (region.kind === "ellipse" || region.kind === "range" ? trace(region) : undefined)
  );
}

function circlePolygonOverlap(c: CircleRegion, poly: PolygonRegion): boolean {
  const center = lonLatToVector(c.center[0], c.center[1]);
  const r = c.radius * RAD_PER_DEG;
  if (containsVector(poly, center)) return true;
  const v = vertices(poly);
  for (let i = 0; i < v.length; i++) {
    if (pointArcDistance(center, v[i]!, v[(i + 1) % v.length]!) <= r) return true;
  }
  return false;
}

function polygonsOverlap(a: PolygonRegion, b: PolygonRegion): boolean {
  const va = vertices(a);
  const vb = vertices(b);
  for (let i = 0; i < va.length; i++) {
    for (let j = 0; j < vb.length; j++) {
      if (arcsCross(va[i]!, va[(i + 1) % va.length]!, vb[j]!, vb[(j + 1) % vb.length]!)) return true;
    }
  }
  return va.some((v) => containsVector(b, v)) || vb.some((v) => containsVector(a, v));
}

/** True when two regions (in the same frame) share at least one point. */
export function regionsOverlap(a: Region, b: Region): boolean {
  const ca = boundingCircle(a);
  const cb = boundingCircle(b);
  const d = vectorSeparation(
    lonLatToVector(ca.center[0], ca.center[1]),
    lonLatToVector(cb.center[0], cb.center[1]),
  );
  if (d > (ca.radius + cb.radius) * RAD_PER_DEG) return false;
  if (a.kind === "circle" && b.kind === "circle") return true;
  if (a.kind === "circle") return circlePolygonOverlap(a, polygonLike(b)!);
  if (b.kind === "circle") return circlePolygonOverlap(b, polygonLike(a)!);
  return polygonsOverlap(polygonLike(a)!, polygonLike(b)!);
}

/** True when `inner` lies entirely inside `outer` (exact for circles, polygons and boxes). */
export function regionContainsRegion(outer: Region, inner: Region): boolean {
  if (outer.kind === "circle" && inner.kind === "circle") {
    const d = vectorSeparation(
      lonLatToVector(outer.center[0], outer.center[1]),
      lonLatToVector(inner.center[0], inner.center[1]),
    );
    return d + inner.radius * RAD_PER_DEG <= outer.radius * RAD_PER_DEG;
  }
  const pi = polygonLike(inner);
  if (pi === undefined) {
    // inner is a circle: its centre inside, and no boundary of outer within the radius.
    const c = inner as CircleRegion;
    const po = polygonLike(outer)!;
    return containsVector(outer, lonLatToVector(c.center[0], c.center[1])) && !circleTouchesBoundary(c, po);
  }
  const vi = vertices(pi);
  if (!vi.every((v) => containsVector(outer, v))) return false;
  if (outer.kind === "circle") {
    // Great-circle edges can bulge out of a cap only through their farthest point.
    const bc = boundingCircleOfPolygonFrom(outer, vi);
    return bc;
  }
  const po = polygonLike(outer)!;
  const vo = vertices(po);
  for (let i = 0; i < vi.length; i++) {
    for (let j = 0; j < vo.length; j++) {
      if (arcsCross(vi[i]!, vi[(i + 1) % vi.length]!, vo[j]!, vo[(j + 1) % vo.length]!)) return false;
    }
  }
  return !vo.some((v) => containsVector(pi, v));
}

function circleTouchesBoundary(c: CircleRegion, poly: PolygonRegion): boolean {
  const center = lonLatToVector(c.center[0], c.center[1]);
  const v = vertices(poly);
  for (let i = 0; i < v.length; i++) {
    if (pointArcDistance(center, v[i]!, v[(i + 1) % v.length]!) <= c.radius * RAD_PER_DEG) return true;
  }
  return false;
}

function boundingCircleOfPolygonFrom(outer: CircleRegion, v: Vector3[]): boolean {
  const c = lonLatToVector(outer.center[0], outer.center[1]);
  const r = outer.radius * RAD_PER_DEG;
  for (let i = 0; i < v.length; i++) {
    const a = v[i]!;
    const b = v[(i + 1) % v.length]!;
    const n = normalize(cross(a, b));
    const q = normalize([c[0] - dot(c, n) * n[0], c[1] - dot(c, n) * n[1], c[2] - dot(c, n) * n[2]]);
    const far: Vector3 = [-q[0], -q[1], -q[2]];
    if (dot(cross(a, far), n) >= 0 && dot(cross(far, b), n) >= 0 && vectorSeparation(c, far) > r)
      return false;
  }
  return true;
}

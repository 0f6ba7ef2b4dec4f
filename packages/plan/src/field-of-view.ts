/**
 * Fields of view on the sky: a circle (radius) or a rectangle (width × height, position angle of
 * the height axis east of north). Tests run in the gnomonic (TAN) tangent plane of the field
 * centre, where a detector's edges are straight lines (Calabretta & Greisen 2002 §5.1.3).
 */
import { PlanError } from "./errors.js";

const DEG = Math.PI / 180;

/** A field shape; angles in degrees. */
export type FieldShape =
  | { readonly kind: "circle"; readonly radius: number }
  | { readonly kind: "rectangle"; readonly width: number; readonly height: number; readonly pa: number };

/** Parse `--fov`: a radius in degrees (`0.5`) or `WxH` in degrees (`1.2x0.8`), with `pa` degrees. */
export function parseFieldShape(text: string, pa = 0): FieldShape {
  const t = text.trim().toLowerCase();
  const m = /^([0-9.eE+-]+)\s*[x×*]\s*([0-9.eE+-]+)$/.exec(t);
  if (m) {
    const width = Number(m[1]);
    const height = Number(m[2]);
    if (!(width > 0 && width < 90 && height > 0 && height < 90)) {
      throw new PlanError("INVALID_ARGUMENT", `field "${text}": width and height must be in (0, 90) degrees`);
    }
    return { kind: "rectangle", width, height, pa };
  }
  const radius = Number(t);
  if (t === "" || !(radius > 0 && radius < 45)) {
    throw new PlanError("INVALID_ARGUMENT", `field "${text}": expected a radius in (0, 45) degrees or WxH`);
  }
  return { kind: "circle", radius };
}

/** Half-angle (degrees) of the smallest cone around the centre holding the whole field. */
export function fieldHalfAngle(f: FieldShape): number {
  if (f.kind === "circle") return f.radius;
  return Math.atan(Math.hypot(Math.tan((f.width / 2) * DEG), Math.tan((f.height / 2) * DEG))) / DEG;
}

/** Tangent-plane basis at a centre direction (unit vectors: centre, east, north). */
export interface TangentBasis {
  readonly c: [number, number, number];
  readonly e: [number, number, number];
  readonly n: [number, number, number];
}

/** Basis at RA/Dec (degrees). */
export function tangentBasis(ra: number, dec: number): TangentBasis {
  const a = ra * DEG;
  const d = dec * DEG;
  return {
    c: [Math.cos(d) * Math.cos(a), Math.cos(d) * Math.sin(a), Math.sin(d)],
    e: [-Math.sin(a), Math.cos(a), 0],
    n: [-Math.sin(d) * Math.cos(a), -Math.sin(d) * Math.sin(a), Math.cos(d)],
  };
}

/** Gnomonic standard coordinates (ξ east, η north; tangent units) of `v`, or `undefined` if behind. */
export function gnomonic(
  b: TangentBasis,
  v: readonly [number, number, number],
): [number, number] | undefined {
  const z = b.c[0] * v[0] + b.c[1] * v[1] + b.c[2] * v[2];
  if (z <= 1e-9) return undefined;
  return [
    (b.e[0] * v[0] + b.e[1] * v[1] + b.e[2] * v[2]) / z,
    (b.n[0] * v[0] + b.n[1] * v[1] + b.n[2] * v[2]) / z,
  ];
}

/**
 * Parameter interval [s0, s1] ⊂ [0, 1] of the segment p(s) = a + s (b − a) (tangent-plane points)
 * that lies inside the field, or `undefined`. Circle: the gnomonic image of a small circle of
 * radius r about the centre is the circle of radius tan r. Rectangle: Liang–Barsky clipping in the
 * frame rotated by the position angle.
 */
export function clipSegment(
  f: FieldShape,
  a: readonly [number, number],
  b: readonly [number, number],
): [number, number] | undefined {
  if (f.kind === "circle") {
    const r = Math.tan(f.radius * DEG);
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const A = dx * dx + dy * dy;
    const B = 2 * (a[0] * dx + a[1] * dy);
    const C = a[0] * a[0] + a[1] * a[1] - r * r;
    if (A === 0) return C <= 0 ? [0, 1] : undefined;
    const disc = B * B - 4 * A * C;
    if (disc < 0) return undefined;
    const q = Math.sqrt(disc);
    const s0 = Math.max(0, (-B - q) / (2 * A));
    const s1 = Math.min(1, (-B + q) / (2 * A));
    return s0 <= s1 ? [s0, s1] : undefined;
  }
  const ca = Math.cos(f.pa * DEG);
  const sa = Math.sin(f.pa * DEG);
  // u across (width), v along the position angle (height); PA from north through east.
  const rot = (p: readonly [number, number]): [number, number] => [
    p[0] * ca - p[1] * sa,
    p[0] * sa + p[1] * ca,
  ];
  const pa = rot(a);
  const pb = rot(b);
  const hu = Math.tan((f.width / 2) * DEG);
  const hv = Math.tan((f.height / 2) * DEG);
  let s0 = 0;
  let s1 = 1;
  const d = [pb[0] - pa[0], pb[1] - pa[1]];
  const edges: [number, number][] = [
    [-(d[0] ?? 0), pa[0] + hu],
    [d[0] ?? 0, hu - pa[0]],
    [-(d[1] ?? 0), pa[1] + hv],
    [d[1] ?? 0, hv - pa[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined;
    } else {
      const r = q / p;
      if (p < 0) s0 = Math.max(s0, r);
      else s1 = Math.min(s1, r);
      if (s0 > s1) return undefined;
    }
  }
  return [s0, s1];
}

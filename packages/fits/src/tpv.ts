/**
 * TPV distortion: a polynomial in the intermediate world coordinates (ξ, η), degrees, applied
 * before the TAN deprojection (the convention registered with the FITS WCS TPV draft,
 * https://fits.gsfc.nasa.gov/registry/tpvwcs/tpv.html). ξ' = Σ PV1_k T_k(ξ, η),
 * η' = Σ PV2_k T_k(η, ξ), with T_k the 40 monomials of degree ≤ 7 and odd powers of r.
 */
import type { KeywordSource } from "./sip.js";

/** TPV coefficients for the longitude (pv1) and latitude (pv2) axes, 40 each. */
export interface Tpv {
  readonly pv1: Float64Array;
  readonly pv2: Float64Array;
}

/** Number of TPV terms. */
export const TPV_TERMS = 40;

/** Read PV{lng}_k and PV{lat}_k (k = 0..39); PV_1 defaults to 1, the others to 0. */
export function readTpv(h: KeywordSource, lngAxis: number, latAxis: number, key = ""): Tpv {
  const read = (axis: number): Float64Array => {
    const c = new Float64Array(TPV_TERMS);
    c[1] = 1;
    for (let k = 0; k < TPV_TERMS; k++) {
      const v = h.get(`PV${axis}_${k}${key}`);
      if (typeof v === "number") c[k] = v;
    }
    return c;
  };
  return { pv1: read(lngAxis + 1), pv2: read(latAxis + 1) };
}

/** Evaluate Σ c_k T_k(x, y). */
export function tpvPolynomial(c: Float64Array, x: number, y: number): number {
  const r = Math.hypot(x, y);
  const x2 = x * x;
  const y2 = y * y;
  const r2 = r * r;
  let s = (c[0] as number) + (c[1] as number) * x + (c[2] as number) * y + (c[3] as number) * r;
  s += (c[4] as number) * x2 + (c[5] as number) * x * y + (c[6] as number) * y2;
  s +=
    (c[7] as number) * x2 * x +
    (c[8] as number) * x2 * y +
    (c[9] as number) * x * y2 +
    (c[10] as number) * y2 * y;
  s += (c[11] as number) * r2 * r;
  // Degrees 4 to 7: x^n, x^(n−1) y, ..., y^n, then r^n for odd n.
  let k = 12;
  for (let n = 4; n <= 7; n++) {
    for (let j = 0; j <= n; j++) s += (c[k++] as number) * x ** (n - j) * y ** j;
    if (n % 2 === 1) s += (c[k++] as number) * r ** n;
  }
  return s;
}

/** Distort (ξ, η) → (ξ', η'). */
export function tpvForward(t: Tpv, xi: number, eta: number, out: [number, number]): void {
  out[0] = tpvPolynomial(t.pv1, xi, eta);
  out[1] = tpvPolynomial(t.pv2, eta, xi);
}

/** Undistort by Newton's method with a numerical Jacobian; converges to ~1e-15 degree. */
export function tpvInverse(t: Tpv, xp: number, yp: number, out: [number, number]): void {
  let x = xp;
  let y = yp;
  const f: [number, number] = [0, 0];
  const g: [number, number] = [0, 0];
  for (let k = 0; k < 50; k++) {
    tpvForward(t, x, y, f);
    const rx = f[0] - xp;
    const ry = f[1] - yp;
    if (rx === 0 && ry === 0) break;
    const h = 1e-7 * Math.max(1e-3, Math.abs(x) + Math.abs(y));
    tpvForward(t, x + h, y, g);
    const j11 = (g[0] - f[0]) / h;
    const j21 = (g[1] - f[1]) / h;
    tpvForward(t, x, y + h, g);
    const j12 = (g[0] - f[0]) / h;
    const j22 = (g[1] - f[1]) / h;
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    const dx = (j22 * rx - j12 * ry) / det;
    const dy = (-j21 * rx + j11 * ry) / det;
    x -= dx;
    y -= dy;
    if (Math.abs(dx) < 1e-16 && Math.abs(dy) < 1e-16) break;
  }
  out[0] = x;
  out[1] = y;
}

/**
 * Simple Imaging Polynomial distortion (Shupe et al. 2005, ADASS XIV, 491): pixel offsets
 * (u, v) = p − CRPIX become u + f(u, v), v + g(u, v) before the linear transformation, where
 * f = Σ A_p_q u^p v^q and g = Σ B_p_q u^p v^q (p + q ≤ A_ORDER / B_ORDER).
 */
import type { HeaderValue } from "./header.js";

/** A header source: anything with `get(key)`, like {@link Header}. */
export interface KeywordSource {
  get(key: string): HeaderValue;
}

/** SIP coefficients. `a[p][q]` multiplies u^p v^q. */
export interface Sip {
  readonly a: readonly (readonly number[])[];
  readonly b: readonly (readonly number[])[];
  /** Inverse coefficients (AP, BP) when the header has them. */
  readonly ap?: readonly (readonly number[])[];
  readonly bp?: readonly (readonly number[])[];
}

function readMatrix(h: KeywordSource, name: string, order: number): number[][] {
  const m: number[][] = [];
  for (let p = 0; p <= order; p++) {
    const row: number[] = [];
    for (let q = 0; q <= order - p; q++) {
      const v = h.get(`${name}_${p}_${q}`);
      row.push(typeof v === "number" ? v : 0);
    }
    m.push(row);
  }
  return m;
}

function order(h: KeywordSource, key: string): number | undefined {
  const v = h.get(key);
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 20 ? v : undefined;
}

/** Read SIP coefficients (A_ORDER, A_p_q, B_ORDER, B_p_q, optional AP/BP), or undefined when absent. */
export function readSip(h: KeywordSource): Sip | undefined {
  const ao = order(h, "A_ORDER");
  const bo = order(h, "B_ORDER");
  if (ao === undefined || bo === undefined) return undefined;
  const apo = order(h, "AP_ORDER");
  const bpo = order(h, "BP_ORDER");
  const sip: Sip = {
    a: readMatrix(h, "A", ao),
    b: readMatrix(h, "B", bo),
    ...(apo !== undefined && bpo !== undefined
      ? { ap: readMatrix(h, "AP", apo), bp: readMatrix(h, "BP", bpo) }
      : {}),
  };
  return sip;
}

/** Evaluate Σ m[p][q] u^p v^q. */
export function evalSipPolynomial(m: readonly (readonly number[])[], u: number, v: number): number {
  let sum = 0;
  let up = 1;
  for (let p = 0; p < m.length; p++) {
    const row = m[p] as readonly number[];
    let term = 0;
    let vq = 1;
    for (let q = 0; q < row.length; q++) {
      term += (row[q] as number) * vq;
      vq *= v;
    }
    sum += term * up;
    up *= u;
  }
  return sum;
}

/** Forward distortion of pixel offsets (u, v), written into `out` as [u', v']. */
export function sipForward(sip: Sip, u: number, v: number, out: [number, number]): void {
  out[0] = u + evalSipPolynomial(sip.a, u, v);
  out[1] = v + evalSipPolynomial(sip.b, u, v);
}

const SCRATCH_A = new Float64Array(3);
const SCRATCH_B = new Float64Array(3);

/** Σ m[p][q] u^p v^q and its partial derivatives, written into out = [value, d/du, d/dv]. */
function evalWithGradient(m: readonly (readonly number[])[], u: number, v: number, out: Float64Array): void {
  let f = 0;
  let fu = 0;
  let fv = 0;
  let up = 1;
  let upm1 = 0;
  for (let p = 0; p < m.length; p++) {
    const row = m[p] as readonly number[];
    let t = 0;
    let tv = 0;
    let vq = 1;
    let vqm1 = 0;
    for (let q = 0; q < row.length; q++) {
      const c = row[q] as number;
      t += c * vq;
      tv += c * q * vqm1;
      vqm1 = vq;
      vq *= v;
    }
    f += t * up;
    fu += t * p * upm1;
    fv += tv * up;
    upm1 = up;
    up *= u;
  }
  out[0] = f;
  out[1] = fu;
  out[2] = fv;
}

/**
 * Undistort: find (u, v) with sipForward(u, v) = (u', v') by Newton's method with the analytic
 * Jacobian, starting from the AP/BP inverse when present. Converges to ~1e-12 pixel.
 */
export function sipInverse(sip: Sip, up: number, vp: number, out: [number, number]): void {
  let u = up;
  let v = vp;
  if (sip.ap !== undefined && sip.bp !== undefined) {
    u = up + evalSipPolynomial(sip.ap, up, vp);
    v = vp + evalSipPolynomial(sip.bp, up, vp);
  }
  const fa = SCRATCH_A;
  const fb = SCRATCH_B;
  for (let k = 0; k < 50; k++) {
    evalWithGradient(sip.a, u, v, fa);
    evalWithGradient(sip.b, u, v, fb);
    const ru = u + (fa[0] as number) - up;
    const rv = v + (fb[0] as number) - vp;
    const j11 = 1 + (fa[1] as number);
    const j12 = fa[2] as number;
    const j21 = fb[1] as number;
    const j22 = 1 + (fb[2] as number);
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    const du = (j22 * ru - j12 * rv) / det;
    const dv = (-j21 * ru + j11 * rv) / det;
    u -= du;
    v -= dv;
    if (Math.abs(du) < 1e-13 && Math.abs(dv) < 1e-13) break;
  }
  out[0] = u;
  out[1] = v;
}

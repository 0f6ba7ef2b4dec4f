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

/**
 * Undistort: find (u, v) with sipForward(u, v) = (u', v') by Newton's method (numerical Jacobian),
 * starting from the AP/BP inverse when present. Converges to ~1e-12 pixel.
 */
export function sipInverse(sip: Sip, up: number, vp: number, out: [number, number]): void {
  let u = up;
  let v = vp;
  if (sip.ap !== undefined && sip.bp !== undefined) {
    u = up + evalSipPolynomial(sip.ap, up, vp);
    v = vp + evalSipPolynomial(sip.bp, up, vp);
  }
  const f: [number, number] = [0, 0];
  const g: [number, number] = [0, 0];
  for (let k = 0; k < 50; k++) {
    sipForward(sip, u, v, f);
    const ru = f[0] - up;
    const rv = f[1] - vp;
    if (Math.abs(ru) < 1e-13 && Math.abs(rv) < 1e-13) break;
    const h = 1e-4 * Math.max(1, Math.abs(u) + Math.abs(v));
    sipForward(sip, u + h, v, g);
    const j11 = (g[0] - f[0]) / h;
    const j21 = (g[1] - f[1]) / h;
    sipForward(sip, u, v + h, g);
    const j12 = (g[0] - f[0]) / h;
    const j22 = (g[1] - f[1]) / h;
    const det = j11 * j22 - j12 * j21;
    if (det === 0 || !Number.isFinite(det)) break;
    const du = (j22 * ru - j12 * rv) / det;
    const dv = (-j21 * ru + j11 * rv) / det;
    u -= du;
    v -= dv;
    if (Math.abs(du) < 1e-14 && Math.abs(dv) < 1e-14) break;
  }
  out[0] = u;
  out[1] = v;
}

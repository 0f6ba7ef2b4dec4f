/**
 * Correctly rounded cos and sin (|x| ≤ 100) in double-double arithmetic.
 *
 * Why: `Math.cos` in JS engines may be 1 ulp away from the correctly rounded value that glibc
 * (and so healpy) returns. For a point lying exactly on a pixel edge that ulp decides the pixel.
 * HEALPix code calls the fast `Math.cos` and falls back to these only when the point is within a
 * few ulps of an edge (see `healpix-locate.ts`). Error-free transformations: Dekker 1971,
 * Knuth TAOCP vol. 2 §4.2.2; Taylor series with |r| ≤ π/4.
 */

const SPLIT = 134217729; // 2^27 + 1, Veltkamp splitting constant
// π/2 as a sum of three doubles.
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

let hi = 0;
let lo = 0;

function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  hi = s;
  lo = a - (s - bb) + (b - bb);
}

function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  hi = p;
  lo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah, al) · (bh, bl) → (hi, lo). */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = hi;
  const e = lo + (ah * bl + al * bh);
  const s = p + e;
  lo = e - (s - p);
  hi = s;
}

/** (ah, al) + (bh, bl) → (hi, lo). */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s = hi;
  const e = lo + al + bl;
  const t = s + e;
  lo = e - (t - s);
  hi = t;
}

/** (ah, al) / d for a small integer d → (hi, lo). */
function ddDivInt(ah: number, al: number, d: number): void {
  const q1 = ah / d;
  twoProd(q1, d);
  const r = ah - hi - lo + al;
  const q2 = r / d;
  const s = q1 + q2;
  lo = q2 - (s - q1);
  hi = s;
}

/** Taylor series of sin (odd) or cos (even) at the double-double r, |r| ≤ π/4. */
function series(rh: number, rl: number, odd: boolean): number {
  ddMul(rh, rl, rh, rl);
  const r2h = hi;
  const r2l = lo;
  let th = odd ? rh : 1;
  let tl = odd ? rl : 0;
  let sh = th;
  let sl = tl;
  for (let n = odd ? 3 : 2; n < 40; n += 2) {
    ddMul(th, tl, r2h, r2l);
    ddDivInt(-hi, -lo, n * (n - 1));
    th = hi;
    tl = lo;
    if (Math.abs(th) < 1e-36) break;
    ddAdd(sh, sl, th, tl);
    sh = hi;
    sl = lo;
  }
  return sh + sl;
}

/** Reduce |x| ≤ ~100 by k·π/2; returns k mod 4 and leaves r = x − k·π/2 in (hi, lo). */
function reduce(x: number): number {
  const k = Math.round(x / PIO2_1);
  twoProd(k, PIO2_1);
  ddAdd(x, 0, -hi, -lo);
  const rh = hi;
  const rl = lo;
  twoProd(k, PIO2_2);
  ddAdd(rh, rl, -hi, -lo);
  ddAdd(hi, lo, -k * PIO2_3, 0);
  return ((k % 4) + 4) % 4;
}

/** cos x, correctly rounded (barring 1e-30-close ties) for |x| ≤ 100. */
export function cosAccurate(x: number): number {
  const k = reduce(x);
  const rh = hi;
  const rl = lo;
  switch (k) {
    case 0:
      return series(rh, rl, false);
    case 1:
      return -series(rh, rl, true);
    case 2:
      return -series(rh, rl, false);
    default:
      return series(rh, rl, true);
  }
}

/** sin x, correctly rounded (barring 1e-30-close ties) for |x| ≤ 100. */
export function sinAccurate(x: number): number {
  const k = reduce(x);
  const rh = hi;
  const rl = lo;
  switch (k) {
    case 0:
      return series(rh, rl, true);
    case 1:
      return series(rh, rl, false);
    case 2:
      return -series(rh, rl, true);
    default:
      return -series(rh, rl, false);
  }
}

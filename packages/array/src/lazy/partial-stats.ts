/**
 * Partial statistics of chunks, merged associatively (Chan, Golub & LeVeque 1979 for the
 * moments): per output element a count, mean, M2, min, max and sum of the non-NaN values.
 * Element-wise expressions are evaluated inside the same loop, so `mean((a-b)/(a+b))` reads each
 * input once and writes nothing per element.
 */
import { type Expr, exprSource, PRELUDE } from "../expression.js";

/** Per-output-element partial statistics (all arrays have the output length). */
export interface Partial {
  count: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

export function emptyPartial(n: number): Partial {
  return {
    count: new Float64Array(n),
    mean: new Float64Array(n),
    m2: new Float64Array(n),
    min: new Float64Array(n).fill(Infinity),
    max: new Float64Array(n).fill(-Infinity),
  };
}

/** Merge `b` into `a` element by element (Chan et al. pairwise update). */
export function mergeInto(a: Partial, b: Partial): void {
  for (let i = 0; i < a.count.length; i++) {
    const nb = b.count[i] as number;
    if (nb === 0) continue;
    const na = a.count[i] as number;
    const n = na + nb;
    const delta = (b.mean[i] as number) - (a.mean[i] as number);
    a.mean[i] = (a.mean[i] as number) + (delta * nb) / n;
    a.m2[i] = (a.m2[i] as number) + (b.m2[i] as number) + (delta * delta * na * nb) / n;
    a.count[i] = n;
    if ((b.min[i] as number) < (a.min[i] as number)) a.min[i] = b.min[i] as number;
    if ((b.max[i] as number) > (a.max[i] as number)) a.max[i] = b.max[i] as number;
  }
}

type Source = ArrayLike<number>;
type StatsFn = (
  ins: Source[],
  out: Partial,
  outIndex: Int32Array | null,
  inner: number,
  outer: number,
  groups: Int32Array | null,
  start: number,
  end: number,
) => void;

const cache = new Map<string, StatsFn>();

/**
 * A compiled loop over `outer × inner` elements (C order of the chunk with the reduced axes
 * already moved: `outer` runs over reduced positions, `inner` over kept positions) that
 * accumulates into `out` at `inner` index (or at `groups[o] * inner + i` for grouped reductions).
 * Two passes per output element would need a second read of the chunk; instead each inner
 * element keeps a shift (its first value) and shifted sums, which is stable for data whose spread
 * is not many orders of magnitude below its mean.
 */
/** Which statistics a loop keeps: sums only (sum, mean, count), moments (var, std), or also min/max. */
export type StatsMode = "sum" | "moments" | "all";

function compile(expr: Expr | null, nInputs: number, mode: StatsMode): StatsFn {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${nInputs}|${mode}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const ids = [...Array(nInputs).keys()];
  const src = `${PRELUDE}
return function stats(ins, out, outIndex, inner, outer, groups, start, end) {
  ${ids.map((k) => `const I${k} = ins[${k}];`).join(" ")}
  const groupsN = groups ? (groups.length === 0 ? 0 : Math.max(...groups) + 1) : 1;
  const n = inner * groupsN;
  const K = new Float64Array(n).fill(NaN), S1 = new Float64Array(n), S2 = new Float64Array(n), C = new Float64Array(n);
  const MN = new Float64Array(n).fill(Infinity), MX = new Float64Array(n).fill(-Infinity);
  for (let o = start; o < end; o++) {
    const g = groups ? groups[o] * inner : 0;
    if (g < 0) continue;
    const base = o * inner;
    for (let i = 0; i < inner; i++) {
      const p = base + i;
      ${ids.map((k) => `const x${k} = I${k}[p];`).join(" ")}
      const v = ${body};
      if (v !== v) continue;
      const j = g + i;
      ${
        mode === "sum"
          ? "S1[j] += v; C[j] += 1;"
          : `let k = K[j];
      if (k !== k) { k = v; K[j] = v; }
      const d = v - k;
      S1[j] += d; S2[j] += d * d; C[j] += 1;`
      }
      ${mode === "all" ? "if (v < MN[j]) MN[j] = v; if (v > MX[j]) MX[j] = v;" : ""}
    }
  }
  for (let j = 0; j < n; j++) {
    const c = C[j];
    if (c === 0) continue;
    const q = outIndex ? outIndex[j] : j;
    const mean = ${mode === "sum" ? "S1[j] / c" : "K[j] + S1[j] / c"};
    const m2 = ${mode === "sum" ? "0" : "Math.max(0, S2[j] - (S1[j] * S1[j]) / c)"};
    const na = out.count[q];
    if (na === 0) { out.count[q] = c; out.mean[q] = mean; out.m2[q] = m2; out.min[q] = MN[j]; out.max[q] = MX[j]; continue; }
    const tot = na + c; const delta = mean - out.mean[q];
    out.mean[q] += (delta * c) / tot; out.m2[q] += m2 + (delta * delta * na * c) / tot; out.count[q] = tot;
    if (MN[j] < out.min[q]) out.min[q] = MN[j];
    if (MX[j] > out.max[q]) out.max[q] = MX[j];
  }
};`;
  const fn = new Function(src)() as StatsFn;
  cache.set(key, fn);
  return fn;
}

/**
 * Statistics of `expr(inputs)` (or of `inputs[0]`) over `outer` reduced positions for each of
 * `inner` kept positions; with `groups`, reduced position `o` goes to group `groups[o]` (−1: skip)
 * and the result has `groups × inner` elements.
 */
export function partialStats(
  inputs: readonly Source[],
  inner: number,
  outer: number,
  expr: Expr | null,
  groups: Int32Array | null = null,
  mode: StatsMode = "all",
): Partial {
  const ng = groups ? (groups.length === 0 ? 0 : Math.max(...groups) + 1) : 1;
  const out = emptyPartial(inner * ng);
  compile(expr, inputs.length, mode)([...inputs], out, null, inner, outer, groups, 0, outer);
  return out;
}

type FlatFn = (ins: Source[], start: number, end: number) => number[];
const flatCache = new Map<string, FlatFn>();

/**
 * The hot loop for whole-chunk statistics: local accumulators only, one read per input element.
 * `minmax` adds the running min/max (off for mean/std/var/sum/count).
 */
export function flatStats(inputs: readonly Source[], expr: Expr | null, minmax: boolean): Partial {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${inputs.length}|${minmax}`;
  let fn = flatCache.get(key);
  if (!fn) {
    const ids = [...inputs.keys()];
    const src = `${PRELUDE}
return function flat(ins, start, end) {
  ${ids.map((k) => `const I${k} = ins[${k}];`).join(" ")}
  let k = NaN, s1 = 0, s2 = 0, c = 0, mn = Infinity, mx = -Infinity, i = start;
  for (; i < end; i++) {
    ${ids.map((j) => `const x${j} = I${j}[i];`).join(" ")}
    const v = ${body};
    if (v === v) { k = v; break; }
  }
  for (; i < end; i++) {
    ${ids.map((j) => `const x${j} = I${j}[i];`).join(" ")}
    const v = ${body};
    if (v !== v) continue;
    const d = v - k;
    s1 += d; s2 += d * d; c++;
    ${minmax ? "if (v < mn) mn = v; if (v > mx) mx = v;" : ""}
  }
  return [c, c === 0 ? 0 : k + s1 / c, c === 0 ? 0 : Math.max(0, s2 - (s1 * s1) / c), mn, mx];
};`;
    fn = new Function(src)() as FlatFn;
    flatCache.set(key, fn);
  }
  const r = fn([...inputs], 0, inputs[0]?.length ?? 0);
  const p = emptyPartial(1);
  p.count[0] = r[0] as number;
  p.mean[0] = r[1] as number;
  p.m2[0] = r[2] as number;
  p.min[0] = r[3] as number;
  p.max[0] = r[4] as number;
  return p;
}

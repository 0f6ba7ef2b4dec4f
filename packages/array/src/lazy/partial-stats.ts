/**
 * Partial statistics of chunks, merged associatively (Chan, Golub & LeVeque 1979 for the
 * moments): per output element a count, mean, M2, min, max and sum of the non-NaN values.
 * Element-wise expressions are evaluated inside the same loop, so `mean((a-b)/(a+b))` reads each
 * input once and writes nothing per element.
 */
import { type Expr, exprSource, PRELUDE } from "../expression.js";

/** Which statistics a loop keeps: sums only (sum, mean, count), moments (var, std), or also min/max. */
export type StatsMode = "sum" | "moments" | "all";

/**
 * Per-output-element partial statistics. The arrays live on one SharedArrayBuffer, so a partial
 * passes between worker threads without a copy; `m2` is kept from mode "moments" on, `min`/`max`
 * in mode "all". In mode "sum", `mean` holds the sum (see {@link meanOf}).
 */
export interface Partial {
  mode: StatsMode;
  count: Float64Array;
  mean: Float64Array;
  m2: Float64Array | null;
  min: Float64Array | null;
  max: Float64Array | null;
}

/**
 * Allocates the shared buffer of a partial: a kernel passes one backed by `ctx.allocate`, so
 * partials reuse buffers compute recycles (contents unspecified) instead of new ones each time.
 */
export type PartialAlloc = (bytes: number) => SharedArrayBuffer;

export function emptyPartial(n: number, mode: StatsMode = "all", alloc?: PartialAlloc): Partial {
  const k = mode === "sum" ? 2 : mode === "moments" ? 3 : 5;
  const buf = alloc ? alloc(8 * n * k) : new SharedArrayBuffer(8 * n * k);
  const at = (i: number) => new Float64Array(buf, 8 * n * i, n);
  const p: Partial = {
    mode,
    count: alloc ? at(0).fill(0) : at(0),
    mean: alloc ? at(1).fill(0) : at(1),
    m2: k >= 3 ? (alloc ? at(2).fill(0) : at(2)) : null,
    min: k === 5 ? at(3).fill(Infinity) : null,
    max: k === 5 ? at(4).fill(-Infinity) : null,
  };
  return p;
}

/** Mean of element `i` (mode "sum" keeps sums). */
export function meanOf(p: Partial, i: number): number {
  const c = p.count[i] as number;
  if (c === 0) return NaN;
  return p.mode === "sum" ? (p.mean[i] as number) / c : (p.mean[i] as number);
}

/** Elements `[start, end)` of a partial, as views. */
export function slicePartial(p: Partial, start: number, end: number): Partial {
  return {
    mode: p.mode,
    count: p.count.subarray(start, end),
    mean: p.mean.subarray(start, end),
    m2: p.m2?.subarray(start, end) ?? null,
    min: p.min?.subarray(start, end) ?? null,
    max: p.max?.subarray(start, end) ?? null,
  };
}

/**
 * Merge `b` into `a` element by element (Chan et al. pairwise update). In mode "sum" the `mean`
 * row holds plain sums (divided only at the end), so merging is two additions.
 */
export function mergeInto(a: Partial, b: Partial): void {
  if (a.mode === "sum" && b.mode === "sum") {
    const { count: ac, mean: as } = a;
    const { count: bc, mean: bs } = b;
    for (let i = 0; i < ac.length; i++) {
      ac[i] = (ac[i] as number) + (bc[i] as number);
      as[i] = (as[i] as number) + (bs[i] as number);
    }
    return;
  }
  const { count: ac, mean: am, m2: a2, min: amin, max: amax } = a;
  const { count: bc, mean: bm, m2: b2, min: bmin, max: bmax } = b;
  for (let i = 0; i < ac.length; i++) {
    const nb = bc[i] as number;
    if (nb === 0) continue;
    const na = ac[i] as number;
    const n = na + nb;
    const delta = (bm[i] as number) - (am[i] as number);
    am[i] = (am[i] as number) + (delta * nb) / n;
    if (a2 && b2) a2[i] = (a2[i] as number) + (b2[i] as number) + (delta * delta * na * nb) / n;
    ac[i] = n;
    if (amin && bmin && (bmin[i] as number) < (amin[i] as number)) amin[i] = bmin[i] as number;
    if (amax && bmax && (bmax[i] as number) > (amax[i] as number)) amax[i] = bmax[i] as number;
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
  fetch?: Fetch,
) => void;

/** Inputs for reduced position `o`, kept positions [i0, i1), indexed from 0 (streamed reads). */
export type Fetch = (o: number, i0: number, i1: number) => readonly Source[];

const cache = new Map<string, StatsFn>();

/**
 * A compiled loop over `outer × inner` elements (C order of the chunk with the reduced axes
 * already moved: `outer` runs over reduced positions, `inner` over kept positions) that
 * accumulates into `out` at `inner` index (or at `groups[o] * inner + i` for grouped reductions).
 * Two passes per output element would need a second read of the chunk; instead each inner
 * element keeps a shift (its first value) and shifted sums, which is stable for data whose spread
 * is not many orders of magnitude below its mean.
 */
function compile(expr: Expr | null, nInputs: number, mode: StatsMode): StatsFn {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${nInputs}|${mode}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const ids = [...Array(nInputs).keys()];
  const sum = mode === "sum";
  const all = mode === "all";
  // The element loop is its own small function called on blocks of at most 8192 elements: V8
  // optimises it after a few calls, where one huge loop would run in on-stack-replaced code.
  const src = `${PRELUDE}
function block(${ids.map((k) => `I${k}`).join(", ")}, base, g, i0, i1, OC, OM, MN, MX, K, S1, S2, C) {
  for (let i = i0; i < i1; i++) {
    const p = base + i;
    ${ids.map((k) => `const x${k} = I${k}[p];`).join(" ")}
    const v = ${body};
    if (v !== v) { ${sum ? "OC[g + i] -= 1;" : ""} continue; }
    const j = g + i;
    ${
      sum
        ? "OM[j] += v;"
        : `let k = K[j];
    if (k !== k) { k = v; K[j] = v; }
    const d = v - k;
    S1[j] += d; S2[j] += d * d; C[j] += 1;`
    }
    ${all ? "if (v < MN[j]) MN[j] = v; if (v > MX[j]) MX[j] = v;" : ""}
  }
}
return function stats(ins, out, outIndex, inner, outer, groups, start, end, fetch) {
  ${ids.map((k) => `const I${k} = ins[${k}];`).join(" ")}
  const groupsN = groups ? (groups.length === 0 ? 0 : Math.max(...groups) + 1) : 1;
  const n = inner * groupsN;
  const OC = out.count, OM = out.mean, O2 = out.m2, MN = out.min, MX = out.max;
  ${sum ? "const K = null, S1 = null, S2 = null, C = null;" : "const K = new Float64Array(n).fill(NaN), S1 = new Float64Array(n), S2 = new Float64Array(n), C = new Float64Array(n);"}
  // Blocks of kept positions outermost: a block's accumulators stay in cache while every
  // reduced position adds into them, instead of streaming all accumulators once per position.
  for (let i0 = 0; i0 < inner; i0 += 8192) {
    const i1 = Math.min(inner, i0 + 8192);
    for (let o = start; o < end; o++) {
      const g = groups ? groups[o] * inner : 0;
      if (g < 0) continue;
      if (fetch) {
        const v = fetch(o, i0, i1);
        block(${ids.map((k) => `v[${k}]`).join(", ")}, -i0, g, i0, i1, OC, OM, MN, MX, K, S1, S2, C);
      } else block(${ids.map((k) => `I${k}`).join(", ")}, o * inner, g, i0, i1, OC, OM, MN, MX, K, S1, S2, C);
    }
  }
  ${
    sum
      ? `// counts: rows per group, less the NaNs counted down in the loop
  const rows = new Float64Array(groupsN);
  for (let o = start; o < end; o++) { const g = groups ? groups[o] : 0; if (g >= 0) rows[g] += 1; }
  for (let g = 0; g < groupsN; g++) { const r = rows[g]; if (r === 0) continue; for (let i = 0, j = g * inner; i < inner; i++, j++) OC[j] += r; }`
      : `for (let j = 0; j < n; j++) {
    const c = C[j];
    if (c === 0) continue;
    OC[j] = c; OM[j] = K[j] + S1[j] / c; O2[j] = Math.max(0, S2[j] - (S1[j] * S1[j]) / c);
  }`
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
  fetch?: { nInputs: number; fn: Fetch },
  alloc?: PartialAlloc,
): Partial {
  const ng = groups ? (groups.length === 0 ? 0 : Math.max(...groups) + 1) : 1;
  const out = emptyPartial(inner * ng, mode, alloc);
  compile(expr, fetch ? fetch.nInputs : inputs.length, mode)(
    [...inputs],
    out,
    null,
    inner,
    outer,
    groups,
    0,
    outer,
    fetch?.fn,
  );
  return out;
}

type FlatFn = (ins: Source[], start: number, end: number) => number[];
const flatCache = new Map<string, FlatFn>();

/**
 * The hot loop for whole-chunk statistics: local accumulators only, one read per input element.
 * `minmax` adds the running min/max (off for mean/std/var/sum/count).
 */
export function flatStats(inputs: readonly Source[], expr: Expr | null, minmax: boolean): Partial {
  const fn = flatFn(expr, inputs.length, minmax);
  const r = fn([...inputs], 0, inputs[0]?.length ?? 0);
  return partialOf(r);
}

function flatFn(expr: Expr | null, nInputs: number, minmax: boolean): FlatFn {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${nInputs}|${minmax}`;
  let fn = flatCache.get(key);
  if (!fn) {
    const ids = [...Array(nInputs).keys()];
    const args = ids.map((k) => `I${k}`).join(", ");
    const src = `${PRELUDE}
function block(${args}, i0, i1, k, acc) {
  let s1 = 0, s2 = 0, c = 0, mn = Infinity, mx = -Infinity;
  for (let i = i0; i < i1; i++) {
    ${ids.map((j) => `const x${j} = I${j}[i];`).join(" ")}
    const v = ${body};
    if (v !== v) continue;
    const d = v - k;
    s1 += d; s2 += d * d; c++;
    ${minmax ? "if (v < mn) mn = v; if (v > mx) mx = v;" : ""}
  }
  acc[0] += s1; acc[1] += s2; acc[2] += c;
  if (mn < acc[3]) acc[3] = mn;
  if (mx > acc[4]) acc[4] = mx;
}
return function flat(ins, start, end) {
  ${ids.map((k) => `const I${k} = ins[${k}];`).join(" ")}
  let k = NaN, i = start;
  for (; i < end; i++) {
    ${ids.map((j) => `const x${j} = I${j}[i];`).join(" ")}
    const v = ${body};
    if (v === v) { k = v; break; }
  }
  const acc = new Float64Array([0, 0, 0, Infinity, -Infinity]);
  for (let b = i; b < end; b += 8192) block(${args}, b, Math.min(end, b + 8192), k, acc);
  const s1 = acc[0], s2 = acc[1], c = acc[2];
  return [c, c === 0 ? 0 : k + s1 / c, c === 0 ? 0 : Math.max(0, s2 - (s1 * s1) / c), acc[3], acc[4]];
};`;
    fn = new Function(src)() as FlatFn;
    flatCache.set(key, fn);
  }
  return fn;
}

/** [count, mean, m2, min, max] of a flat piece (see {@link flatStats}). */
export function flatStatsRaw(inputs: readonly Source[], expr: Expr | null, minmax: boolean): number[] {
  return flatFn(expr, inputs.length, minmax)([...inputs], 0, inputs[0]?.length ?? 0);
}

/** Merge raw [count, mean, m2, min, max] `b` into `a` (Chan et al.). */
export function mergeRaw(a: number[], b: readonly number[]): void {
  const nb = b[0] as number;
  if (nb === 0) return;
  const na = a[0] as number;
  const n = na + nb;
  const delta = (b[1] as number) - (a[1] as number);
  a[1] = (a[1] as number) + (delta * nb) / n;
  a[2] = (a[2] as number) + (b[2] as number) + (delta * delta * na * nb) / n;
  a[0] = n;
  a[3] = Math.min(a[3] as number, b[3] as number);
  a[4] = Math.max(a[4] as number, b[4] as number);
}

/** A one-element partial from raw statistics. */
export function partialOf(r: readonly number[]): Partial {
  const p = emptyPartial(1, "all");
  p.count[0] = r[0] as number;
  p.mean[0] = r[1] as number;
  (p.m2 as Float64Array)[0] = r[2] as number;
  (p.min as Float64Array)[0] = r[3] as number;
  (p.max as Float64Array)[0] = r[4] as number;
  return p;
}

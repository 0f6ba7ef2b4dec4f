/**
 * Built-in kernels of `@meridian/compute`, importable by every worker as
 * `@meridian/compute/kernels`: no-op, identity, fail and sleep (scheduler tests), the fused element-wise
 * executor used by graph optimisation, a deterministic generator, simple arithmetic, and one-pass
 * moments (count, mean, M2) with an associative combine for mean and standard deviation.
 */

import {
  allocateChunk,
  type Chunk,
  type Dtype,
  isChunk,
  type NumberArray,
  type TypedArray,
} from "./chunk.js";
import { ComputeError } from "./errors.js";
import type { JsonValue, KernelRef } from "./graph.js";
import { defineKernel, type ElementwiseKernelDefinition } from "./kernel.js";
import { loadKernel } from "./kernel-loader.js";

/** Module specifier of the built-in kernels. */
export const BUILTIN_KERNELS = "@meridian/compute/kernels";

/** Returns null; for measuring scheduler overhead. */
export const noop = defineKernel(BUILTIN_KERNELS, "noop", { run: () => null });

/** Returns its first argument unchanged (a chunk keeps its shared memory). */
export const identity = defineKernel(BUILTIN_KERNELS, "identity", { run: (args) => args[0] ?? null });

/** Throws an Error with `params.message`; for testing error paths. */
export const fail = defineKernel(BUILTIN_KERNELS, "fail", {
  run(_args, params) {
    throw new Error(String((params as { message?: unknown } | undefined)?.message ?? "fail kernel"));
  },
});

/**
 * Waits `params.ms` milliseconds, then returns its first argument (or null). Stops early when
 * the computation is cancelled.
 */
export const sleep = defineKernel(BUILTIN_KERNELS, "sleep", {
  async run(args, params, ctx) {
    const until = Date.now() + (params as { ms: number }).ms;
    while (Date.now() < until) {
      if (ctx.cancelled?.()) throw new ComputeError("CANCELLED", "sleep cancelled");
      await new Promise((r) => setTimeout(r, Math.min(10, until - Date.now())));
    }
    return args[0] ?? null;
  },
});

/** Params of {@link fill}: dtype, shape, seed (same seed, same data). */
export interface FillParams {
  readonly dtype: "float32" | "float64";
  readonly shape: readonly number[];
  readonly seed: number;
}

/**
 * A chunk of pseudo-random numbers in [0, 1) from a 32-bit xorshift seeded with `seed`
 * (Marsaglia 2003, "Xorshift RNGs", the 13/17/5 triple).
 */
export const fill = defineKernel(BUILTIN_KERNELS, "fill", {
  run(_args, params, ctx) {
    const p = params as unknown as FillParams;
    const out = ctx.allocate(p.dtype, p.shape);
    const d = out.data as NumberArray;
    let s = (p.seed >>> 0) ^ 0x9e3779b9 || 1;
    for (let i = 0; i < d.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      d[i] = (s >>> 0) / 4294967296;
    }
    return out;
  },
});

/** out = x * a + b, with params `{ a, b }`. */
export const scaleOffset = defineKernel(BUILTIN_KERNELS, "scaleOffset", {
  kind: "elementwise",
  apply(out, inputs, params) {
    const { a, b } = params as { a: number; b: number };
    const x = inputs[0] as NumberArray;
    const o = out as NumberArray;
    for (let i = 0; i < o.length; i++) o[i] = (x[i] as number) * a + b;
  },
});

/** out = x + y (either may be a number). */
export const add = defineKernel(BUILTIN_KERNELS, "add", {
  kind: "elementwise",
  apply(out, inputs) {
    const o = out as NumberArray;
    const [x, y] = inputs as [NumberArray | number, NumberArray | number];
    for (let i = 0; i < o.length; i++) {
      o[i] = (typeof x === "number" ? x : (x[i] as number)) + (typeof y === "number" ? y : (y[i] as number));
    }
  },
});

/** out = x * x. */
export const square = defineKernel(BUILTIN_KERNELS, "square", {
  kind: "elementwise",
  apply(out, inputs) {
    const o = out as NumberArray;
    const x = inputs[0] as NumberArray;
    for (let i = 0; i < o.length; i++) {
      const v = x[i] as number;
      o[i] = v * v;
    }
  },
});

/** Sum of numbers (associative, variadic): tree-reduces. */
export const sum = defineKernel(BUILTIN_KERNELS, "sum", {
  kind: "combine",
  run(args) {
    let s = 0;
    for (const a of args) s += a as number;
    return s;
  },
});

/** Partial statistics of a chunk: element count, mean and sum of squared deviations (M2). */
export interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
}

/**
 * Moments of one chunk in one pass over memory. Sums are taken about a shift (the first element)
 * to keep the one-pass variance stable (Chan, Golub & LeVeque 1983, "shifted data").
 */
export const moments = defineKernel(BUILTIN_KERNELS, "moments", {
  run(args): Moments {
    const c = args[0];
    if (!isChunk(c) || c.data instanceof BigInt64Array || c.data instanceof BigUint64Array) {
      throw new ComputeError("INVALID_ARGUMENT", "moments needs a numeric chunk");
    }
    const x = c.data;
    const n = x.length;
    if (n === 0) return { count: 0, mean: 0, m2: 0 };
    const k = x[0] as number;
    // Four independent accumulators: the adds do not wait on each other (latency, not
    // bandwidth, bounds a single running sum).
    let a1 = 0;
    let b1 = 0;
    let c1 = 0;
    let d1 = 0;
    let a2 = 0;
    let b2 = 0;
    let c2 = 0;
    let d2 = 0;
    const end4 = n - (n % 4);
    let i = 0;
    for (; i < end4; i += 4) {
      const da = (x[i] as number) - k;
      const db = (x[i + 1] as number) - k;
      const dc = (x[i + 2] as number) - k;
      const dd = (x[i + 3] as number) - k;
      a1 += da;
      b1 += db;
      c1 += dc;
      d1 += dd;
      a2 += da * da;
      b2 += db * db;
      c2 += dc * dc;
      d2 += dd * dd;
    }
    for (; i < n; i++) {
      const d = (x[i] as number) - k;
      a1 += d;
      a2 += d * d;
    }
    const s1 = a1 + b1 + (c1 + d1);
    const s2 = a2 + b2 + (c2 + d2);
    return { count: n, mean: k + s1 / n, m2: s2 - (s1 * s1) / n };
  },
});

/** Merge partial moments (Chan, Golub & LeVeque 1979, pairwise update); associative, variadic. */
export const combineMoments = defineKernel(BUILTIN_KERNELS, "combineMoments", {
  kind: "combine",
  run(args): Moments {
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (const a of args as Moments[]) {
      if (a.count === 0) continue;
      const n = count + a.count;
      const delta = a.mean - mean;
      mean += (delta * a.count) / n;
      m2 += a.m2 + (delta * delta * count * a.count) / n;
      count = n;
    }
    return { count, mean, m2 };
  },
});

/** One step of a fused chain: a kernel, its params, and where each argument comes from. */
export interface FusedStage {
  readonly kernel: KernelRef;
  readonly params?: JsonValue;
  /** `{ input: i }`: the fused task's i-th argument; `{ stage: j }`: stage j's output; a number: scalar. */
  readonly args: readonly ({ readonly input: number } | { readonly stage: number } | number)[];
}

/** Elements per block of a fused pass: small enough that a chain's temporaries stay in cache. */
const FUSED_BLOCK = 4096;

/**
 * Runs a chain of element-wise kernels in one pass: block by block, every stage writes into a
 * cache-sized temporary, the last stage into the output chunk. Built by `fuseElementwise`.
 */
export const fused = defineKernel(BUILTIN_KERNELS, "fused", {
  async run(args, params, ctx) {
    const stages = (params as unknown as { stages: FusedStage[] }).stages;
    const defs = await Promise.all(
      stages.map(async (s) => (await loadKernel(s.kernel)).definition as ElementwiseKernelDefinition),
    );
    const chunks = args.filter(isChunk);
    const first = chunks[0];
    if (first === undefined) throw new ComputeError("INVALID_ARGUMENT", "fused chain has no chunk input");
    const n = shapeElements(first);
    const dtypes: Dtype[] = [];
    for (const [j, s] of stages.entries()) {
      const inDtypes = s.args.flatMap((a) =>
        typeof a === "number" ? [] : "input" in a ? chunkDtype(args[a.input]) : [dtypes[a.stage] as Dtype],
      );
      dtypes.push(
        (defs[j] as ElementwiseKernelDefinition).dtype?.(inDtypes, s.params) ?? (inDtypes[0] as Dtype),
      );
    }
    const last = stages.length - 1;
    const out = ctx.allocate(dtypes[last] as Dtype, first.shape);
    const temps = dtypes.map((d, j) => (j === last ? null : allocateLocal(d, FUSED_BLOCK)));
    for (let start = 0; start < n; start += FUSED_BLOCK) {
      const end = Math.min(n, start + FUSED_BLOCK);
      for (const [j, s] of stages.entries()) {
        const ins = s.args.map((a) => {
          if (typeof a === "number") return a;
          if ("input" in a) {
            const v = args[a.input];
            if (typeof v === "number") return v;
            if (!isChunk(v))
              throw new ComputeError("INVALID_ARGUMENT", `fused input ${a.input} is not a chunk`);
            const per = perElement(v);
            return v.data.subarray(start * per, end * per);
          }
          return slice(temps[a.stage] as TypedArray, dtypes[a.stage] as Dtype, end - start);
        });
        const target =
          j === last
            ? out.data.subarray(start * perDtype(out.dtype), end * perDtype(out.dtype))
            : slice(temps[j] as TypedArray, dtypes[j] as Dtype, end - start);
        (defs[j] as ElementwiseKernelDefinition).apply(target, ins, s.params);
      }
    }
    return out;
  },
});

function chunkDtype(v: unknown): Dtype[] {
  return isChunk(v) ? [v.dtype] : [];
}

function perDtype(d: Dtype): number {
  return d === "complex64" || d === "complex128" ? 2 : 1;
}

function perElement(c: Chunk): number {
  return perDtype(c.dtype);
}

function shapeElements(c: Chunk): number {
  return c.data.length / perElement(c);
}

function allocateLocal(d: Dtype, n: number): TypedArray {
  // One temporary per stage, reused for every block of the pass.
  const c = allocateChunk(d, [n]);
  return c.data;
}

function slice(t: TypedArray, d: Dtype, n: number): TypedArray {
  return t.subarray(0, n * perDtype(d));
}

/**
 * Kernels of lazy arrays, registered with @meridian/compute by module and name so any worker
 * thread or host can run them: element-wise expressions, chunk readers (.npy, Zarr), partial
 * statistics with fused expressions, their merge, and the final reducers.
 */
import { openSync, readSync } from "node:fs";
import {
  type Chunk,
  type Dtype,
  defineKernel,
  type JsonValue,
  type KernelContext,
  type TypedArray,
} from "@meridian/compute";
import type { DType, Storage } from "../dtype.js";
import type { Expr } from "../expression.js";
import { exprSource, PRELUDE } from "../expression.js";
import { assign, NDArray } from "../ndarray.js";
import { reduce } from "../reduce.js";
import {
  emptyPartial,
  flatStats,
  flatStatsRaw,
  meanOf,
  mergeInto,
  mergeRaw,
  type Partial,
  type PartialAlloc,
  partialOf,
  partialStats,
  type StatsMode,
  slicePartial,
} from "./partial-stats.js";
import { SIMD_PIECE_BYTES, type SimdSums, simdSums } from "./simd-stats.js";

/** Module specifier workers import these kernels from. */
export const ARRAY_KERNELS = "@meridian/array/kernels";

type Flat = (out: TypedArray, ins: readonly (TypedArray | number)[], n: number) => void;
const flatCache = new Map<string, Flat>();

function compileFlat(expr: Expr, nInputs: number, mode: "float" | "bool"): Flat {
  const body = exprSource(expr);
  const key = `${body}|${nInputs}|${mode}`;
  let fn = flatCache.get(key);
  if (!fn) {
    const ids = [...Array(nInputs).keys()];
    fn = new Function(`${PRELUDE}
return function flat(out, ins, n) {
  ${ids.map((k) => `const I${k} = ins[${k}]; const s${k} = typeof I${k} === "number";`).join(" ")}
  for (let i = 0; i < n; i++) {
    ${ids.map((k) => `const x${k} = s${k} ? I${k} : I${k}[i];`).join(" ")}
    const v = ${body};
    out[i] = ${mode === "bool" ? "v ? 1 : 0" : "v"};
  }
};`)() as Flat;
    flatCache.set(key, fn);
  }
  return fn;
}

/** Params of {@link elementwise}. */
export interface ElementwiseParams {
  expr: Expr;
  dtype: "float32" | "float64" | "bool";
}

/** out = expr(inputs): one pass, fusable by compute's optimiser with neighbouring element-wise tasks. */
export const elementwise = defineKernel(ARRAY_KERNELS, "elementwise", {
  kind: "elementwise",
  dtype: (_in, params) => (params as unknown as ElementwiseParams).dtype,
  apply(out, inputs, params) {
    const p = params as unknown as ElementwiseParams;
    compileFlat(p.expr, inputs.length, p.dtype === "bool" ? "bool" : "float")(out, inputs, out.length);
  },
});

/** Params of {@link readNpy}. */
export interface ReadNpyParams {
  path: string;
  dtype: Dtype;
  /** Shape of this chunk. */
  shape: number[];
  /** Byte offset of the chunk in the file (chunks are whole leading-axis slabs, contiguous). */
  byteOffset: number;
}

const fds = new Map<string, number>();

/** A contiguous slab of a C-order .npy file, read into shared memory. */
export const readNpy = defineKernel(ARRAY_KERNELS, "readNpy", {
  run(_args, params, ctx: KernelContext): Chunk {
    const p = params as unknown as ReadNpyParams;
    const out = ctx.allocate(p.dtype, p.shape);
    let fd = fds.get(p.path);
    if (fd === undefined) {
      fd = openSync(p.path, "r");
      fds.set(p.path, fd);
    }
    const bytes = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, p.byteOffset + done);
      if (n === 0)
        throw new Error(
          `${p.path}: file ends at byte ${p.byteOffset + done}, chunk needs ${p.byteOffset + bytes.length}`,
        );
      done += n;
    }
    return out;
  },
});

/** Params of {@link readZarrChunk}. */
export interface ReadZarrChunkParams {
  dir: string;
  array: string;
  coords: number[];
}

/** One chunk of a Zarr array in a directory, decoded and padded to the full chunk shape. */
export const readZarrChunk = defineKernel(ARRAY_KERNELS, "readZarrChunk", {
  async run(_args, params, ctx): Promise<Chunk> {
    const p = params as unknown as ReadZarrChunkParams;
    const { openZarrArray } = await import("../zarr.js");
    const { directoryStore } = await import("../zarr-directory.js");
    const arr = await openZarrArray(directoryStore(p.dir), p.array);
    const part = await arr.readChunk(p.coords);
    const out = ctx.allocate(part.dtype as Dtype, part.shape);
    const c = part.copy("C");
    (out.data as unknown as { set(a: unknown): void }).set(c.data);
    return out;
  },
});

/** Params of {@link chunkStats}. */
export interface ChunkStatsParams {
  expr: Expr | null;
  /** Shape of this chunk (C order). */
  shape: number[];
  /** Reduced axes of the chunk. */
  axes: number[];
  /** With one reduced axis: local group of each position along it (−1 to skip). */
  groups?: number[];
  /** Whole-chunk reductions of .npy sources: read the inputs here instead of taking chunks. */
  reads?: ReadNpyParams[];
  /** Statistics needed: "sum" (sum, mean, count), "moments" (+ var, std), "all" (+ min, max). */
  mode?: StatsMode;
}

/**
 * Partials travel as chunks (float64, shape [k, n]: count, mean, then m2, min, max as the mode
 * keeps them) so compute's memory budget counts them and they cross threads without copies.
 */
function toChunk(p: Partial): Chunk {
  const n = p.count.length;
  const k = p.mode === "sum" ? 2 : p.mode === "moments" ? 3 : 5;
  return {
    dtype: "float64",
    shape: [k, n],
    data: new Float64Array(p.count.buffer, p.count.byteOffset, k * n),
  };
}

function fromChunk(c: unknown): Partial {
  const ch = c as Chunk;
  const [k = 0, n = 0] = ch.shape;
  const d = ch.data as Float64Array;
  const row = (i: number) => new Float64Array(d.buffer, d.byteOffset + 8 * n * i, n);
  return {
    mode: k === 2 ? "sum" : k === 3 ? "moments" : "all",
    count: row(0),
    mean: row(1),
    m2: k >= 3 ? row(2) : null,
    min: k === 5 ? row(3) : null,
    max: k === 5 ? row(4) : null,
  };
}

/** Partial statistics of one chunk (or of `expr` over several aligned chunks). */
export const chunkStats = defineKernel(ARRAY_KERNELS, "chunkStats", {
  run(args, params, ctx): Chunk {
    return toChunk(chunkStatsOf(args, params, allocFor(ctx)));
  },
});

const PIECE_BYTES = 1 << 20;
const pieceBuffers: ArrayBuffer[] = [];

/**
 * Whole-chunk statistics straight from .npy files: each input is read in 1 MiB pieces into a
 * buffer reused for every piece and task, so no chunk-sized memory is allocated or page-faulted
 * (a 64 MiB chunk otherwise costs more to allocate and fill than to reduce).
 */
function streamedStats(reads: readonly ReadNpyParams[], expr: Expr | null, minmax: boolean): Partial {
  const first = reads[0] as ReadNpyParams;
  const simd = reads.length === 1 && first.dtype === "float32" && !expr && !minmax ? simdSums() : null;
  if (simd) return simdStats(first, simd);
  const size = NPY_ITEM[first.dtype] ?? 8;
  const n = first.shape.reduce((a, b) => a * b, 1);
  const per = Math.floor(PIECE_BYTES / size);
  const acc = [0, 0, 0, Infinity, -Infinity];
  for (let start = 0; start < n; start += per) {
    const m = Math.min(per, n - start);
    const views = reads.map((r, i) => {
      const buf = pieceBuffers[i] ?? new ArrayBuffer(PIECE_BYTES);
      pieceBuffers[i] = buf;
      readFully(r, new Uint8Array(buf, 0, m * size), r.byteOffset + start * size);
      return typedView(r.dtype, buf, m);
    });
    mergeRaw(acc, flatStatsRaw(views, expr, minmax));
  }
  return partialOf(acc);
}

/**
 * Count, mean and M2 of one float32 .npy slab with the WebAssembly SIMD sums: 256 KiB pieces read
 * straight into the module's memory, each shifted by its first value; a piece whose sums come out
 * NaN (it holds NaN or ±∞) goes through the NaN-skipping loop instead. Pieces merge as before.
 */
function simdStats(r: ReadNpyParams, simd: SimdSums): Partial {
  const n = r.shape.reduce((a, b) => a * b, 1);
  const per = SIMD_PIECE_BYTES / 4;
  const acc = [0, 0, 0, Infinity, -Infinity];
  for (let start = 0; start < n; start += per) {
    const m = Math.min(per, n - start);
    readFully(r, simd.input(m * 4), r.byteOffset + start * 4);
    const values = simd.values(m);
    const k = values[0] as number;
    const m8 = m - (m % 8);
    let [s1, s2] = simd.sums(m8, k);
    for (let i = m8; i < m; i++) {
      const d = (values[i] as number) - k;
      s1 += d;
      s2 += d * d;
    }
    if (Number.isNaN(s1) || Number.isNaN(s2)) mergeRaw(acc, flatStatsRaw([values], null, false));
    else mergeRaw(acc, [m, k + s1 / m, Math.max(0, s2 - (s1 * s1) / m), Infinity, -Infinity]);
  }
  return partialOf(acc);
}

/** Grouped statistics along the first axis straight from .npy slabs, in 8192-element pieces. */
function streamedGroupStats(p: ChunkStatsParams, alloc: PartialAlloc): Partial {
  const reads = p.reads as ReadNpyParams[];
  const first = reads[0] as ReadNpyParams;
  const size = NPY_ITEM[first.dtype] ?? 8;
  const outer = p.shape[0] as number;
  const inner = p.shape.slice(1).reduce((a, b) => a * b, 1);
  const bufs = reads.map((_, i) => {
    const b = pieceBuffers[i] ?? new ArrayBuffer(PIECE_BYTES);
    pieceBuffers[i] = b;
    return b;
  });
  const fetch = (o: number, i0: number, i1: number) =>
    reads.map((r, k) => {
      const buf = bufs[k] as ArrayBuffer;
      readFully(r, new Uint8Array(buf, 0, (i1 - i0) * size), r.byteOffset + (o * inner + i0) * size);
      return typedView(r.dtype, buf, i1 - i0);
    });
  return partialStats(
    [],
    inner,
    outer,
    p.expr,
    Int32Array.from(p.groups ?? []),
    p.mode ?? "all",
    { nInputs: reads.length, fn: fetch },
    alloc,
  );
}

const NPY_ITEM: Record<string, number | undefined> = {
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
};

function typedView(dtype: Dtype, buf: ArrayBuffer, n: number): ArrayLike<number> {
  switch (dtype) {
    case "float32":
      return new Float32Array(buf, 0, n);
    case "int8":
      return new Int8Array(buf, 0, n);
    case "uint8":
      return new Uint8Array(buf, 0, n);
    case "int16":
      return new Int16Array(buf, 0, n);
    case "uint16":
      return new Uint16Array(buf, 0, n);
    case "int32":
      return new Int32Array(buf, 0, n);
    case "uint32":
      return new Uint32Array(buf, 0, n);
    default:
      return new Float64Array(buf, 0, n);
  }
}

function readFully(p: ReadNpyParams, bytes: Uint8Array, at: number): void {
  let fd = fds.get(p.path);
  if (fd === undefined) {
    fd = openSync(p.path, "r");
    fds.set(p.path, fd);
  }
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, at + done);
    if (n === 0)
      throw new Error(`${p.path}: file ends at byte ${at + done}, chunk needs ${at + bytes.length}`);
    done += n;
  }
}

/** Partial buffers from the worker's recycled buffers (compute's buffer pool). */
function allocFor(ctx: KernelContext): PartialAlloc {
  return (bytes) => ctx.allocate("float64", [bytes / 8]).data.buffer as SharedArrayBuffer;
}

function chunkStatsOf(args: readonly unknown[], params: unknown, alloc: PartialAlloc): Partial {
  const p = params as unknown as ChunkStatsParams;
  if (p.reads && !p.groups) return streamedStats(p.reads, p.expr, (p.mode ?? "all") === "all");
  if (p.reads && p.groups && p.axes.length === 1 && p.axes[0] === 0) return streamedGroupStats(p, alloc);
  const nd = p.shape.length;
  const kept = [...Array(nd).keys()].filter((k) => !p.axes.includes(k));
  const leading = p.axes.every((a, i) => a === i);
  const n = p.shape.reduce((a, b) => a * b, 1);
  const inner = kept.reduce((a, k) => a * (p.shape[k] as number), 1);
  const inputs = (args as (Chunk | number)[]).map((a) => {
    if (typeof a === "number") return constant(a, n);
    const data = leading
      ? a.data
      : new NDArray(a.dtype as DType, p.shape, a.data as Storage).transpose([...p.axes, ...kept]).copy("C")
          .data;
    // 64-bit integers (BigInt64Array) as doubles: the statistics are floating point anyway
    return (
      data instanceof BigInt64Array || data instanceof BigUint64Array ? Float64Array.from(data, Number) : data
    ) as ArrayLike<number>;
  });
  const mode = p.mode ?? "all";
  if (inner === 1 && !p.groups) return flatStats(inputs, p.expr, mode === "all");
  const groups = p.groups ? Int32Array.from(p.groups) : null;
  return partialStats(inputs, inner, n / inner, p.expr, groups, mode, undefined, alloc);
}

function constant(v: number, n: number): ArrayLike<number> {
  return new Proxy({ length: n }, { get: (t, k) => (k === "length" ? t.length : v) }) as ArrayLike<number>;
}

/** Merge partials of the same output block (associative; tree-reduced by compute). */
export const mergeStats = defineKernel(ARRAY_KERNELS, "mergeStats", {
  kind: "combine",
  run(args, _params, ctx): Chunk {
    const parts = args.map(fromChunk);
    const first = parts[0];
    if (!first) return toChunk(emptyPartial(0));
    const acc = emptyPartial(first.count.length, first.mode, allocFor(ctx));
    for (const p of parts) mergeInto(acc, p);
    return toChunk(acc);
  },
});

/** Params of {@link pickStats}: for each argument, which local group (block of `inner`) to take. */
export interface PickStatsParams {
  inner: number;
  groups: number[];
}

/** Merge one group out of several grouped partials (resample/groupby across chunks). */
export const pickStats = defineKernel(ARRAY_KERNELS, "pickStats", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as PickStatsParams;
    const parts = args.map(fromChunk);
    const acc = emptyPartial(p.inner, parts[0]?.mode ?? "all", allocFor(ctx));
    parts.forEach((part, i) => {
      const g = p.groups[i] as number;
      mergeInto(acc, slicePartial(part, g * p.inner, (g + 1) * p.inner));
    });
    return toChunk(acc);
  },
});

/** Params of {@link finishStats}. */
export interface FinishParams {
  reducer: "sum" | "mean" | "var" | "std" | "min" | "max" | "count";
  ddof?: number;
  shape: number[];
  dtype: "float32" | "float64";
}

/** Turn merged partials into the reduction's values (NaN where no value was counted, as xarray). */
export const finishStats = defineKernel(ARRAY_KERNELS, "finishStats", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as FinishParams;
    const s = fromChunk(args[0]);
    const dtype = p.reducer === "count" ? "float64" : p.dtype;
    const out = ctx.allocate(dtype, p.shape);
    const d = out.data as Float64Array;
    const ddof = p.ddof ?? 0;
    for (let i = 0; i < s.count.length; i++) {
      const c = s.count[i] as number;
      switch (p.reducer) {
        case "count":
          d[i] = c;
          break;
        case "sum":
          d[i] = s.mode === "sum" ? (s.mean[i] as number) : c * (s.mean[i] as number);
          break;
        case "mean":
          d[i] = meanOf(s, i);
          break;
        case "var":
          d[i] = c - ddof <= 0 ? NaN : (s.m2?.[i] as number) / (c - ddof);
          break;
        case "std":
          d[i] = c - ddof <= 0 ? NaN : Math.sqrt((s.m2?.[i] as number) / (c - ddof));
          break;
        case "min":
          d[i] = c === 0 ? NaN : (s.min?.[i] as number);
          break;
        case "max":
          d[i] = c === 0 ? NaN : (s.max?.[i] as number);
          break;
      }
    }
    return out;
  },
});

export type { JsonValue };

/** Params of {@link exactReduce}. */
export interface ExactReduceParams {
  reducer: "median" | "quantile";
  q?: number;
  /** Reduced axes of the block. */
  axes: number[];
  /** Shape of the assembled block (the reduced axes whole, kept axes of one chunk). */
  shape: number[];
  /** Where each argument chunk starts in the block, and its shape. */
  starts: number[][];
  shapes: number[][];
}

/**
 * Order statistics (median, quantile) need every value of a reduced line at once: the chunks
 * along the reduced axes are assembled into one block, then reduced (NaN skipped, numpy's
 * linear interpolation).
 */
export const exactReduce = defineKernel(ARRAY_KERNELS, "exactReduce", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as ExactReduceParams;
    const first = args[0] as Chunk;
    const block = NDArray.zeros(p.shape, first.dtype as DType);
    (args as Chunk[]).forEach((c, i) => {
      const start = p.starts[i] as number[];
      const shape = p.shapes[i] as number[];
      const region = start.map((s, k) => ({ start: s, stop: s + (shape[k] as number) }));
      assign(block.index(...region), new NDArray(c.dtype as DType, shape, c.data as Storage));
    });
    const r = reduce(block, p.reducer, p.axes, p.q === undefined ? {} : { q: p.q });
    const out = ctx.allocate(r.dtype as Dtype, r.shape);
    (out.data as unknown as { set(a: unknown): void }).set(r.data);
    return out;
  },
});

/** One piece of {@link gather}: copy `src` of argument `arg` into `dst` of the output block. */
export interface GatherPiece {
  arg: number;
  /** Shape of the argument chunk. */
  shape: number[];
  src: { start: number; stop: number }[];
  dst: { start: number; stop: number }[];
}

/** Params of {@link gather}. */
export interface GatherParams {
  /** Output block shape with every input axis (length 1 where an index dropped it). */
  block: number[];
  /** Output chunk shape (the block without dropped axes). */
  shape: number[];
  pieces: GatherPiece[];
}

/** Assemble one output chunk of a selection from the input chunks it overlaps. */
export const gather = defineKernel(ARRAY_KERNELS, "gather", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as GatherParams;
    const first = args[0] as Chunk;
    const block = NDArray.zeros(p.block, first.dtype as DType);
    for (const piece of p.pieces) {
      const c = args[piece.arg] as Chunk;
      assign(
        block.index(...piece.dst),
        new NDArray(c.dtype as DType, piece.shape, c.data as Storage).index(...piece.src),
      );
    }
    const out = ctx.allocate(first.dtype, p.shape);
    (out.data as unknown as { set(a: unknown): void }).set(block.data);
    return out;
  },
});

/** Params of {@link groupSums}. */
export interface GroupSumsParams {
  /** One per input: the .npy file, its dtype and the byte offset of its row 0. */
  sources: { path: string; dtype: Dtype; byteOffset: number }[];
  expr: Expr | null;
  /** Rows (positions along the first axis) of this group, in any order. */
  rows: number[];
  /** Elements per row. */
  inner: number;
  /**
   * Rows from chunk arguments instead of files: argument `j * sources.length + k` is source k's
   * chunk `first + j` along the first axis, whose chunks hold `step` rows (of `inner` elements).
   */
  chunked?: { step: number; first: number };
  reducer: "sum" | "mean" | "count" | "var" | "std" | "min" | "max";
  /** Delta degrees of freedom of var and std. */
  ddof?: number;
  /** Output dtype (count: float64) and shape ([1, ...rest]). */
  dtype: "float32" | "float64";
  shape: number[];
  /**
   * Argument holding the output chunk to write into (a view of the caller's result in shared
   * memory, so the result exists once); allocated here when absent or of another dtype/size.
   */
  outArg?: number;
}

type GroupLoop = (S: Float64Array, N: Float64Array, ins: readonly ArrayLike<number>[], n: number) => void;
const groupLoops = new Map<string, GroupLoop>();

/**
 * The loop of {@link groupSums} over `rows` rows at once (`ins[r * nInputs + k]`: input k of row
 * r): the rows' values are added first and the sum goes into S with one read and write of S per
 * element (NaN-free, the usual case); only when the sum is NaN are the rows looked at one by one.
 */
function groupLoop(expr: Expr | null, nInputs: number, rows: number): GroupLoop {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${nInputs}|${rows}`;
  let fn = groupLoops.get(key);
  if (!fn) {
    const ids = [...Array(nInputs).keys()];
    const rs = [...Array(rows).keys()];
    fn = new Function(`${PRELUDE}
return function groupLoop(S, N, ins, n) {
  ${rs.flatMap((r) => ids.map((k) => `const I${r}_${k} = ins[${r * nInputs + k}];`)).join(" ")}
  for (let i = 0; i < n; i++) {
    ${rs.map((r) => `let v${r}; { ${ids.map((k) => `const x${k} = I${r}_${k}[i];`).join(" ")} v${r} = ${body}; }`).join("\n    ")}
    const s = ${rs.map((r) => `v${r}`).join(" + ")};
    if (s === s) S[i] += s;
    else {
      ${rs.map((r) => `if (v${r} === v${r}) S[i] += v${r}; else N[i] += 1;`).join("\n      ")}
    }
  }
};`)() as GroupLoop;
    groupLoops.set(key, fn);
  }
  return fn;
}

/** Rows summed per pass of {@link groupSums}. */
const GROUP_ROWS = 4;
const GROUP_PIECE = 1 << 16;
const groupScratch = { sum: new Float64Array(GROUP_PIECE), nan: new Float64Array(GROUP_PIECE) };

/**
 * Sum, mean or count of one whole group of rows of .npy sources (resample/groupby along the first
 * axis), finished in the same task: the rows are read piece by piece (64 Ki elements of every row
 * in turn) into buffers reused for every piece and task, summed in float64 per element with NaNs
 * counted, and the piece's results written to the output chunk. Memory per task: the output and
 * about 1 MiB of scratch, however many rows the group has.
 */
export const groupSums = defineKernel(ARRAY_KERNELS, "groupSums", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as GroupSumsParams;
    const dtype = p.reducer === "count" ? "float64" : p.dtype;
    const given = p.outArg === undefined ? undefined : (args[p.outArg] as Chunk | undefined);
    const size = p.shape.reduce((a, b) => a * b, 1);
    const out =
      given && given.dtype === dtype && given.data.length === size ? given : ctx.allocate(dtype, p.shape);
    const d = out.data as Float64Array | Float32Array;
    if (p.reducer !== "sum" && p.reducer !== "mean" && p.reducer !== "count")
      return groupMoments(p, args, ctx, out);
    const nIn = p.sources.length;
    const { sum: S, nan: N } = groupScratch;
    const rows = [...p.rows].sort((a, b) => a - b);
    const bufs = Array.from({ length: GROUP_ROWS * nIn }, (_, k) => {
      const b = pieceBuffers[k] ?? new ArrayBuffer(PIECE_BYTES);
      pieceBuffers[k] = b;
      return b;
    });
    const sizes = p.sources.map((s) => NPY_ITEM[s.dtype] ?? 8);
    const per = Math.min(GROUP_PIECE, ...sizes.map((z) => Math.floor(PIECE_BYTES / z)));
    const views: ArrayLike<number>[] = [];
    for (let i0 = 0; i0 < p.inner; i0 += per) {
      if (ctx.cancelled?.()) throw new Error("cancelled");
      const m = Math.min(per, p.inner - i0);
      S.fill(0, 0, m);
      N.fill(0, 0, m);
      for (let r0 = 0; r0 < rows.length; r0 += GROUP_ROWS) {
        const take = Math.min(GROUP_ROWS, rows.length - r0);
        views.length = 0;
        for (let j = 0; j < take; j++) {
          const r = rows[r0 + j] as number;
          for (let k = 0; k < nIn; k++) views.push(rowPiece(p, args, bufs, k, j * nIn + k, r, i0, m));
        }
        groupLoop(p.expr, nIn, take)(S, N, views, m);
      }
      const total = rows.length;
      for (let i = 0; i < m; i++) {
        const c = total - (N[i] as number);
        d[i0 + i] =
          p.reducer === "count"
            ? c
            : p.reducer === "sum"
              ? (S[i] as number)
              : c === 0
                ? NaN
                : (S[i] as number) / c;
      }
    }
    return out;
  },
});

type MomentsLoop = (
  A: {
    K: Float64Array;
    S1: Float64Array;
    S2: Float64Array;
    C: Float64Array;
    MN: Float64Array;
    MX: Float64Array;
  },
  ins: readonly ArrayLike<number>[],
  n: number,
) => void;
const momentLoops = new Map<string, MomentsLoop>();

function momentsLoop(expr: Expr | null, nInputs: number, minmax: boolean): MomentsLoop {
  const body = expr ? exprSource(expr) : "x0";
  const key = `${body}|${nInputs}|${minmax}`;
  let fn = momentLoops.get(key);
  if (!fn) {
    const ids = [...Array(nInputs).keys()];
    fn = new Function(`${PRELUDE}
return function momentsLoop(A, ins, n) {
  const K = A.K, S1 = A.S1, S2 = A.S2, C = A.C, MN = A.MN, MX = A.MX;
  ${ids.map((k) => `const I${k} = ins[${k}];`).join(" ")}
  for (let i = 0; i < n; i++) {
    ${ids.map((k) => `const x${k} = I${k}[i];`).join(" ")}
    const v = ${body};
    if (v !== v) continue;
    let k = K[i];
    if (k !== k) { k = v; K[i] = v; }
    const d = v - k;
    S1[i] += d; S2[i] += d * d; C[i] += 1;
    ${minmax ? "if (v < MN[i]) MN[i] = v; if (v > MX[i]) MX[i] = v;" : ""}
  }
};`)() as MomentsLoop;
    momentLoops.set(key, fn);
  }
  return fn;
}

let momentScratch: Parameters<MomentsLoop>[0] | null = null;

/**
 * var, std, min and max of one group ({@link groupSums} for the others): per element a shift
 * (its first value) and shifted sums, as {@link partialStats} keeps them, but only for one piece
 * of 64 Ki elements at a time, so the scratch is 3 MiB whatever the chunk.
 */
function groupMoments(p: GroupSumsParams, args: readonly unknown[], ctx: KernelContext, out: Chunk): Chunk {
  const d = out.data as Float64Array | Float32Array;
  momentScratch ??= {
    K: new Float64Array(GROUP_PIECE),
    S1: new Float64Array(GROUP_PIECE),
    S2: new Float64Array(GROUP_PIECE),
    C: new Float64Array(GROUP_PIECE),
    MN: new Float64Array(GROUP_PIECE),
    MX: new Float64Array(GROUP_PIECE),
  };
  const A = momentScratch;
  const minmax = p.reducer === "min" || p.reducer === "max";
  const loop = momentsLoop(p.expr, p.sources.length, minmax);
  const rows = [...p.rows].sort((a, b) => a - b);
  const bufs = p.sources.map((_, k) => {
    const b = pieceBuffers[k] ?? new ArrayBuffer(PIECE_BYTES);
    pieceBuffers[k] = b;
    return b;
  });
  const sizes = p.sources.map((s) => NPY_ITEM[s.dtype] ?? 8);
  const per = Math.min(GROUP_PIECE, ...sizes.map((z) => Math.floor(PIECE_BYTES / z)));
  const ddof = p.ddof ?? 0;
  for (let i0 = 0; i0 < p.inner; i0 += per) {
    if (ctx.cancelled?.()) throw new Error("cancelled");
    const m = Math.min(per, p.inner - i0);
    A.K.fill(NaN, 0, m);
    A.S1.fill(0, 0, m);
    A.S2.fill(0, 0, m);
    A.C.fill(0, 0, m);
    A.MN.fill(Infinity, 0, m);
    A.MX.fill(-Infinity, 0, m);
    for (const r of rows) {
      const views = p.sources.map((_, k) => rowPiece(p, args, bufs, k, k, r, i0, m));
      loop(A, views, m);
    }
    for (let i = 0; i < m; i++) {
      const c = A.C[i] as number;
      const s1 = A.S1[i] as number;
      const m2 = c === 0 ? 0 : Math.max(0, (A.S2[i] as number) - (s1 * s1) / c);
      d[i0 + i] =
        p.reducer === "min"
          ? c === 0
            ? NaN
            : (A.MN[i] as number)
          : p.reducer === "max"
            ? c === 0
              ? NaN
              : (A.MX[i] as number)
            : c - ddof <= 0
              ? NaN
              : p.reducer === "var"
                ? m2 / (c - ddof)
                : Math.sqrt(m2 / (c - ddof));
    }
  }
  return out;
}

/**
 * Elements [i0, i0 + m) of row `r` of source `k`: a view into its chunk argument, or read from
 * its .npy file into the reused buffer `bufs[slot]`.
 */
function rowPiece(
  p: GroupSumsParams,
  args: readonly unknown[],
  bufs: readonly ArrayBuffer[],
  k: number,
  slot: number,
  r: number,
  i0: number,
  m: number,
): ArrayLike<number> {
  const s = p.sources[k] as GroupSumsParams["sources"][number];
  if (p.chunked) {
    const { step, first } = p.chunked;
    const j = Math.floor(r / step) - first;
    const c = args[j * p.sources.length + k] as Chunk;
    const at = (r - (first + j) * step) * p.inner + i0;
    return (c.data as Float32Array).subarray(at, at + m);
  }
  const z = NPY_ITEM[s.dtype] ?? 8;
  const buf = bufs[slot] as ArrayBuffer;
  readFully(
    { path: s.path, dtype: s.dtype, shape: [], byteOffset: s.byteOffset },
    new Uint8Array(buf, 0, m * z),
    s.byteOffset + (r * p.inner + i0) * z,
  );
  return typedView(s.dtype, buf, m);
}

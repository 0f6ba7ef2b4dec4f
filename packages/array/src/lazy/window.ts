/**
 * Lazy rolling windows, coarsening and broadcasting of {@link LazyArray}s: one task per output
 * chunk, reading only the input chunks its source region overlaps (rolling: the chunk plus the
 * neighbour rows of the window's halo; coarsen: whole blocks, so chunks that are not multiples
 * of the factor are rechunked inside the task; broadcast: the operand's region of that chunk).
 */
import { ref, type TaskSpec, task } from "@meridian/compute";
import { type DType, floatResult } from "../dtype.js";
import { ArrayError } from "../errors.js";
import { sizeOf } from "../ndarray.js";
import type { Reducer } from "../reduce.js";
import { chunkIndices, LazyArray } from "./lazy-array.js";
import { chunkExtent, overlapPieces } from "./regions.js";
import { type WindowOp, windowBlock } from "./window-kernels.js";

let counter = 0;

/**
 * Build one {@link windowBlock} task per output chunk of `outShape`/`outChunks`; `region(idx,
 * extent)` gives the source box `[lo, hi)` the chunk needs and the op to apply to it.
 */
function regionTasks(
  src: LazyArray,
  kind: string,
  outShape: readonly number[],
  outChunks: readonly number[],
  dtype: DType,
  region: (idx: number[], extent: number[]) => { lo: number[]; hi: number[]; op: WindowOp },
): LazyArray {
  const m = src.materialize();
  counter += 1;
  const prefix = `${kind}-${process.pid.toString(36)}-${counter.toString(36)}`;
  const graph: Record<string, TaskSpec> = { ...m.graph };
  for (const idx of chunkIndices(outShape, outChunks)) {
    const extent = chunkExtent(outShape, outChunks, idx);
    const { lo, hi, op } = region(idx, extent);
    const { inputs, pieces } = overlapPieces(m.shape, m.chunkShape, lo, hi);
    graph[`${prefix}/${idx.join(",")}`] = task(
      windowBlock,
      inputs.map((c) => ref(m.chunkKey(c))),
      { block: hi.map((h, k) => h - (lo[k] as number)), pieces, op, shape: extent, dtype } as never,
      { bytes: sizeOf(extent) * (dtype === "float32" ? 4 : dtype === "bool" ? 1 : 8) },
    );
  }
  return LazyArray.fromTasks(dtype, outShape, outChunks, graph, prefix, src.name);
}

function storageFloat(dtype: DType, reducer: Reducer): DType {
  if (reducer === "count") return "float64";
  return floatResult(dtype) === "float32" ? "float32" : "float64";
}

/**
 * Moving window of `window` positions along `axis` (xarray's rolling: ending at the label, or
 * centred; NaN where fewer than `minPeriods` (default `window`) values are not NaN). Output
 * chunks are the input's; each task reads its chunk plus the halo rows of its neighbours.
 */
export function rollingLazy(
  a: LazyArray,
  axis: number,
  window: number,
  reducer: Reducer,
  options: { center?: boolean; minPeriods?: number; dimension?: string } = {},
): LazyArray {
  if (!Number.isInteger(window) || window < 1)
    throw new ArrayError("INVALID_ARGUMENT", `rolling window must be a positive integer, got ${window}`, {
      array: a.name,
      dimension: options.dimension,
    });
  const center = options.center ?? false;
  const minPeriods = options.minPeriods ?? window;
  const after = center ? window - 1 - Math.floor(window / 2) : 0;
  const before = window - 1 - after;
  const n = a.shape[axis] as number;
  return regionTasks(
    a,
    `rolling-${reducer}`,
    a.shape,
    a.chunkShape,
    storageFloat(a.dtype, reducer),
    (idx, extent) => {
      const lo = idx.map((j, k) => j * (a.chunkShape[k] as number));
      const hi = lo.map((l, k) => l + (extent[k] as number));
      const start = lo[axis] as number;
      const stop = hi[axis] as number;
      lo[axis] = Math.max(0, start - before);
      hi[axis] = Math.min(n, stop + after);
      const from = start - (lo[axis] as number);
      return {
        lo,
        hi,
        op: { kind: "rolling", axis, window, center, minPeriods, reducer, from, to: from + (stop - start) },
      };
    },
  );
}

/**
 * Block reduction by `windows[k]` along each axis (1: untouched). `boundary` "exact" (default)
 * rejects a length that is not a multiple; "trim" drops the remainder. Output chunks hold
 * floor(input chunk / factor) blocks (at least one); a task reads the chunks its blocks overlap.
 */
export function coarsenLazy(
  a: LazyArray,
  windows: readonly number[],
  reducer: Reducer,
  options: { boundary?: "exact" | "trim"; dims?: readonly string[] } = {},
): LazyArray {
  const outShape = a.shape.map((n, k) => {
    const w = windows[k] ?? 1;
    const dimension = options.dims?.[k] ?? `axis ${k}`;
    if (!Number.isInteger(w) || w < 1)
      throw new ArrayError(
        "INVALID_ARGUMENT",
        `coarsen factor of "${dimension}" must be a positive integer`,
        {
          array: a.name,
          dimension,
        },
      );
    if (n % w !== 0 && (options.boundary ?? "exact") === "exact")
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `coarsen: dimension "${dimension}" of length ${n} is not a multiple of ${w} (use boundary "trim")`,
        { array: a.name, dimension },
      );
    return Math.floor(n / w);
  });
  const outChunks = a.chunkShape.map((c, k) =>
    Math.max(1, Math.min(outShape[k] as number, Math.floor(c / (windows[k] ?? 1)))),
  );
  const ws = a.shape.map((_, k) => windows[k] ?? 1);
  return regionTasks(
    a,
    `coarsen-${reducer}`,
    outShape,
    outChunks,
    storageFloat(a.dtype, reducer),
    (idx, extent) => {
      const lo = idx.map((j, k) => j * (outChunks[k] as number) * (ws[k] as number));
      const hi = lo.map((l, k) => l + (extent[k] as number) * (ws[k] as number));
      return { lo, hi, op: { kind: "coarsen", windows: ws, reducer } };
    },
  );
}

/**
 * `a` (dims `from`) expanded to dims `to` with `shape` and `chunks` (every dim of `from` in
 * `to`, same length): transposed and repeated along the missing dims, one task per chunk.
 */
export function broadcastLazy(
  a: LazyArray,
  from: readonly string[],
  to: readonly string[],
  shape: readonly number[],
  chunks: readonly number[],
): LazyArray {
  const axes = to.map((d) => from.indexOf(d));
  for (const [k, d] of from.entries()) {
    const t = to.indexOf(d);
    if (t < 0 || shape[t] !== a.shape[k])
      throw new ArrayError(
        "DIMENSION_MISMATCH",
        `cannot broadcast "${a.name}": dimension "${d}" has length ${a.shape[k]}${t < 0 ? "" : ` here and ${shape[t]} in the other operand`}`,
        { array: a.name, dimension: d },
      );
  }
  const dtype: DType = a.dtype === "float32" || a.dtype === "bool" ? a.dtype : "float64";
  return regionTasks(a, "broadcast", shape, chunks, dtype, (idx, extent) => {
    const at = from.map((d) => to.indexOf(d));
    const lo = at.map((t) => (idx[t] as number) * (chunks[t] as number));
    const hi = lo.map((l, k) => l + (extent[at[k] as number] as number));
    return { lo, hi, op: { kind: "broadcast", axes } };
  });
}

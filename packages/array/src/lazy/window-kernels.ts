/**
 * Kernels of lazy moving windows (`rolling`, with the neighbour rows of the adjacent chunks as
 * a halo), block reductions (`coarsen`, blocks assembled from the chunks they overlap, so
 * chunks that are not multiples of the factor are rechunked inside the task) and broadcasting
 * by dimension name. Each task assembles its source region from the input chunks it overlaps
 * and applies the eager operation (window.ts) to that region only.
 */
import { type Chunk, defineKernel } from "@meridian/compute";
import { DataArray } from "../data-array.js";
import type { DType, Storage } from "../dtype.js";
import { assign, NDArray } from "../ndarray.js";
import type { Reducer } from "../reduce.js";
import { coarsen, rolling } from "../window.js";
import type { GatherPiece } from "./kernels.js";

/** What a {@link windowBlock} task does with its assembled region. */
export type WindowOp =
  | {
      kind: "rolling";
      axis: number;
      window: number;
      center: boolean;
      minPeriods: number;
      reducer: Reducer;
      /** Output rows along `axis`, relative to the region (the rest is halo). */
      from: number;
      to: number;
    }
  | { kind: "coarsen"; windows: number[]; reducer: Reducer }
  /** For each output axis the region axis it comes from, or −1 (broadcast, length 1). */
  | { kind: "broadcast"; axes: number[] };

/** Params of {@link windowBlock}. */
export interface WindowBlockParams {
  /** Shape of the source region. */
  block: number[];
  pieces: GatherPiece[];
  op: WindowOp;
  /** Output chunk shape and dtype. */
  shape: number[];
  dtype: DType;
}

/** Assemble a source region from its chunks and roll, coarsen or broadcast it into one chunk. */
export const windowBlock = defineKernel("@meridian/array/window-kernels", "windowBlock", {
  run(args, params, ctx): Chunk {
    const p = params as unknown as WindowBlockParams;
    const op = p.op;
    const flat = assembleFloat64(args, p);
    if (flat && op.kind === "rolling" && FAST_ROLLING.has(op.reducer)) {
      const out = ctx.allocate(p.dtype, p.shape);
      rollLines(flat, p.block, op, out.data as Float32Array | Float64Array);
      return out;
    }
    if (flat && op.kind === "broadcast") {
      const out = ctx.allocate(p.dtype, p.shape);
      broadcastInto(flat, p.block, op.axes, p.shape, out.data as Float32Array | Float64Array | Uint8Array);
      return out;
    }
    const region = flat ? new NDArray("float64", p.block, flat) : assembleRegion(args, p);
    const dims = p.block.map((_, k) => `d${k}`);
    let result: NDArray;
    if (op.kind === "rolling") {
      const da = new DataArray(region, dims);
      const rolled = rolling(
        da,
        { [`d${op.axis}`]: op.window },
        {
          center: op.center,
          minPeriods: op.minPeriods,
        },
      ).reduce(op.reducer).data;
      result = rolled.index(...dims.map((_, k) => (k === op.axis ? { start: op.from, stop: op.to } : {})));
    } else if (op.kind === "coarsen") {
      const windows = Object.fromEntries(
        op.windows.flatMap((w, k) => (w > 1 ? [[`d${k}`, w] as const] : [])),
      );
      result = coarsen(new DataArray(region, dims), windows).reduce(op.reducer).data;
    } else {
      const present = op.axes.filter((a) => a >= 0);
      let v = region.transpose(present);
      op.axes.forEach((a, k) => {
        if (a < 0) v = v.expandDims(k);
      });
      result = v.broadcastTo(p.shape);
    }
    const out = ctx.allocate(p.dtype, p.shape);
    if (
      result.dtype === "float64" &&
      result.offset === 0 &&
      result.isContiguous("C") &&
      p.dtype.startsWith("float")
    )
      (out.data as Float64Array).set(result.data as Float64Array);
    else assign(new NDArray(p.dtype, p.shape, out.data as Storage), result);
    return out;
  },
});

/** Rolling reductions computed in tight loops over the region (the others go through window.ts). */
const FAST_ROLLING = new Set<Reducer>(["sum", "mean", "count", "min", "max"]);

function cStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) st[k] = (st[k + 1] as number) * (shape[k + 1] as number);
  return st;
}

/**
 * The region as float64 (C order), copied row by row from the pieces; null when a chunk's
 * values are not plain numbers (int64 BigInt, complex), which take the general path.
 */
function assembleFloat64(args: readonly unknown[], p: WindowBlockParams): Float64Array | null {
  const nd = p.block.length;
  const region = new Float64Array(p.block.reduce((a, b) => a * b, 1));
  const dStr = cStrides(p.block);
  for (const piece of p.pieces) {
    const c = args[piece.arg] as Chunk;
    if (c.data instanceof BigInt64Array || c.data instanceof BigUint64Array || c.dtype.startsWith("complex"))
      return null;
    const src = c.data as ArrayLike<number>;
    const sStr = cStrides(piece.shape);
    const counts = piece.src.map((r) => r.stop - r.start);
    if (counts.some((n) => n <= 0)) continue;
    const last = nd - 1;
    const len = counts[last] as number;
    const idx = new Array<number>(nd).fill(0);
    for (;;) {
      let so = 0;
      let dof = 0;
      for (let k = 0; k < nd; k++) {
        so += ((piece.src[k]?.start as number) + (idx[k] as number)) * (sStr[k] as number);
        dof += ((piece.dst[k]?.start as number) + (idx[k] as number)) * (dStr[k] as number);
      }
      for (let j = 0; j < len; j++) region[dof + j] = src[so + j] as number;
      if (!nextRow(idx, counts)) break;
    }
  }
  return region;
}

/** Rolling sum, mean, count, min or max along `op.axis` of the region, rows `from..to` out. */
function rollLines(
  region: Float64Array,
  block: readonly number[],
  op: Extract<WindowOp, { kind: "rolling" }>,
  out: Float32Array | Float64Array,
): void {
  const n = block[op.axis] as number;
  const outer = block.slice(0, op.axis).reduce((a, b) => a * b, 1);
  const inner = block.slice(op.axis + 1).reduce((a, b) => a * b, 1);
  const w = op.window;
  // as window.ts: xarray pads floor(w/2) before and w-1-floor(w/2) after a centred window
  const shift = op.center ? w - 1 - Math.floor(w / 2) : 0;
  const rows = op.to - op.from;
  const red = op.reducer;
  for (let o = 0; o < outer; o++) {
    for (let i = op.from; i < op.to; i++) {
      const end = Math.min(i + shift, n - 1);
      const start = Math.max(i + shift - w + 1, 0);
      const at = (o * rows + (i - op.from)) * inner;
      for (let q = 0; q < inner; q++) {
        let s = red === "min" || red === "max" ? NaN : 0;
        let valid = 0;
        for (let j = start; j <= end; j++) {
          const v = region[(o * n + j) * inner + q] as number;
          if (Number.isNaN(v)) continue;
          valid++;
          if (red === "min") {
            if (valid === 1 || v < s) s = v;
          } else if (red === "max") {
            if (valid === 1 || v > s) s = v;
          } else s += v;
        }
        out[at + q] =
          valid < op.minPeriods
            ? NaN
            : red === "count"
              ? valid
              : red === "mean"
                ? valid === 0
                  ? NaN
                  : s / valid
                : s;
      }
    }
  }
}

/** The region in its own dtype through NDArray views (int64, complex). */
function assembleRegion(args: readonly unknown[], p: WindowBlockParams): NDArray {
  const first = args[0] as Chunk;
  const region = NDArray.zeros(p.block, first.dtype as DType);
  for (const piece of p.pieces) {
    const c = args[piece.arg] as Chunk;
    assign(
      region.index(...piece.dst),
      new NDArray(c.dtype as DType, piece.shape, c.data as Storage).index(...piece.src),
    );
  }
  return region;
}

/** Write `region` (C order, `block`) transposed and repeated into `out` (C order, `shape`). */
function broadcastInto(
  region: Float64Array,
  block: readonly number[],
  axes: readonly number[],
  shape: readonly number[],
  out: Float32Array | Float64Array | Uint8Array,
): void {
  const rStr = cStrides(block);
  const str = axes.map((a) => (a < 0 ? 0 : (rStr[a] as number)));
  const nd = shape.length;
  if (shape.some((n) => n === 0)) return;
  if (nd === 0) {
    out[0] = region[0] as number;
    return;
  }
  const len = shape[nd - 1] as number;
  const step = str[nd - 1] as number;
  const idx = new Array<number>(nd).fill(0);
  let at = 0;
  for (;;) {
    let base = 0;
    for (let k = 0; k < nd - 1; k++) base += (idx[k] as number) * (str[k] as number);
    for (let j = 0; j < len; j++) out[at++] = region[base + j * step] as number;
    if (!nextRow(idx, shape)) return;
  }
}

/** Advance `idx` to the next row (every axis but the last, C order); false after the last row. */
function nextRow(idx: number[], counts: readonly number[]): boolean {
  for (let k = counts.length - 2; k >= 0; k--) {
    idx[k] = (idx[k] as number) + 1;
    if ((idx[k] as number) < (counts[k] as number)) return true;
    idx[k] = 0;
  }
  return false;
}

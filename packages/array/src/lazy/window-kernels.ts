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
    const first = args[0] as Chunk;
    const region = NDArray.zeros(p.block, first.dtype as DType);
    for (const piece of p.pieces) {
      const c = args[piece.arg] as Chunk;
      assign(
        region.index(...piece.dst),
        new NDArray(c.dtype as DType, piece.shape, c.data as Storage).index(...piece.src),
      );
    }
    const dims = p.block.map((_, k) => `d${k}`);
    const op = p.op;
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
    assign(new NDArray(p.dtype, p.shape, out.data as Storage), result);
    return out;
  },
});

/**
 * Which chunks of a chunked array a box overlaps, and what part of each goes where in the box:
 * the pieces the `gather` and `windowBlock` kernels assemble a region from.
 */
import type { GatherPiece } from "./kernels.js";

/** Shape of chunk `idx` of a `shape` array cut in `chunks` (edge chunks are shorter). */
export function chunkExtent(
  shape: readonly number[],
  chunks: readonly number[],
  idx: readonly number[],
): number[] {
  return idx.map((i, k) => Math.min(chunks[k] as number, (shape[k] as number) - i * (chunks[k] as number)));
}

/** The chunks (grid indices, C order) the box `[lo, hi)` overlaps and one piece per chunk. */
export function overlapPieces(
  shape: readonly number[],
  chunks: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
): { inputs: number[][]; pieces: GatherPiece[] } {
  const first = lo.map((l, k) => Math.floor(l / (chunks[k] as number)));
  const last = hi.map((h, k) => Math.floor((Math.max(h, 1) - 1) / (chunks[k] as number)));
  const inputs: number[][] = [];
  const walk = (k: number, acc: number[]) => {
    if (k === lo.length) return void inputs.push(acc);
    for (let c = first[k] as number; c <= (last[k] as number); c++) walk(k + 1, [...acc, c]);
  };
  walk(0, []);
  const pieces = inputs.map((cidx, arg) => {
    const cshape = chunkExtent(shape, chunks, cidx);
    const src: { start: number; stop: number }[] = [];
    const dst: { start: number; stop: number }[] = [];
    cidx.forEach((c, k) => {
      const c0 = c * (chunks[k] as number);
      const a = Math.max(lo[k] as number, c0);
      const b = Math.min(hi[k] as number, c0 + (cshape[k] as number));
      src.push({ start: a - c0, stop: b - c0 });
      dst.push({ start: a - (lo[k] as number), stop: b - (lo[k] as number) });
    });
    return { arg, shape: cshape, src, dst };
  });
  return { inputs, pieces };
}

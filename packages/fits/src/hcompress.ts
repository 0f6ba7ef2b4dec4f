/** HCOMPRESS_1 decompression (FITS 4.0 §10.4.3). */
import { FitsError } from "./errors.js";

/** Decode an HCOMPRESS_1 tile of `nx` × `ny` pixels. */
export function hdecompress(_bytes: Uint8Array, _smooth: number, nx: number, ny: number): Int32Array {
  throw new FitsError("UNSUPPORTED", `HCOMPRESS_1 tiles (${nx}×${ny}) cannot be decoded yet`);
}

/**
 * Cube slicing in memory: a 2-d plane perpendicular to any axis of a 3-d (or higher) image, and
 * the spectrum through one spatial pixel. Reading a single plane from a file without reading the
 * rest is `FitsFile.readImage(hdu, { plane })`; these work on data already in memory.
 * Axis order is FITS order (NAXIS1 fastest); indices are 0-based.
 */
import { FitsError } from "./errors.js";

/** A numeric typed array. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

function check(data: ArrayLike<number>, axes: readonly number[]): void {
  const n = axes.reduce((a, b) => a * b, 1);
  if (axes.length < 3 || data.length !== n) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `need a cube with ≥ 3 axes and ${n} values, got ${axes.length} axes and ${data.length} values`,
    );
  }
}

/**
 * The plane at `index` along `axis` (0 = NAXIS1, 1 = NAXIS2, 2 = NAXIS3) of a 3-d cube; for more
 * axes, `rest` gives the indices along NAXIS4…. Returns the remaining two axes in FITS order with
 * their sizes, as a Float64Array.
 */
export function cubePlane(
  data: ArrayLike<number>,
  axes: readonly number[],
  axis: 0 | 1 | 2,
  index: number,
  rest: readonly number[] = [],
): { data: Float64Array; axes: [number, number] } {
  check(data, axes);
  const [n1 = 1, n2 = 1, n3 = 1] = axes;
  const sizes = [n1, n2, n3];
  if (!Number.isInteger(index) || index < 0 || index >= (sizes[axis] as number)) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `index ${index} is outside axis ${axis + 1} of length ${sizes[axis]}`,
    );
  }
  let offset = 0;
  let stride = n1 * n2 * n3;
  for (let k = 3; k < axes.length; k++) {
    const i = rest[k - 3] ?? 0;
    if (!Number.isInteger(i) || i < 0 || i >= (axes[k] as number))
      throw new FitsError("INVALID_ARGUMENT", `index ${i} is outside axis ${k + 1}`);
    offset += i * stride;
    stride *= axes[k] as number;
  }
  if (axis === 2) {
    const plane = n1 * n2;
    return {
      data: Float64Array.from({ length: plane }, (_, i) => data[offset + index * plane + i] as number),
      axes: [n1, n2],
    };
  }
  if (axis === 1) {
    // Remaining axes (NAXIS1, NAXIS3): a position–velocity slice at row `index`.
    const out = new Float64Array(n1 * n3);
    for (let z = 0; z < n3; z++) {
      const src = offset + (z * n2 + index) * n1;
      for (let x = 0; x < n1; x++) out[z * n1 + x] = data[src + x] as number;
    }
    return { data: out, axes: [n1, n3] };
  }
  const out = new Float64Array(n2 * n3);
  for (let z = 0; z < n3; z++) {
    for (let y = 0; y < n2; y++) out[z * n2 + y] = data[offset + (z * n2 + y) * n1 + index] as number;
  }
  return { data: out, axes: [n2, n3] };
}

/** Values along NAXIS3 at spatial pixel (x, y), 0-based. */
export function cubeSpectrum(
  data: ArrayLike<number>,
  axes: readonly number[],
  x: number,
  y: number,
  rest: readonly number[] = [],
): Float64Array {
  check(data, axes);
  const [n1 = 1, n2 = 1, n3 = 1] = axes;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n1 || y >= n2) {
    throw new FitsError("INVALID_ARGUMENT", `pixel (${x}, ${y}) is outside the ${n1}×${n2} plane`);
  }
  let offset = 0;
  let stride = n1 * n2 * n3;
  for (let k = 3; k < axes.length; k++) {
    offset += (rest[k - 3] ?? 0) * stride;
    stride *= axes[k] as number;
  }
  return Float64Array.from({ length: n3 }, (_, z) => data[offset + (z * n2 + y) * n1 + x] as number);
}

/**
 * Reading image arrays (primary, IMAGE extensions): whole, a plane of a cube or any N-d box,
 * fetching only the bytes inside it (FITS 4.0 §5: NAXIS1 varies fastest).
 */
import { type ByteRun, type ByteSource, gatherRuns } from "./byte-source.js";
import { applyScaling, type LinearScaling, scaledType } from "./bzero-scaling.js";
import {
  bitpixType,
  decodeBigEndianInPlace,
  type ElementType,
  elementSize,
  type FitsArray,
  swapInPlace,
  view,
} from "./element-type.js";
import { FitsError } from "./errors.js";
import type { HduInfo } from "./hdu-layout.js";
import type { Header } from "./header.js";

/** An N-d box in pixel indices, 0-based, `end` exclusive, in FITS axis order (NAXIS1 first). */
export interface ImageSection {
  start?: readonly number[];
  end?: readonly number[];
}

/** Options of {@link readImageData}. */
export interface ReadImageOptions {
  /** Read only this box. */
  section?: ImageSection;
  /**
   * Read one 2-d plane of a cube: the index along NAXIS3 (or indices along NAXIS3, NAXIS4, …).
   * Ignored when `section` is given.
   */
  plane?: number | readonly number[];
  /** Return stored values without BSCALE/BZERO/BLANK. */
  raw?: boolean;
}

/** Decoded image values. */
export interface ImageData {
  /** Size along each axis of the returned box, FITS order (NAXIS1 first). */
  axes: number[];
  /** Values, NAXIS1 fastest. */
  data: FitsArray;
  /** Element type of `data` (after scaling: see {@link scaledType}). */
  type: ElementType;
  /** Start of the box in the full image (0-based). */
  start: number[];
}

/** Scaling keywords of an image header (FITS 4.0 §5.3). */
export function imageScaling(header: Header): LinearScaling {
  return {
    scale: header.getNumber("BSCALE") ?? 1,
    zero: header.getNumber("BZERO") ?? 0,
    blank: header.getCard("BLANK")?.type === "integer" ? (header.get("BLANK") as number | bigint) : undefined,
  };
}

/** Resolve options to a checked box. */
export function resolveSection(
  axes: readonly number[],
  options: ReadImageOptions,
  hdu: number,
): { start: number[]; end: number[] } {
  const n = axes.length;
  let start: number[];
  let end: number[];
  if (options.section) {
    start = axes.map((_, i) => options.section?.start?.[i] ?? 0);
    end = axes.map((a, i) => options.section?.end?.[i] ?? a);
  } else if (options.plane !== undefined) {
    if (n < 3) throw new FitsError("INVALID_ARGUMENT", `plane asked of an image with ${n} axes`, { hdu });
    const p = typeof options.plane === "number" ? [options.plane] : options.plane;
    start = axes.map((_, i) => (i < 2 ? 0 : (p[i - 2] ?? 0)));
    end = axes.map((a, i) => (i < 2 ? a : (start[i] as number) + 1));
  } else {
    start = axes.map(() => 0);
    end = [...axes];
  }
  for (let i = 0; i < n; i++) {
    const s = start[i] as number;
    const e = end[i] as number;
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > (axes[i] as number) || s >= e) {
      throw new FitsError(
        "INVALID_ARGUMENT",
        `section [${s}, ${e}) is outside axis ${i + 1} of length ${axes[i]}`,
        { hdu },
      );
    }
  }
  return { start, end };
}

/**
 * Byte runs of a box in an array of `axes` with `size`-byte elements at `base`: the longest
 * contiguous stretch is one run, so whole planes are single reads.
 */
export function sectionRuns(
  axes: readonly number[],
  start: readonly number[],
  end: readonly number[],
  size: number,
  base: number,
): ByteRun[] {
  const n = axes.length;
  if (n === 0) return [];
  // Axes 0..k-1 fully covered → runs span axis k's range.
  let k = 0;
  while (k < n - 1 && start[k] === 0 && end[k] === axes[k]) k++;
  const strides: number[] = [];
  let stride = 1;
  for (let i = 0; i < n; i++) {
    strides.push(stride);
    stride *= axes[i] as number;
  }
  const runElements = (strides[k] as number) * ((end[k] as number) - (start[k] as number));
  const runs: ByteRun[] = [];
  const idx = start.slice();
  let to = 0;
  for (;;) {
    let offset = 0;
    for (let i = 0; i < n; i++) offset += (idx[i] as number) * (strides[i] as number);
    runs.push({ offset: base + offset * size, length: runElements * size, to });
    to += runElements * size;
    let i = k + 1;
    for (; i < n; i++) {
      idx[i] = (idx[i] as number) + 1;
      if ((idx[i] as number) < (end[i] as number)) break;
      idx[i] = start[i] as number;
    }
    if (i >= n) break;
  }
  return runs;
}

/** Smallest chunk of a concurrent read, and the smallest run read that way. */
const MIN_CHUNK = 256 * 1024;
/** Reads in flight at once for one long run (the file system's thread pool has 4 threads). */
const CONCURRENT_READS = 4;

/**
 * Read one long run in chunks with several reads in flight, byte-swapping each chunk as it
 * arrives. On a freshly allocated target most of the time goes to first-touch page faults, which
 * the kernel takes inside each read: concurrent reads spread them over the cores, and the swap of
 * one chunk overlaps the reads of the others.
 */
async function readSwapConcurrent(
  source: ByteSource,
  offset: number,
  target: Uint8Array,
  size: number,
  hdu: number,
): Promise<void> {
  const readInto = source.readInto as NonNullable<ByteSource["readInto"]>;
  if (offset + target.length > source.size) {
    throw new FitsError(
      "TRUNCATED",
      `needs ${target.length} bytes at ${offset} but the source has ${source.size}`,
      { hdu, offset },
    );
  }
  const per = Math.max(MIN_CHUNK, Math.ceil(target.length / (2 * CONCURRENT_READS)));
  const chunk = per - (per % size);
  const read = (p: number): Promise<void> => {
    const part = target.subarray(p, Math.min(target.length, p + chunk));
    return readInto
      .call(source, offset + p, part)
      .then(() => swapInPlace(part, size))
      .catch((err: unknown) => {
        if (err instanceof FitsError) throw err;
        throw new FitsError("IO", "reading image data failed", { hdu, offset: offset + p }, { cause: err });
      });
  };
  let next = 0;
  const inFlight: Promise<void>[] = [];
  const startNext = (): Promise<void> => {
    const p = next;
    next += chunk;
    return read(p);
  };
  // Each lane starts its next chunk when the previous one is read and swapped.
  const lane = async (): Promise<void> => {
    while (next < target.length) await startNext();
  };
  for (let i = 0; i < CONCURRENT_READS && i * chunk < target.length; i++) inFlight.push(lane());
  await Promise.all(inFlight);
}

/** Read the image of a primary or IMAGE HDU (or a box of it). */
export async function readImageData(
  source: ByteSource,
  hdu: HduInfo,
  options: ReadImageOptions = {},
): Promise<ImageData> {
  if (hdu.kind !== "primary" && hdu.kind !== "image") {
    throw new FitsError("INVALID_ARGUMENT", `HDU is a ${hdu.kind}, not an image`, { hdu: hdu.index });
  }
  const stored = bitpixType(hdu.bitpix);
  if (hdu.axes.length === 0 || hdu.axes.includes(0)) {
    return { axes: [...hdu.axes], data: new Float32Array(0), type: "float32", start: hdu.axes.map(() => 0) };
  }
  const { start, end } = resolveSection(hdu.axes, options, hdu.index);
  const size = elementSize(stored);
  const shape = start.map((s, i) => (end[i] as number) - s);
  const count = shape.reduce((a, b) => a * b, 1);
  const runs = sectionRuns(hdu.axes, start, end, size, hdu.dataOffset);
  const bytes = new Uint8Array(count * size);
  let raw: FitsArray;
  if (runs.length === 1 && source.readInto && bytes.length >= 4 * MIN_CHUNK) {
    await readSwapConcurrent(source, (runs[0] as ByteRun).offset, bytes, size, hdu.index);
    raw = view(stored, bytes.buffer, 0, count);
  } else {
    await gatherRuns(source, runs, bytes, hdu.index);
    raw = decodeBigEndianInPlace(bytes, stored);
  }
  // A plane drops the length-1 axes above it.
  const axes = options.plane !== undefined && !options.section ? shape.slice(0, 2) : shape;
  if (options.raw) return { axes, data: raw, type: stored, start };
  const scaling = imageScaling(hdu.header);
  return { axes, data: applyScaling(raw, stored, scaling), type: scaledType(stored, scaling), start };
}

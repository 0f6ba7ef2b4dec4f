/**
 * Zarr array metadata, v2 (`.zarray` + `.zattrs`, spec v2 §"Metadata") and v3 (`zarr.json`,
 * spec v3 §"Array metadata"), parsed and validated into one shape. Malformed input raises
 * ZARR_METADATA naming the array and the field.
 */
import { type DType, itemSize } from "./dtype.js";
import { ArrayError } from "./errors.js";

/** What Meridian needs to know about one stored array, whatever the format. */
export interface ZarrArrayInfo {
  format: 2 | 3;
  /** Path in the store, without leading slash ("" for the root). */
  path: string;
  shape: number[];
  chunks: number[];
  dtype: DType;
  /** Dimension names (`_ARRAY_DIMENSIONS` in v2, `dimension_names` in v3). */
  dims: string[] | undefined;
  /** v2 memory order of a chunk. */
  order: "C" | "F";
  fillValue: number | null;
  attrs: Record<string, unknown>;
  /** Key of a chunk, relative to `path`. */
  chunkKey(coords: readonly number[]): string;
}

const V2_DTYPES: Record<string, DType> = {
  "|b1": "bool",
  "|i1": "int8",
  "|u1": "uint8",
  "<i2": "int16",
  "<i4": "int32",
  "<i8": "int64",
  "<u2": "uint16",
  "<u4": "uint32",
  "<u8": "uint64",
  "<f4": "float32",
  "<f8": "float64",
  "<c8": "complex64",
  "<c16": "complex128",
};

/** numpy dtype string of a Meridian dtype (little-endian). */
export function v2DTypeString(dtype: DType): string {
  const hit = Object.entries(V2_DTYPES).find(([, d]) => d === dtype);
  if (!hit) throw new ArrayError("DTYPE_UNSUPPORTED", `no Zarr v2 dtype for ${dtype}`);
  return hit[0];
}

function fail(path: string, message: string, cause?: unknown): never {
  throw new ArrayError("ZARR_METADATA", `Zarr array "${path || "/"}": ${message}`, {
    array: path || "/",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Parse JSON bytes; ZARR_METADATA with the key on failure. */
export function parseJson(bytes: Uint8Array, key: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    fail(path, `${key} is not valid JSON (${(err as Error).message})`, err);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    fail(path, `${key} is not a JSON object`);
  return value as Record<string, unknown>;
}

function intList(v: unknown, field: string, path: string, positive: boolean): number[] {
  if (!Array.isArray(v) || v.some((x) => !Number.isSafeInteger(x) || x < (positive ? 1 : 0)))
    fail(
      path,
      `${field} must be a list of ${positive ? "positive" : "non-negative"} integers, got ${JSON.stringify(v)?.slice(0, 80)}`,
    );
  return v as number[];
}

function fillOf(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** Validate v2 `.zarray` (+ `.zattrs`). */
export function parseV2(
  zarray: Record<string, unknown>,
  zattrs: Record<string, unknown>,
  path: string,
): ZarrArrayInfo {
  if (zarray.zarr_format !== 2)
    fail(path, `.zarray zarr_format is ${JSON.stringify(zarray.zarr_format)}, expected 2`);
  const shape = intList(zarray.shape, "shape", path, false);
  const chunks = intList(zarray.chunks, "chunks", path, true);
  if (chunks.length !== shape.length)
    fail(path, `chunks has ${chunks.length} axes, shape has ${shape.length}`);
  const dt = zarray.dtype;
  if (typeof dt !== "string") fail(path, "dtype must be a string");
  const dtype = V2_DTYPES[dt.replace(/^=/, "<")];
  if (!dtype) fail(path, `dtype "${dt}" is not supported (supported: ${Object.keys(V2_DTYPES).join(" ")})`);
  const order = zarray.order ?? "C";
  if (order !== "C" && order !== "F") fail(path, `order must be "C" or "F", got ${JSON.stringify(order)}`);
  const sep = zarray.dimension_separator ?? ".";
  if (sep !== "." && sep !== "/") fail(path, `dimension_separator must be "." or "/"`);
  const dims = zattrs._ARRAY_DIMENSIONS;
  if (
    dims !== undefined &&
    (!Array.isArray(dims) || dims.length !== shape.length || dims.some((d) => typeof d !== "string"))
  )
    fail(path, `_ARRAY_DIMENSIONS must name ${shape.length} dimensions, got ${JSON.stringify(dims)}`);
  checkChunkCount(shape, chunks, dtype, path);
  const attrs = { ...zattrs };
  delete attrs._ARRAY_DIMENSIONS;
  return {
    format: 2,
    path,
    shape,
    chunks,
    dtype,
    dims: dims as string[] | undefined,
    order,
    fillValue: fillOf(zarray.fill_value),
    attrs,
    chunkKey: (c) => (c.length === 0 ? "0" : c.join(sep)),
  };
}

const V3_DTYPES: ReadonlySet<string> = new Set(Object.values(V2_DTYPES));

/** Validate v3 `zarr.json` of an array. */
export function parseV3(meta: Record<string, unknown>, path: string): ZarrArrayInfo {
  if (meta.zarr_format !== 3)
    fail(path, `zarr.json zarr_format is ${JSON.stringify(meta.zarr_format)}, expected 3`);
  if (meta.node_type !== "array")
    fail(path, `zarr.json node_type is ${JSON.stringify(meta.node_type)}, expected "array"`);
  const shape = intList(meta.shape, "shape", path, false);
  const grid = meta.chunk_grid as { name?: unknown; configuration?: { chunk_shape?: unknown } } | undefined;
  if (grid?.name !== "regular") fail(path, "chunk_grid must be regular");
  const chunks = intList(grid.configuration?.chunk_shape, "chunk_grid.configuration.chunk_shape", path, true);
  if (chunks.length !== shape.length)
    fail(path, `chunk_shape has ${chunks.length} axes, shape has ${shape.length}`);
  const dtype = meta.data_type;
  if (typeof dtype !== "string" || !V3_DTYPES.has(dtype))
    fail(path, `data_type ${JSON.stringify(dtype)} is not supported`);
  const enc = meta.chunk_key_encoding as
    | { name?: unknown; configuration?: { separator?: unknown } }
    | undefined;
  const encName = enc?.name ?? "default";
  if (encName !== "default" && encName !== "v2")
    fail(path, `chunk_key_encoding ${JSON.stringify(encName)} is not supported`);
  const sep = enc?.configuration?.separator ?? (encName === "default" ? "/" : ".");
  if (sep !== "/" && sep !== ".") fail(path, `chunk key separator must be "/" or "."`);
  const dims = meta.dimension_names;
  if (dims !== undefined && dims !== null && (!Array.isArray(dims) || dims.length !== shape.length))
    fail(path, `dimension_names must name ${shape.length} dimensions`);
  if (!Array.isArray(meta.codecs)) fail(path, "codecs must be a list");
  checkChunkCount(shape, chunks, dtype as DType, path);
  const fill = meta.fill_value;
  return {
    format: 3,
    path,
    shape,
    chunks,
    dtype: dtype as DType,
    dims: (dims ?? undefined) as string[] | undefined,
    order: "C",
    fillValue: Array.isArray(fill) ? fillOf(fill[0]) : fillOf(fill),
    attrs: (meta.attributes as Record<string, unknown> | undefined) ?? {},
    chunkKey: (c) =>
      encName === "default" ? ["c", ...c].join(sep as string) : c.length === 0 ? "0" : c.join(sep as string),
  };
}

function checkChunkCount(
  shape: readonly number[],
  chunks: readonly number[],
  dtype: DType,
  path: string,
): void {
  let bytes = itemSize(dtype);
  for (const c of chunks) bytes *= c;
  if (bytes > 2 ** 31)
    fail(path, `a chunk of [${chunks.join(", ")}] ${dtype} is ${bytes} bytes (limit 2 GiB)`);
  for (let k = 0; k < shape.length; k++)
    if ((shape[k] as number) > 2 ** 40) fail(path, `shape[${k}] = ${shape[k]} is too large`);
}

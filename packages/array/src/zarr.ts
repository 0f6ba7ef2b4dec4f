/**
 * Zarr v2 and v3 stores as Datasets. Reading goes through zarrita (codecs: zlib, gzip, blosc,
 * lz4, zstd, …) chunk by chunk, so a failing chunk is named; complex dtypes are presented to
 * zarrita as float pairs (zarr-complex-store.ts). Writing encodes chunks here (zarrita 0.7 writes
 * neither v2 nor complex) in xarray's layout: `_ARRAY_DIMENSIONS` (v2) or `dimension_names` (v3),
 * CF time units, `_FillValue`, and consolidated `.zmetadata` for v2.
 */
import type { AbsolutePath, AsyncMutable, AsyncReadable } from "@zarrita/storage";
import { gzipSync, zlibSync } from "fflate";
import * as zarr from "zarrita";
import { Coordinate } from "./coordinate.js";
import { DataArray } from "./data-array.js";
import { Dataset } from "./dataset.js";
import { type DType, dtypeKind, itemSize, slotsPerElement, storageView } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { assign, NDArray, type Slice, sizeOf } from "./ndarray.js";
import { complexAwareStore } from "./zarr-complex-store.js";
import { parseJson, parseV2, parseV3, v2DTypeString, type ZarrArrayInfo } from "./zarr-metadata.js";

/** A store with `get` (zarrita's `AsyncReadable`: Map-backed, FileSystemStore, FetchStore, …). */
export type ZarrReadStore = AsyncReadable;
/** A store with `get` and `set`. */
export type ZarrWriteStore = AsyncMutable;

/** One array in a store: metadata now, chunks when asked. */
export class ZarrArray {
  constructor(
    readonly info: ZarrArrayInfo,
    private readonly handle: zarr.Array<zarr.DataType, AsyncReadable>,
  ) {}

  get shape(): readonly number[] {
    return this.info.shape;
  }

  get chunks(): readonly number[] {
    return this.info.chunks;
  }

  get dtype(): DType {
    return this.info.dtype;
  }

  /** Chunks per axis. */
  get chunkGrid(): number[] {
    return this.info.shape.map((n, k) => Math.ceil(n / (this.info.chunks[k] as number)));
  }

  /** Decode the chunk at grid position `coords` (edge chunks are trimmed to the array). */
  async readChunk(coords: readonly number[]): Promise<NDArray> {
    const info = this.info;
    const key = info.chunkKey(coords);
    const where = { array: info.path || "/", chunk: key };
    const complex = slotsPerElement(info.dtype) === 2;
    let chunk: zarr.Chunk<zarr.DataType>;
    try {
      chunk = await this.handle.getChunk(complex ? [...coords, 0] : [...coords]);
    } catch (err) {
      throw new ArrayError(
        "ZARR_CHUNK",
        `Zarr array "${where.array}": chunk ${key} cannot be decoded (${(err as Error).message})`,
        { ...where, cause: err },
      );
    }
    const full = info.chunks;
    const want = sizeOf(full) * slotsPerElement(info.dtype);
    const data = chunk.data as unknown as ArrayLike<unknown> & {
      buffer: ArrayBufferLike;
      byteOffset: number;
      length: number;
    };
    if (!data || typeof data.length !== "number" || data.length !== want)
      throw new ArrayError(
        "ZARR_CHUNK",
        `Zarr array "${where.array}": chunk ${key} holds ${data?.length ?? 0} values, expected ${want}`,
        where,
      );
    const storage = storageView(info.dtype, data.buffer, data.byteOffset, sizeOf(full));
    const strides = complex ? chunk.stride.slice(0, -1).map((s) => s / 2) : chunk.stride;
    const nd = new NDArray(info.dtype, full, storage, strides, 0);
    const trim: Slice[] = coords.map((c, k) => ({
      start: 0,
      stop: Math.min(full[k] as number, (info.shape[k] as number) - c * (full[k] as number)),
    }));
    return nd.index(...trim);
  }

  /** Read a region (`null` axes whole) into one C-order array, chunk by chunk. */
  async read(region?: readonly (Slice | null)[]): Promise<NDArray> {
    const info = this.info;
    const nd = info.shape.length;
    const ranges = info.shape.map((n, k) => {
      const s = region?.[k] ?? null;
      const start = Math.max(0, Math.min(n, s?.start ?? 0));
      const stop = Math.max(start, Math.min(n, s?.stop ?? n));
      if ((s?.step ?? 1) !== 1)
        throw new ArrayError("INVALID_ARGUMENT", "Zarr region reads take unit-step slices", {
          array: info.path,
        });
      return [start, stop] as const;
    });
    const outShape = ranges.map(([a, b]) => b - a);
    if (sizeOf(outShape) > 2 ** 31)
      throw new ArrayError(
        "INVALID_ARGUMENT",
        `Zarr array "${info.path}": region [${outShape.join(", ")}] is too large to read at once; read it lazily (chunked)`,
        { array: info.path || "/" },
      );
    const out = NDArray.zeros(outShape, info.dtype);
    if (out.size === 0) return out;
    const lo = ranges.map(([a], k) => Math.floor(a / (info.chunks[k] as number)));
    const hi = ranges.map(([, b], k) => Math.ceil(b / (info.chunks[k] as number)));
    const idx = [...lo];
    for (;;) {
      const chunk = await this.readChunk(idx);
      const src: Slice[] = [];
      const dst: Slice[] = [];
      for (let k = 0; k < nd; k++) {
        const c0 = (idx[k] as number) * (info.chunks[k] as number);
        const a = Math.max(ranges[k]?.[0] as number, c0);
        const b = Math.min(ranges[k]?.[1] as number, c0 + (chunk.shape[k] as number));
        src.push({ start: a - c0, stop: b - c0 });
        dst.push({ start: a - (ranges[k]?.[0] as number), stop: b - (ranges[k]?.[0] as number) });
      }
      assign(out.index(...dst), chunk.index(...src));
      let k = nd - 1;
      for (; k >= 0; k--) {
        idx[k] = (idx[k] as number) + 1;
        if ((idx[k] as number) < (hi[k] as number)) break;
        idx[k] = lo[k] as number;
      }
      if (k < 0) break;
    }
    return out;
  }
}

async function getBytes(store: AsyncReadable, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key as AbsolutePath);
  } catch (err) {
    throw new ArrayError("ZARR_METADATA", `cannot read ${key}: ${(err as Error).message}`, {
      array: key,
      cause: err,
    });
  }
}

/** Open one array at `path` ("" for a root array, "temperature", "group/var"). */
export async function openZarrArray(store: ZarrReadStore, path: string): Promise<ZarrArray> {
  const p = path.replace(/^\/+|\/+$/g, "");
  const prefix = p === "" ? "" : `/${p}`;
  let info: ZarrArrayInfo;
  const v3 = await getBytes(store, `${prefix}/zarr.json`);
  if (v3) info = parseV3(parseJson(v3, "zarr.json", p), p);
  else {
    const za = await getBytes(store, `${prefix}/.zarray`);
    if (!za)
      throw new ArrayError("ZARR_METADATA", `Zarr array "${p || "/"}": no .zarray or zarr.json`, {
        array: p || "/",
      });
    const attrsBytes = await getBytes(store, `${prefix}/.zattrs`);
    info = parseV2(parseJson(za, ".zarray", p), attrsBytes ? parseJson(attrsBytes, ".zattrs", p) : {}, p);
  }
  let handle: zarr.Array<zarr.DataType, AsyncReadable>;
  try {
    const loc = zarr.root(complexAwareStore(store)).resolve(p);
    handle =
      info.format === 2
        ? await zarr.open.v2(loc, { kind: "array" })
        : await zarr.open.v3(loc, { kind: "array" });
  } catch (err) {
    throw new ArrayError("ZARR_METADATA", `Zarr array "${p || "/"}": ${(err as Error).message}`, {
      array: p || "/",
      cause: err,
    });
  }
  return new ZarrArray(info, handle);
}

/** Names of the arrays directly in a group: from consolidated metadata, else `names`. */
export async function listZarrArrays(store: ZarrReadStore, group = ""): Promise<string[] | null> {
  const prefix = group === "" ? "" : `${group.replace(/^\/+|\/+$/g, "")}/`;
  const zm = await getBytes(store, `/${prefix}.zmetadata`);
  if (zm) {
    const meta = parseJson(zm, ".zmetadata", group);
    const inner = meta.metadata;
    if (typeof inner !== "object" || inner === null)
      throw new ArrayError("ZARR_METADATA", `.zmetadata has no "metadata" object`, { array: group || "/" });
    return Object.keys(inner)
      .filter((k) => k.endsWith("/.zarray"))
      .map((k) => k.slice(0, -"/.zarray".length))
      .filter((k) => !k.includes("/"));
  }
  const root = await getBytes(store, `/${prefix}zarr.json`);
  if (root) {
    const meta = parseJson(root, "zarr.json", group);
    const cm = (
      meta.consolidated_metadata as { metadata?: Record<string, { node_type?: string }> } | undefined
    )?.metadata;
    if (cm)
      return Object.entries(cm)
        .filter(([k, v]) => v.node_type === "array" && !k.includes("/"))
        .map(([k]) => k);
  }
  return null;
}

const CF_UNITS: Record<string, number> = {
  nanoseconds: 1e-6,
  microseconds: 1e-3,
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/** CF time decoding (CF 1.10 §4.4): "<units> since <reference>" → epoch ms, or null. */
export function cfTimeScale(attrs: Record<string, unknown>): { scale: number; origin: number } | null {
  const units = attrs.units;
  if (typeof units !== "string") return null;
  const m = /^\s*(\w+)\s+since\s+(.+?)\s*$/.exec(units);
  if (!m) return null;
  const scale = CF_UNITS[(m[1] as string).toLowerCase()];
  const cal = attrs.calendar;
  if (
    scale === undefined ||
    (cal !== undefined && !["standard", "gregorian", "proleptic_gregorian"].includes(String(cal)))
  )
    return null;
  let ref = (m[2] as string).trim().replace(" ", "T");
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(ref)) ref = `${ref}T00:00:00`;
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(ref)) ref = `${ref}Z`;
  const origin = Date.parse(ref);
  if (Number.isNaN(origin)) return null;
  return { scale, origin };
}

export interface ReadZarrOptions {
  /** Arrays to read when the store has no consolidated metadata (or a subset). */
  arrays?: readonly string[];
  /** Group path inside the store. */
  group?: string;
  /** Replace `_FillValue` by NaN in float variables (default true, as xarray). */
  maskAndScale?: boolean;
}

/** Read a whole store (or group) as a Dataset: xarray's layout, eager. */
export async function readZarr(store: ZarrReadStore, options: ReadZarrOptions = {}): Promise<Dataset> {
  const group = (options.group ?? "").replace(/^\/+|\/+$/g, "");
  const names = options.arrays ?? (await listZarrArrays(store, group));
  if (!names)
    throw new ArrayError(
      "ZARR_METADATA",
      `store has no consolidated metadata; pass the array names (options.arrays)`,
      { array: group || "/" },
    );
  const arrays = new Map<string, { info: ZarrArrayInfo; data: NDArray }>();
  for (const name of names) {
    const arr = await openZarrArray(store, group ? `${group}/${name}` : name);
    arrays.set(name, { info: arr.info, data: await arr.read() });
  }
  return toDataset(arrays, await groupAttrs(store, group), options.maskAndScale ?? true);
}

async function groupAttrs(store: ZarrReadStore, group: string): Promise<Record<string, unknown>> {
  const prefix = group === "" ? "" : `/${group}`;
  const v3 = await getBytes(store, `${prefix}/zarr.json`);
  if (v3) return (parseJson(v3, "zarr.json", group).attributes as Record<string, unknown> | undefined) ?? {};
  const za = await getBytes(store, `${prefix}/.zattrs`);
  return za ? parseJson(za, ".zattrs", group) : {};
}

/** Decode CF conventions and build the Dataset from arrays read whole. */
export function toDataset(
  arrays: ReadonlyMap<string, { info: ZarrArrayInfo; data: NDArray }>,
  attrs: Record<string, unknown>,
  maskAndScale: boolean,
): Dataset {
  const coords: Record<string, Coordinate> = {};
  const vars: Record<string, DataArray> = {};
  const dimsOf = (name: string, info: ZarrArrayInfo) =>
    info.dims ?? info.shape.map((_, k) => `${name}_dim_${k}`);
  for (const [name, { info, data }] of arrays) {
    const dims = dimsOf(name, info);
    let values = data;
    const a = { ...info.attrs };
    const time = cfTimeScale(a);
    if (time && dims.length === 1) {
      const f = values.toFloat64();
      const ms = f.map((v) => time.origin + v * time.scale);
      if (dims[0] === name) {
        coords[name] = new Coordinate(dims, NDArray.from(ms, { dtype: "float64" }), { isTime: true });
        continue;
      }
    }
    // xarray's zarr backend: the array's fill_value is the variable's _FillValue
    if (
      maskAndScale &&
      a._FillValue === undefined &&
      info.fillValue !== null &&
      dtypeKind(info.dtype) === "f"
    )
      a._FillValue = info.fillValue;
    if (maskAndScale) values = decodeMask(values, a);
    if (a.dtype === "bool" && values.dtype !== "bool") {
      // xarray stores bool variables as int8 with attribute dtype: "bool"
      values = values.astype("bool", { check: false });
      delete a.dtype;
    }
    if (dims.length === 1 && dims[0] === name) {
      coords[name] = new Coordinate(dims, values);
      continue;
    }
    delete a.coordinates;
    vars[name] = new DataArray(values, dims, { attrs: a, name });
  }
  return new Dataset(vars, { coords, attrs });
}

function decodeMask(values: NDArray, attrs: Record<string, unknown>): NDArray {
  const fill = attrs._FillValue;
  const scale = attrs.scale_factor;
  const offset = attrs.add_offset;
  delete attrs._FillValue;
  if (typeof scale !== "number" && typeof offset !== "number") {
    if (dtypeKind(values.dtype) !== "f" || typeof fill !== "number" || Number.isNaN(fill)) return values;
  }
  delete attrs.scale_factor;
  delete attrs.add_offset;
  const f = values.toFloat64();
  const out = new Float64Array(f.length);
  const s = typeof scale === "number" ? scale : 1;
  const o = typeof offset === "number" ? offset : 0;
  for (let i = 0; i < f.length; i++) {
    const v = f[i] as number;
    out[i] = typeof fill === "number" && v === fill ? NaN : v * s + o;
  }
  // xarray's _choose_float_dtype: float32 for float32 and for integers of at most 2 bytes
  const small = ["float32", "int8", "uint8", "int16", "uint16"].includes(values.dtype);
  const dtype: DType = small ? "float32" : "float64";
  return new NDArray(dtype, values.shape, dtype === "float32" ? Float32Array.from(out) : out);
}

// ---- writing ---------------------------------------------------------------------------------

export interface WriteZarrOptions {
  /** 2 (default; what Debian's zarr 2.13 reads) or 3. */
  format?: 2 | 3;
  /** Chunk length per dimension name (missing: whole dimension). */
  chunks?: Record<string, number>;
  /** "zlib" (default), "gzip" or "none". */
  compressor?: "zlib" | "gzip" | "none";
  /** Compression level 0–9 (default 1). */
  level?: number;
  /** Write consolidated metadata (v2 `.zmetadata`, v3 `consolidated_metadata`); default true. */
  consolidated?: boolean;
}

const enc = new TextEncoder();

function json(v: unknown): Uint8Array {
  return enc.encode(
    JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x), 2),
  );
}

function fillJson(dtype: DType, fill: number | null): unknown {
  if (fill === null) return null;
  if (Number.isNaN(fill)) return "NaN";
  if (slotsPerElement(dtype) === 2) return [fill, 0];
  if (dtype === "bool") return fill !== 0;
  return fill;
}

async function put(store: ZarrWriteStore, key: string, bytes: Uint8Array): Promise<void> {
  await store.set(key as AbsolutePath, bytes);
}

interface Variable {
  name: string;
  dims: readonly string[];
  data: NDArray;
  attrs: Record<string, unknown>;
  fill: number | null;
}

function variablesOf(ds: Dataset): Variable[] {
  const out: Variable[] = [];
  for (const [name, c] of ds.coords) {
    if (c.dims.length !== 1) continue;
    if (Array.isArray(c.values))
      throw new ArrayError(
        "DTYPE_UNSUPPORTED",
        `coordinate "${name}" holds strings; Zarr writing of strings is not supported`,
        { array: name },
      );
    if (c.isTime) {
      const ms = c.numbers();
      const ints = ms.every((v) => Number.isInteger(v));
      out.push({
        name,
        dims: c.dims,
        data: ints
          ? NDArray.from(
              Array.from(ms, (v) => BigInt(v)),
              { dtype: "int64", shape: [ms.length] },
            )
          : NDArray.from(ms, { dtype: "float64", shape: [ms.length] }),
        attrs: {
          ...c.attrs,
          units: "milliseconds since 1970-01-01T00:00:00",
          calendar: "proleptic_gregorian",
        },
        fill: null,
      });
    } else out.push({ name, dims: c.dims, data: c.values as NDArray, attrs: { ...c.attrs }, fill: null });
  }
  for (const [name, v] of ds.dataVars) {
    const kind = dtypeKind(v.dtype);
    // zarr 2.13 cannot parse a NaN fill inside a complex [re, im] pair: complex gets no fill
    out.push({ name, dims: v.dims, data: v.data, attrs: { ...v.attrs }, fill: kind === "f" ? NaN : null });
  }
  return out;
}

/** Encode one chunk: little-endian C-order bytes, compressed. */
function encodeChunk(part: NDArray, compressor: "zlib" | "gzip" | "none", level: number): Uint8Array {
  const c =
    part.isContiguous("C") &&
    part.offset === 0 &&
    part.data.length === part.size * slotsPerElement(part.dtype)
      ? part
      : part.copy("C");
  const bytes = new Uint8Array(
    c.data.buffer,
    c.data.byteOffset + c.offset * itemSize(c.dtype),
    c.size * itemSize(c.dtype),
  );
  const lvl = Math.max(0, Math.min(9, level)) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  if (compressor === "zlib") return zlibSync(bytes, { level: lvl });
  if (compressor === "gzip") return gzipSync(bytes, { level: lvl });
  return bytes.slice();
}

/**
 * Write a Dataset (or one named DataArray) to `store` in xarray's Zarr layout. Arrays written in
 * format 2 open in zarr-python 2 and `xarray.open_zarr`.
 */
export async function writeZarr(
  store: ZarrWriteStore,
  data: Dataset | DataArray,
  options: WriteZarrOptions = {},
): Promise<void> {
  const ds = data instanceof Dataset ? data : new Dataset({ [data.name ?? "data"]: data });
  const format = options.format ?? 2;
  const compressor = options.compressor ?? "zlib";
  const level = options.level ?? 1;
  const consolidated = options.consolidated ?? true;
  const meta: Record<string, unknown> = {};
  const v3meta: Record<string, unknown> = {};
  for (const v of variablesOf(ds)) {
    const shape = [...v.data.shape];
    const chunks = v.dims.map((d, k) => {
      const c = options.chunks?.[d] ?? (shape[k] as number);
      if (!Number.isInteger(c) || c < 1)
        throw new ArrayError("INVALID_ARGUMENT", `chunk length for "${d}" must be a positive integer`, {
          array: v.name,
          dimension: d,
        });
      return Math.max(1, Math.min(c, (shape[k] as number) || 1));
    });
    let key: (c: number[]) => string;
    if (format === 2) {
      const zarray = {
        chunks,
        compressor: compressor === "none" ? null : { id: compressor, level },
        dtype: v2DTypeString(v.data.dtype),
        fill_value: fillJson(v.data.dtype, v.fill),
        filters: null,
        order: "C",
        shape,
        zarr_format: 2,
      };
      const zattrs = {
        _ARRAY_DIMENSIONS: v.dims,
        ...v.attrs,
        ...(v.fill === null ? {} : { _FillValue: "NaN" }),
      };
      await put(store, `/${v.name}/.zarray`, json(zarray));
      await put(store, `/${v.name}/.zattrs`, json(zattrs));
      meta[`${v.name}/.zarray`] = zarray;
      meta[`${v.name}/.zattrs`] = zattrs;
      key = (c) => (c.length === 0 ? "0" : c.join("."));
    } else {
      const codecs: unknown[] = [{ name: "bytes", configuration: { endian: "little" } }];
      if (compressor !== "none")
        codecs.push({ name: compressor === "zlib" ? "zlib" : "gzip", configuration: { level } });
      const zj = {
        zarr_format: 3,
        node_type: "array",
        shape,
        data_type: v.data.dtype,
        chunk_grid: { name: "regular", configuration: { chunk_shape: chunks } },
        chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
        codecs,
        fill_value: fillJson(v.data.dtype, v.fill ?? 0),
        dimension_names: v.dims,
        attributes: v.attrs,
      };
      await put(store, `/${v.name}/zarr.json`, json(zj));
      v3meta[v.name] = zj;
      key = (c) => ["c", ...c].join("/");
    }
    const grid = shape.map((n, k) => Math.ceil(n / (chunks[k] as number)));
    if (grid.some((g) => g === 0)) continue;
    const idx = new Array<number>(shape.length).fill(0);
    for (;;) {
      const region: Slice[] = idx.map((i, k) => ({
        start: i * (chunks[k] as number),
        stop: Math.min((i + 1) * (chunks[k] as number), shape[k] as number),
      }));
      let part = v.data.index(...region);
      if (part.shape.some((n, k) => n !== chunks[k])) {
        const padded = NDArray.zeros(chunks, part.dtype);
        if (v.fill !== null && Number.isNaN(v.fill)) {
          const d = padded.data as Float64Array;
          for (let i = 0; i < d.length; i += slotsPerElement(part.dtype)) d[i] = NaN;
        }
        assign(padded.index(...part.shape.map((n) => ({ start: 0, stop: n }))), part);
        part = padded;
      }
      await put(store, `/${v.name}/${key(idx)}`, encodeChunk(part, compressor, level));
      let k = shape.length - 1;
      for (; k >= 0; k--) {
        idx[k] = (idx[k] as number) + 1;
        if ((idx[k] as number) < (grid[k] as number)) break;
        idx[k] = 0;
      }
      if (k < 0) break;
    }
  }
  if (format === 2) {
    await put(store, "/.zgroup", json({ zarr_format: 2 }));
    await put(store, "/.zattrs", json(ds.attrs));
    if (consolidated)
      await put(
        store,
        "/.zmetadata",
        json({
          metadata: { ".zattrs": ds.attrs, ".zgroup": { zarr_format: 2 }, ...meta },
          zarr_consolidated_format: 1,
        }),
      );
  } else {
    await put(
      store,
      "/zarr.json",
      json({
        zarr_format: 3,
        node_type: "group",
        attributes: ds.attrs,
        ...(consolidated
          ? { consolidated_metadata: { kind: "inline", must_understand: false, metadata: v3meta } }
          : {}),
      }),
    );
  }
}

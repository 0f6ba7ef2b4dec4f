/**
 * NetCDF4 / HDF5 in, through h5wasm (HDF5 compiled to WebAssembly): each dataset of the root
 * group becomes a variable; dimensions come from HDF5 dimension scales (DIMENSION_LIST, as
 * netCDF-4 writes them); CF time units, _FillValue and scale_factor/add_offset are decoded as
 * xarray does (shared with the Zarr reader). Node only (h5wasm reads the file through its
 * virtual file system).
 */
import h5wasm from "h5wasm/node";
import type { Dataset } from "./dataset.js";
import type { DType, Storage } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";
import { toDataset } from "./zarr.js";
import type { ZarrArrayInfo } from "./zarr-metadata.js";

const HIDDEN = new Set([
  "DIMENSION_LIST",
  "REFERENCE_LIST",
  "CLASS",
  "NAME",
  "_Netcdf4Coordinates",
  "_Netcdf4Dimid",
  "_NCProperties",
]);

function dtypeOf(v: unknown): DType | null {
  if (v instanceof Float32Array) return "float32";
  if (v instanceof Float64Array) return "float64";
  if (v instanceof Int8Array) return "int8";
  if (v instanceof Uint8Array) return "uint8";
  if (v instanceof Int16Array) return "int16";
  if (v instanceof Uint16Array) return "uint16";
  if (v instanceof Int32Array) return "int32";
  if (v instanceof Uint32Array) return "uint32";
  if (v instanceof BigInt64Array) return "int64";
  if (v instanceof BigUint64Array) return "uint64";
  return null;
}

function attrValue(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) {
    const arr = Array.from(v as unknown as ArrayLike<number | bigint>, (x) =>
      typeof x === "bigint" ? Number(x) : x,
    );
    return arr.length === 1 ? arr[0] : arr;
  }
  return v;
}

export interface ReadNetcdfOptions {
  /** Variables to read (default: all datasets of the root group). */
  variables?: readonly string[];
  /** Decode _FillValue and scale_factor/add_offset (default true). */
  maskAndScale?: boolean;
}

/** Read a NetCDF4/HDF5 file as a Dataset. */
export async function readNetcdf(path: string, options: ReadNetcdfOptions = {}): Promise<Dataset> {
  await h5wasm.ready;
  let file: InstanceType<typeof h5wasm.File>;
  try {
    file = new h5wasm.File(path, "r");
  } catch (err) {
    throw new ArrayError("READ_FAILED", `${path}: not an HDF5 file (${(err as Error).message})`, {
      array: path,
      cause: err,
    });
  }
  try {
    const names = options.variables ?? file.keys();
    const arrays = new Map<string, { info: ZarrArrayInfo; data: NDArray }>();
    const dimOf = new Map<string, string>();
    for (const name of names) {
      const d = file.get(name) as InstanceType<typeof h5wasm.Dataset> | null;
      if (!d || !("shape" in d)) {
        if (options.variables)
          throw new ArrayError("UNKNOWN_VARIABLE", `${path}: no dataset "${name}"`, { array: name });
        continue;
      }
      const shape = d.shape ?? [];
      const value = d.value;
      const dtype = dtypeOf(value);
      if (!dtype)
        throw new ArrayError(
          "DTYPE_UNSUPPORTED",
          `${path}: variable "${name}" has a type this reader does not handle (${String(d.dtype)})`,
          { array: name },
        );
      const attrs: Record<string, unknown> = {};
      let dims: string[] | undefined;
      for (const [k, a] of Object.entries(d.attrs)) {
        if (k === "DIMENSION_LIST") {
          const refs = a.value as unknown[];
          dims = refs.map((r, i) => {
            const ref = Array.isArray(r) ? r[0] : r;
            const target = ref ? file.dereference(ref as never) : null;
            const p = (target as { path?: string } | null)?.path;
            return p ? p.replace(/^\//, "") : `${name}_dim_${i}`;
          });
        } else if (!HIDDEN.has(k)) attrs[k] = attrValue(a.value);
      }
      if (d.attrs.CLASS && String(d.attrs.CLASS.value) === "DIMENSION_SCALE") dims = [name];
      for (const dim of dims ?? []) dimOf.set(dim, dim);
      // netCDF-4 dimensions without a coordinate variable are scales holding "This is a netCDF dimension but not a netCDF variable"
      if (typeof attrs.NAME === "string" && attrs.NAME.startsWith("This is a netCDF dimension")) continue;
      const data = new NDArray(dtype, shape, value as Storage);
      arrays.set(name, {
        data,
        info: {
          format: 2,
          path: name,
          shape,
          chunks: shape,
          dtype,
          dims: dims ?? shape.map((_, i) => `${name}_dim_${i}`),
          order: "C",
          fillValue: null,
          attrs,
          chunkKey: () => "",
        },
      });
    }
    const rootAttrs: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(file.attrs)) if (!HIDDEN.has(k)) rootAttrs[k] = attrValue(a.value);
    return toDataset(arrays, rootAttrs, options.maskAndScale ?? true);
  } catch (err) {
    if (err instanceof ArrayError) throw err;
    throw new ArrayError("READ_FAILED", `${path}: ${(err as Error).message}`, { array: path, cause: err });
  } finally {
    file.close();
  }
}

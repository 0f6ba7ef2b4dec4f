/**
 * FITS images and cubes in (through @meridian/fits) as DataArrays. numpy order: NAXIS1 is the
 * last, fastest dimension `x`, NAXIS2 is `y`, further axes are named from CTYPEn (`freq`,
 * `vrad`, `wave`, …; `axis<n>` without one) and get a linear world coordinate
 * CRVALn + (i + 1 − CRPIXn) × CDELTn (FITS 4.0 §8.1). BSCALE/BZERO/BLANK are applied.
 */
import { FitsFile, type HduSelector, type ReadImageOptions } from "@meridian/fits";
import type { CoordInput } from "./coordinate.js";
import { DataArray } from "./data-array.js";
import type { DType, Storage } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";

export interface ReadFitsImageOptions extends ReadImageOptions {
  hdu?: HduSelector;
  name?: string;
}

/** Read an image or cube HDU of an opened FITS file. */
export async function fitsImageArray(file: FitsFile, options: ReadFitsImageOptions = {}): Promise<DataArray> {
  const selector = options.hdu ?? (file.hdus[0]?.axes.length ? 0 : 1);
  const name = options.name ?? `hdu ${String(typeof selector === "object" ? selector.name : selector)}`;
  try {
    const hdu = file.hdu(selector);
    const header = file.imageHeader(selector);
    const img = await file.readImage(selector, options);
    const n = img.axes.length;
    const shape = [...img.axes].reverse();
    const data = new NDArray(img.type as DType, shape, img.data as Storage);
    const dims: string[] = [];
    const coords: Record<string, CoordInput> = {};
    for (let k = n; k >= 1; k--) {
      const ctype = header.getString(`CTYPE${k}`)?.trim() ?? "";
      let dim =
        k === 1 ? "x" : k === 2 ? "y" : ctype ? (ctype.split("-")[0] as string).toLowerCase() : `axis${k}`;
      if (dims.includes(dim)) dim = `${dim}${k}`;
      dims.push(dim);
      const crval = header.getNumber(`CRVAL${k}`);
      const cdelt = header.getNumber(`CDELT${k}`);
      if (k >= 3 && crval !== undefined && cdelt !== undefined) {
        const crpix = header.getNumber(`CRPIX${k}`) ?? 1;
        const start = img.start[k - 1] ?? 0;
        const len = img.axes[k - 1] as number;
        coords[dim] = Array.from({ length: len }, (_, i) => crval + (start + i + 1 - crpix) * cdelt);
      }
    }
    const attrs: Record<string, unknown> = { hdu: hdu.index };
    for (const key of ["BUNIT", "OBJECT", "TELESCOP", "INSTRUME", "DATE-OBS"]) {
      const v = header.get(key);
      if (v !== undefined && v !== null) attrs[key] = v;
    }
    return new DataArray(data, dims, { name, attrs, coords });
  } catch (err) {
    if (err instanceof ArrayError) throw err;
    throw new ArrayError("READ_FAILED", `${name}: ${(err as Error).message}`, { array: name, cause: err });
  }
}

/** Read an image or cube from FITS bytes (gzip accepted). */
export async function readFitsImage(
  bytes: Uint8Array,
  options: ReadFitsImageOptions = {},
): Promise<DataArray> {
  let file: FitsFile;
  try {
    file = await FitsFile.open(bytes);
  } catch (err) {
    throw new ArrayError("READ_FAILED", `${options.name ?? "FITS"}: ${(err as Error).message}`, {
      array: options.name ?? "FITS",
      cause: err,
    });
  }
  return fitsImageArray(file, options);
}

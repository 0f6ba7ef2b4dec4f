/**
 * GeoTIFF in (through geotiff.js) as a DataArray with `y`/`x` pixel-centre coordinates from the
 * model tiepoint and pixel scale (GeoTIFF 1.1 §B.6), and a small writer for single-band images.
 */
import { fromArrayBuffer, writeArrayBuffer } from "geotiff";
import { DataArray } from "./data-array.js";
import type { DType, Storage } from "./dtype.js";
import { ArrayError } from "./errors.js";
import { NDArray } from "./ndarray.js";

const SAMPLE_DTYPES: Record<string, DType> = {
  "1:8": "uint8",
  "1:16": "uint16",
  "1:32": "uint32",
  "2:8": "int8",
  "2:16": "int16",
  "2:32": "int32",
  "3:32": "float32",
  "3:64": "float64",
};

export interface ReadGeoTiffOptions {
  /** Name for the DataArray and for errors. */
  name?: string;
  /** Pixel window [x0, y0, x1, y1) to read (default: the whole image). */
  window?: [number, number, number, number];
}

/**
 * Read the first image of a GeoTIFF: `(y, x)` for one sample per pixel, `(band, y, x)` otherwise.
 * Attributes: `crs` ("EPSG:<code>" when the GeoKeys give one), `transform` (GDAL order:
 * x0, dx, 0, y0, 0, dy), `nodata` when set.
 */
export async function readGeoTiff(
  bytes: Uint8Array | ArrayBuffer,
  options: ReadGeoTiffOptions = {},
): Promise<DataArray> {
  const name = options.name ?? "geotiff";
  const buf =
    bytes instanceof Uint8Array
      ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
      : bytes;
  try {
    const tiff = await fromArrayBuffer(buf as ArrayBuffer);
    const image = await tiff.getImage();
    const width = image.getWidth();
    const height = image.getHeight();
    const [x0, y0, x1, y1] = options.window ?? [0, 0, width, height];
    const rasters = await image.readRasters({ window: [x0, y0, x1, y1], interleave: false });
    const bands = rasters as unknown as ArrayLike<number>[] & { width: number; height: number };
    const fmt = image.getSampleFormat(0);
    const bits = image.getBitsPerSample(0);
    const dtype = SAMPLE_DTYPES[`${fmt}:${bits}`];
    if (!dtype)
      throw new ArrayError(
        "READ_FAILED",
        `${name}: sample format ${fmt} with ${bits} bits is not supported`,
        { array: name },
      );
    const w = x1 - x0;
    const h = y1 - y0;
    const nb = bands.length;
    const data = NDArray.zeros(nb === 1 ? [h, w] : [nb, h, w], dtype);
    for (let b = 0; b < nb; b++)
      (data.data as unknown as { set(a: ArrayLike<number>, o: number): void }).set(
        bands[b] as ArrayLike<number>,
        b * w * h,
      );
    let origin: number[] = [0, 0];
    let res: number[] = [1, -1];
    try {
      origin = image.getOrigin();
      res = image.getResolution();
    } catch {
      // no georeferencing: pixel coordinates
    }
    const [ox = 0, oy = 0] = origin;
    const [dx = 1, dy = -1] = res;
    const xs = Array.from({ length: w }, (_, i) => ox + (x0 + i + 0.5) * dx);
    const ys = Array.from({ length: h }, (_, j) => oy + (y0 + j + 0.5) * dy);
    const keys = image.getGeoKeys() as Record<string, unknown> | null;
    const epsg = (keys?.ProjectedCSTypeGeoKey ?? keys?.GeographicTypeGeoKey) as number | undefined;
    const nodata = image.getGDALNoData();
    const attrs: Record<string, unknown> = { transform: [ox, dx, 0, oy, 0, dy] };
    if (epsg !== undefined && epsg !== 32767) attrs.crs = `EPSG:${epsg}`;
    if (nodata !== null) attrs.nodata = nodata;
    const dims = nb === 1 ? ["y", "x"] : ["band", "y", "x"];
    return new DataArray(data, dims, { name, attrs, coords: { y: ys, x: xs } });
  } catch (err) {
    if (err instanceof ArrayError) throw err;
    throw new ArrayError("READ_FAILED", `${name}: not a readable GeoTIFF (${(err as Error).message})`, {
      array: name,
      cause: err,
    });
  }
}

export interface WriteGeoTiffOptions {
  /** EPSG code of a projected CRS (e.g. 32632 for UTM 32N). */
  epsg: number;
  /** Upper-left corner of the upper-left pixel, CRS units. */
  origin: [number, number];
  /** Pixel size (x, y), CRS units, both positive. */
  pixelSize: [number, number];
}

/** Encode a 2-D (y, x) uint8/int8/uint16/uint32/float32/float64 array as an uncompressed GeoTIFF. */
export function writeGeoTiff(data: NDArray, options: WriteGeoTiffOptions): Uint8Array {
  if (data.ndim !== 2)
    throw new ArrayError("DIMENSION_MISMATCH", `writeGeoTiff takes a (y, x) array, got ${data.ndim}-d`);
  const [height, width] = data.shape as [number, number];
  // geotiff.js 3.0 writes int16/int32 strips with wrong byte counts: refuse rather than corrupt
  const fmt =
    data.dtype === "int16" || data.dtype === "int32"
      ? undefined
      : Object.entries(SAMPLE_DTYPES).find(([, d]) => d === data.dtype)?.[0];
  if (!fmt)
    throw new ArrayError("DTYPE_UNSUPPORTED", `writeGeoTiff: ${data.dtype} is not a GeoTIFF sample type`);
  const [sampleFormat, bits] = fmt.split(":").map(Number) as [number, number];
  const values = data.copy("C").data as Storage;
  const out = writeArrayBuffer(values as never, {
    width,
    height,
    BitsPerSample: [bits],
    SampleFormat: [sampleFormat],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 1,
    ModelPixelScale: [options.pixelSize[0], options.pixelSize[1], 0],
    ModelTiepoint: [0, 0, 0, options.origin[0], options.origin[1], 0],
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    ProjectedCSTypeGeoKey: options.epsg,
  });
  return new Uint8Array(out);
}

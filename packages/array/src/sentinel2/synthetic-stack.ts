/**
 * A synthetic Sentinel-2 L2A-like stack: one GeoTIFF per date and band (B04 red, B08 near
 * infrared, both uint16 reflectance × 10000; CLD cloud probability 0–100), on a UTM grid at 10 m.
 * The scene has fields with crop calendars (double-logistic NDVI curves), a forest, a river and a
 * town; each field drifts by its own NDVI trend per year, and clouds pass over some dates.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeGeoTiff } from "../geotiff.js";
import { NDArray } from "../ndarray.js";

export interface SyntheticStackOptions {
  width?: number;
  height?: number;
  /** First date, ISO 8601 (default 2021-01-01). */
  start?: string;
  /** Months covered (default 24). */
  months?: number;
  /** Days between acquisitions (default 5, Sentinel-2's revisit). */
  everyDays?: number;
  seed?: number;
  /** MGRS tile id used in file names (default T32TNS). */
  tile?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticStack {
  dir: string;
  dates: string[];
  files: string[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

type Cover = { ndvi: (doy: number, years: number) => number; brightness: number };

function logistic(doy: number, sos: number, eos: number, base: number, amp: number): number {
  return base + amp * (1 / (1 + Math.exp(-(doy - sos) / 8)) - 1 / (1 + Math.exp(-(doy - eos) / 10)));
}

/** Write the stack into `dir`; returns the dates and files written. */
export async function generateSentinel2Stack(
  dir: string,
  options: SyntheticStackOptions = {},
): Promise<SyntheticStack> {
  const w = options.width ?? 64;
  const h = options.height ?? 64;
  const r = rng(options.seed ?? 1);
  const tile = options.tile ?? "T32TNS";
  const t0 = Date.parse(`${options.start ?? "2021-01-01"}T00:00:00Z`);
  const end = new Date(t0);
  end.setUTCMonth(end.getUTCMonth() + (options.months ?? 24));
  const step = (options.everyDays ?? 5) * 86_400_000;
  await mkdir(dir, { recursive: true });

  // land cover: 0 town, 1 forest, 2 river, 3+ fields
  const covers: Cover[] = [
    { ndvi: () => 0.12, brightness: 0.3 },
    { ndvi: (d, y) => logistic(d, 110, 290, 0.55, 0.3) + 0.02 * y, brightness: 0.32 },
    { ndvi: () => -0.3, brightness: 0.06 },
  ];
  const fieldsX = 6;
  const fieldsY = 5;
  for (let i = 0; i < fieldsX * fieldsY; i++) {
    const kind = Math.floor(r() * 3);
    const trend = (r() - 0.5) * 0.2;
    const shift = Math.floor((r() - 0.5) * 30);
    const [sos, eos, base, amp] =
      kind === 0 ? [80, 190, 0.18, 0.65] : kind === 1 ? [150, 260, 0.15, 0.7] : [70, 300, 0.35, 0.35];
    covers.push({
      ndvi: (d, y) => logistic(d, sos + shift, eos + shift, base, amp) + trend * y,
      brightness: 0.3 + r() * 0.08,
    });
  }
  const cover = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const river = Math.abs(x - (w * 0.7 + Math.sin(y / 6) * 3)) < 1.6;
      const town = x < w * 0.25 && y < h * 0.25;
      const forest = (x - w * 0.2) ** 2 + (y - h * 0.75) ** 2 < (Math.min(w, h) * 0.22) ** 2;
      const field = 3 + Math.floor((x / w) * fieldsX) + fieldsX * Math.floor((y / h) * fieldsY);
      cover[y * w + x] = river ? 2 : town ? 0 : forest ? 1 : field;
    }
  }

  const dates: string[] = [];
  const files: string[] = [];
  const total = Math.ceil((end.getTime() - t0) / step);
  for (let t = t0, k = 0; t < end.getTime(); t += step, k++) {
    const date = new Date(t);
    const doy = (t - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000 + 1;
    const years = (t - t0) / (365.25 * 86_400_000);
    const red = NDArray.zeros([h, w], "uint16");
    const nir = NDArray.zeros([h, w], "uint16");
    const cld = NDArray.zeros([h, w], "uint8");
    const blobs =
      r() < 0.45
        ? Array.from({ length: 1 + Math.floor(r() * 4) }, () => [
            r() * w,
            r() * h,
            4 + r() * Math.min(w, h) * 0.3,
          ])
        : [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const c = covers[cover[i] as number] as Cover;
        const n = Math.max(-0.9, Math.min(0.95, c.ndvi(doy, years) + (r() - 0.5) * 0.04));
        const b = c.brightness * (0.95 + r() * 0.1);
        let rr = (b * (1 - n)) / 2;
        let nn = (b * (1 + n)) / 2;
        let p = 0;
        for (const [cx, cy, rad] of blobs)
          p = Math.max(
            p,
            Math.exp(-(((x - (cx as number)) ** 2 + (y - (cy as number)) ** 2) / (rad as number) ** 2)),
          );
        const prob = Math.round(100 * p);
        if (prob > 30) {
          const a = Math.min(1, (prob - 30) / 40);
          rr = rr * (1 - a) + (0.45 + r() * 0.05) * a;
          nn = nn * (1 - a) + (0.47 + r() * 0.05) * a;
        }
        (red.data as Uint16Array)[i] = Math.round(Math.max(0, rr) * 10000);
        (nir.data as Uint16Array)[i] = Math.round(Math.max(0, nn) * 10000);
        (cld.data as Uint8Array)[i] = prob;
      }
    }
    const stamp = date.toISOString().slice(0, 10).replaceAll("-", "");
    const geo = {
      epsg: 32632,
      origin: [600000, 5100000] as [number, number],
      pixelSize: [10, 10] as [number, number],
    };
    for (const [band, arr] of [
      ["B04", red],
      ["B08", nir],
      ["CLD", cld],
    ] as const) {
      const file = join(dir, `S2A_MSIL2A_${stamp}_${tile}_${band}.tif`);
      await writeFile(file, writeGeoTiff(arr, geo));
      files.push(file);
    }
    dates.push(date.toISOString().slice(0, 10));
    options.onProgress?.(k + 1, total);
  }
  return { dir, dates, files };
}

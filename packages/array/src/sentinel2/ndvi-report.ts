/**
 * The NDVI use case end to end: load a Sentinel-2 stack directory, run {@link ndviAnalysis},
 * write the plots (map of the mean composite, map of the trend, time series), the monthly
 * composites as Zarr, and a JSON summary. Shared by `meridian ndvi` and examples/ndvi.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Dataset } from "../dataset.js";
import { writeZarrDirectory } from "../zarr-directory.js";
import { type NdviOptions, ndviAnalysis } from "./ndvi.js";
import { renderMapPng, timeSeriesSvg } from "./plots.js";
import { openSentinel2Stack } from "./stack-reader.js";

export interface NdviReportOptions extends NdviOptions {
  input: string;
  output: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface NdviSummary {
  acquisitions: number;
  months: number;
  shape: { time: number; y: number; x: number };
  crs: unknown;
  meanNdvi: number;
  trendPerYear: { min: number; median: number; max: number };
  series: { month: string; ndvi: number | null }[];
  files: string[];
  seconds: { load: number; analysis: number; write: number };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Run the use case on `input`, writing into `output`. */
export async function ndviReport(options: NdviReportOptions): Promise<NdviSummary> {
  const t0 = performance.now();
  const ds = await openSentinel2Stack(options.input, {
    onProgress: (d, n) => options.onProgress?.("load", d, n),
  });
  const t1 = performance.now();
  const r = ndviAnalysis(ds, options);
  const t2 = performance.now();
  await mkdir(options.output, { recursive: true });
  const files: string[] = [];
  const meanMap = r.monthly.mean("time");
  const put = async (name: string, bytes: Uint8Array | string) => {
    const f = join(options.output, name);
    await writeFile(f, bytes);
    files.push(f);
  };
  await put("ndvi-mean.png", renderMapPng(meanMap, { vmin: -0.2, vmax: 0.9, colormap: "viridis" }));
  await put("ndvi-trend.png", renderMapPng(r.trend, { vmin: -0.15, vmax: 0.15, colormap: "RdBu" }));
  const times = r.series.coord("time").numbers();
  const rawTimes = r.ndvi.coord("time").numbers();
  await put(
    "ndvi-series.svg",
    timeSeriesSvg(
      [
        { label: "monthly composite", t: [...times], values: [...r.series.data.toFloat64()] },
        {
          label: "12-month rolling mean",
          t: [...times],
          values: [...r.annual.mean(["y", "x"]).data.toFloat64()],
          color: "#b2182b",
        },
        {
          label: "each acquisition",
          t: [...rawTimes],
          values: [...r.ndvi.mean(["y", "x"]).data.toFloat64()],
          color: "#999999",
        },
      ],
      { title: "Scene-mean NDVI (clouds masked)", ylabel: "NDVI", ymin: -0.1, ymax: 0.9 },
    ),
  );
  const zarr = join(options.output, "ndvi-monthly.zarr");
  await writeZarrDirectory(
    zarr,
    new Dataset(
      { ndvi: r.monthly, ndvi_trend: r.trend },
      { attrs: { source: options.input, crs: String(ds.attrs.crs ?? "") } },
    ),
  );
  files.push(zarr);
  const tr = [...r.trend.data.toFloat64()].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const summary: NdviSummary = {
    acquisitions: ds.sizes.time as number,
    months: r.monthly.sizes.time as number,
    shape: { time: ds.sizes.time as number, y: ds.sizes.y as number, x: ds.sizes.x as number },
    crs: ds.attrs.crs,
    meanNdvi: meanMap.mean().value(),
    trendPerYear: {
      min: tr[0] ?? NaN,
      median: tr[Math.floor(tr.length / 2)] ?? NaN,
      max: tr[tr.length - 1] ?? NaN,
    },
    series: [...times].map((t, i) => ({
      month: new Date(t).toISOString().slice(0, 7),
      ndvi: finite(r.series.data.toFloat64()[i] as number),
    })),
    files,
    seconds: { load: (t1 - t0) / 1000, analysis: (t2 - t1) / 1000, write: (performance.now() - t2) / 1000 },
  };
  await put("summary.json", `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/**
 * The NDVI analysis: NDVI = (B08 − B04) / (B08 + B04) (Rouse et al. 1974), cloudy pixels
 * (CLD ≥ threshold) masked, monthly composites (mean of the clear observations of each calendar
 * month), the per-pixel linear trend (NDVI per year) of the 12-month centred rolling mean of the
 * composites (which removes the seasonal cycle; months with too few clear observations are NaN and
 * a window needs 9 of its 12 months), and the scene-mean time series.
 */
import type { DataArray } from "../data-array.js";
import type { Dataset } from "../dataset.js";
import { linearTrend } from "../trend.js";

export interface NdviOptions {
  /** Cloud probability (CLD, 0–100) at or above which a pixel is masked (default 40). */
  cloudThreshold?: number;
  /** Resample frequency of the composites (default "MS", calendar months). */
  frequency?: string;
}

export interface NdviResult {
  /** (time, y, x) NDVI with clouds masked (NaN). */
  ndvi: DataArray;
  /** (time, y, x) monthly mean composites. */
  monthly: DataArray;
  /** (time, y, x) 12-month centred rolling mean of the composites (seasonal cycle removed). */
  annual: DataArray;
  /** (y, x) slope of `annual`, NDVI per year. */
  trend: DataArray;
  /** (time) scene mean of each monthly composite. */
  series: DataArray;
  /** (time) fraction of clear pixels per acquisition. */
  clearFraction: DataArray;
}

/** Run the analysis on a (time, y, x) Dataset with B04, B08 and CLD. */
export function ndviAnalysis(ds: Dataset, options: NdviOptions = {}): NdviResult {
  const red = ds.get("B04");
  const nir = ds.get("B08");
  const clear = ds.get("CLD").lt(options.cloudThreshold ?? 40);
  const ndvi = nir.sub(red).div(nir.add(red)).where(clear).rename("ndvi");
  const monthly = ndvi
    .resample({ time: options.frequency ?? "MS" })
    .mean()
    .rename("ndvi");
  const annual = monthly.rolling({ time: 12 }, { center: true, minPeriods: 9 }).mean().rename("ndvi");
  const trend = linearTrend(annual, "time").rename("ndvi_trend");
  const series = monthly.mean(["y", "x"]).rename("ndvi");
  const clearFraction = clear.astype("float64").mean(["y", "x"]).rename("clear_fraction");
  return { ndvi, monthly, annual, trend, series, clearFraction };
}

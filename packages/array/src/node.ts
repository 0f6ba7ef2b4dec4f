/**
 * Node-only parts of @meridian/array: Zarr directories, GeoTIFF and FITS files.
 *
 * @module
 */

export type { ReadGeoTiffOptions, WriteGeoTiffOptions } from "./geotiff.js";
export { readGeoTiff, writeGeoTiff } from "./geotiff.js";
export type { LazyWindows } from "./lazy/data-window.js";
export type { LazyReducer } from "./lazy/lazy-array.js";
export { chunkIndices, LazyArray, readNpyHeader } from "./lazy/lazy-array.js";
export type { LazyGroups } from "./lazy/lazy-data-array.js";
export { LazyDataArray } from "./lazy/lazy-data-array.js";
export type { ReadNetcdfOptions } from "./netcdf.js";
export { readNetcdf } from "./netcdf.js";
export type { NdviOptions, NdviResult } from "./sentinel2/ndvi.js";
export { ndviAnalysis } from "./sentinel2/ndvi.js";
export type { NdviReportOptions, NdviSummary } from "./sentinel2/ndvi-report.js";
export { ndviReport } from "./sentinel2/ndvi-report.js";
export type { MapOptions, SeriesLine } from "./sentinel2/plots.js";
export { renderMapPng, timeSeriesSvg } from "./sentinel2/plots.js";
export type { OpenStackOptions } from "./sentinel2/stack-reader.js";
export { openSentinel2Stack } from "./sentinel2/stack-reader.js";
export type { SyntheticStack, SyntheticStackOptions } from "./sentinel2/synthetic-stack.js";
export { generateSentinel2Stack } from "./sentinel2/synthetic-stack.js";
export {
  directoryStore,
  listDirectoryArrays,
  readZarrDirectory,
  writeZarrDirectory,
} from "./zarr-directory.js";

/**
 * Node-only parts of @meridian/array: Zarr directories, GeoTIFF and FITS files.
 *
 * @module
 */

export type { LazyReducer } from "./lazy/lazy-array.js";
export { chunkIndices, LazyArray, readNpyHeader } from "./lazy/lazy-array.js";
export type { LazyGroups } from "./lazy/lazy-data-array.js";
export { LazyDataArray } from "./lazy/lazy-data-array.js";
export {
  directoryStore,
  listDirectoryArrays,
  readZarrDirectory,
  writeZarrDirectory,
} from "./zarr-directory.js";

/**
 * Node-only parts of @meridian/array: Zarr directories, GeoTIFF and FITS files.
 *
 * @module
 */
export {
  directoryStore,
  listDirectoryArrays,
  readZarrDirectory,
  writeZarrDirectory,
} from "./zarr-directory.js";

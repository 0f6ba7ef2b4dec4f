/**
 * @meridian/array: n-dimensional arrays with numpy dtypes and strided views, labeled
 * DataArray/Dataset with xarray semantics (named dimensions, coordinates, alignment, NaN-aware
 * reductions, groupby, resample, rolling, coarsen), fused element-wise kernels, and lazy chunked
 * arrays that run on @meridian/compute.
 *
 * ```ts
 * import { DataArray, NDArray } from "@meridian/array";
 * const red = new DataArray(NDArray.from([[0.1, 0.2], [0.3, 0.4]]), ["y", "x"]);
 * const nir = new DataArray(NDArray.from([[0.5, 0.6], [0.7, 0.8]]), ["y", "x"]);
 * const ndvi = nir.sub(red).div(nir.add(red));
 * ndvi.mean("x").values(); // per-row mean NDVI
 * ```
 *
 * @module
 */
export type { ComplexBinary, ComplexUnary } from "./complex.js";
export { complexBinary, complexUnary } from "./complex.js";
export type { CoordInput, Label } from "./coordinate.js";
export { Coordinate } from "./coordinate.js";
export type { DataArrayOptions, LabelIndexer, Operand, PositionalIndexer } from "./data-array.js";
export { align, concat, DataArray, resultDType, unionDims, viewOn } from "./data-array.js";
export { concatDatasets, Dataset, merge } from "./dataset.js";
export type { Complex, DType, Scalar, Storage } from "./dtype.js";
export {
  allocate,
  asDType,
  checkFits,
  DTYPES,
  dtypeKind,
  floatResult,
  isBigIntDType,
  isComplexDType,
  isFloatDType,
  isIntegerDType,
  itemSize,
  promote,
  promoteScalar,
} from "./dtype.js";
export type { ArrayErrorCode, ArrayErrorOptions } from "./errors.js";
export { ArrayError, isArrayError } from "./errors.js";
export type { BinaryOp, Expr, UnaryOp } from "./expression.js";
export { BINARY, exprSource, UNARY } from "./expression.js";
export type { ReadFitsImageOptions } from "./fits-image.js";
export { fitsImageArray, readFitsImage } from "./fits-image.js";
export type { Frequency, TimeComponent } from "./group-by.js";
export { GroupBy, groupBy, resample, timeBins, timeComponent } from "./group-by.js";
export { broadcastShapes, evaluate } from "./kernel.js";
export { MemoryStore } from "./memory-store.js";
export type { AxisIndex, Nested, Order, Slice } from "./ndarray.js";
export { assign, concatArrays, contiguousStrides, NDArray, sizeOf } from "./ndarray.js";
export type { ReduceOptions, Reducer } from "./reduce.js";
export { moments, quantileSorted, reduce, reduceDType, reduceValues } from "./reduce.js";
export type { CoarsenOptions, RollingOptions } from "./window.js";
export { Coarsen, coarsen, Rolling, rolling } from "./window.js";
export type { ReadZarrOptions, WriteZarrOptions, ZarrReadStore, ZarrWriteStore } from "./zarr.js";
export {
  cfTimeScale,
  listZarrArrays,
  openZarrArray,
  readZarr,
  toDataset,
  writeZarr,
  ZarrArray,
} from "./zarr.js";
export type { ZarrArrayInfo } from "./zarr-metadata.js";
export { parseV2, parseV3, v2DTypeString } from "./zarr-metadata.js";

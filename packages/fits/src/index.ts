/**
 * @meridian/fits — FITS read/write, WCS, image statistics, scaling, colormaps, rendering.
 * Pure: runs in browsers and Node (file access in `@meridian/fits/node`).
 *
 * @example
 * ```ts
 * import { FitsFile, httpSource, writeFits } from "@meridian/fits";
 * const fits = await FitsFile.open(await httpSource("https://example.org/cube.fits"));
 * const { axes, data } = await fits.readImage(0, { plane: 3 }); // axes NAXIS1 first
 * const bytes = writeFits([{ data, axes }]); // with CHECKSUM/DATASUM
 * ```
 */

export type { AsciiColumn, AsciiColumnData } from "./ascii-table.js";
export { asciiColumns, readAsciiTable } from "./ascii-table.js";
export type {
  BinaryColumn,
  ColumnValues,
  ReadTableOptions,
  TableData,
  Tform,
  TformType,
} from "./bintable.js";
export { binaryColumns, parseTform, readBinaryTable } from "./bintable.js";
export type { ByteRun, ByteSource } from "./byte-source.js";
export { bufferSource, gatherRuns, readExactly } from "./byte-source.js";
export type { LinearScaling } from "./bzero-scaling.js";
export { applyScaling, scaledType } from "./bzero-scaling.js";
export { addSums, checksumOf, encodeChecksum, OnesComplementSum } from "./checksum.js";
export { COLORMAP_NAMES, colormap, colormapIndex } from "./colormap.js";
export type { CompressedImageInfo, CompressionType } from "./compressed-image.js";
export { compressedImageInfo, readCompressedImage } from "./compressed-image.js";
export type { NumericArray } from "./cube.js";
export { cubePlane, cubeSpectrum } from "./cube.js";
export type { QuantizeMethod } from "./dither.js";
export { DITHER_ZERO_VALUE, ditherSequence, unquantize } from "./dither.js";
export type { Bitpix, ElementType, FitsArray } from "./element-type.js";
export {
  allocate,
  bitpixType,
  checkBitpix,
  decodeBigEndian,
  elementSize,
  encodeBigEndian,
  typeOfArray,
} from "./element-type.js";
export type { FitsErrorCode, FitsErrorLocation } from "./errors.js";
export { FitsError, isFitsError } from "./errors.js";
export type { HduSelector, OpenOptions } from "./fits-file.js";
export { FitsFile, isGzip } from "./fits-file.js";
export { hdecompress } from "./hcompress.js";
export type { HduInfo, HduKind } from "./hdu-layout.js";
export { layoutHdu, paddedLength } from "./hdu-layout.js";
export type {
  Card,
  CardValueType,
  FitsComplex,
  HeaderLocation,
  HeaderValue,
  ParsedHeader,
  SetCardOptions,
} from "./header.js";
export {
  BLOCK_SIZE,
  CARD_SIZE,
  cardImages,
  findEndCard,
  formatFloat,
  Header,
  makeCard,
  parseCard,
  parseHeaderBytes,
  parseHeaderText,
} from "./header.js";
export type { HttpSourceOptions } from "./http-source.js";
export { httpSource } from "./http-source.js";
export type { ImageStats, ImageStatsOptions, PixelArray } from "./image-stats.js";
export {
  finiteValues,
  imageStats,
  percentileInPlace,
  percentiles,
  quickselect,
  toNumberArray,
} from "./image-stats.js";
export type { IntervalSpec } from "./interval.js";
export { intervalLimits, parseInterval } from "./interval.js";
export { plioDecode } from "./plio.js";
export type { PngColor, PngOptions } from "./png.js";
export { crc32, encodePng } from "./png.js";
export { createProjection, PROJECTION_CODES } from "./projections/create-projection.js";
export type { Point2, Projection, ProjectionParameters } from "./projections/projection.js";
export type { DownsampleMethod, PyramidLevel, PyramidOptions, RegionReader } from "./pyramid.js";
export { buildPyramid, downsample, pyramidTile, readPyramidTile, tileGrid } from "./pyramid.js";
export type { RandomGroups } from "./random-groups.js";
export { readRandomGroups } from "./random-groups.js";
export type { ImageData, ImageSection, ReadImageOptions } from "./read-image.js";
export { imageScaling, readImageData, resolveSection, sectionRuns } from "./read-image.js";
export type { RenderedImage, RenderOptions } from "./render.js";
export { renderImage, renderPng } from "./render.js";
export { riceDecode } from "./rice.js";
export type { KeywordSource, Sip } from "./sip.js";
export { readSip, sipForward, sipInverse } from "./sip.js";
export type { SpectralType } from "./spectral.js";
export {
  airToVacuum,
  derivativeByFrequency,
  fromFrequency,
  isSpectralType,
  PLANCK,
  SPEED_OF_LIGHT,
  SpectralAxis,
  toFrequency,
  vacuumToAir,
} from "./spectral.js";
export type { StretchFunction, StretchSpec } from "./stretch.js";
export { makeStretch, normalize, parseStretch, STRETCH_NAMES } from "./stretch.js";
export type { Tpv } from "./tpv.js";
export { readTpv, tpvForward, tpvInverse } from "./tpv.js";
export type { FileVerification, HduVerification, SumStatus } from "./verify-fits.js";
export { verifyFits } from "./verify-fits.js";
export type { AxisKind, CelestialFrame, WcsAxis, WcsOptions } from "./wcs.js";
export { parseWcs, Wcs } from "./wcs.js";
export type { CelestialRotation, SphericalPair } from "./wcs-celestial.js";
export { celestialRotation, celestialToNative, nativeToCelestial } from "./wcs-celestial.js";
export type { DssPlate } from "./wcs-dss.js";
export { dssPixelToSky, dssSkyToPixel, readDssPlate } from "./wcs-dss.js";
export type { Footprint, FootprintOptions } from "./wcs-footprint.js";
export { skyFrame, wcsFootprint } from "./wcs-footprint.js";
export type {
  HduInput,
  ImageHduInput,
  RawHduInput,
  TableColumnInput,
  TableHduInput,
  WriteOptions,
} from "./write-fits.js";
export { addChecksum, writeFits } from "./write-fits.js";
export type { ZScaleOptions } from "./zscale.js";
export { zscale } from "./zscale.js";

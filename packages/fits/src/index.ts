/**
 * @meridian/fits — FITS read/write, WCS, image statistics, scaling, colormaps, rendering.
 * Pure: runs in browsers and Node.
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
export type { RandomGroups } from "./random-groups.js";
export { readRandomGroups } from "./random-groups.js";
export type { ImageData, ImageSection, ReadImageOptions } from "./read-image.js";
export { imageScaling, readImageData, resolveSection, sectionRuns } from "./read-image.js";

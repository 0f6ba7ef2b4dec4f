/**
 * @meridian/fits — FITS read/write, WCS, image statistics, scaling, colormaps, rendering.
 * Pure: runs in browsers and Node.
 */

export type { FitsErrorCode, FitsErrorLocation } from "./errors.js";
export { FitsError, isFitsError } from "./errors.js";
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

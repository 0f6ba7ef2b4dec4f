/**
 * @meridian/sky — angles, time scales, frames, sphere geometry, regions, HEALPix, MOC, cross-match.
 * Pure: runs in browsers and Node.
 *
 * @example
 * ```ts
 * import { parseAngle, formatSexagesimal } from "@meridian/sky";
 * const ra = parseAngle("12h34m42.5s"); // 188.677083… degrees
 * formatSexagesimal(ra, { unit: "hour", precision: 1 }); // "12:34:42.5"
 * ```
 */

// angles
export {
  type FormatSexagesimalOptions,
  formatSexagesimal,
  type SexagesimalSeparators,
  wrap180,
  wrap360,
} from "./angle-format.js";
export {
  type AngleUnit,
  type ParseAngleOptions,
  parseAngle,
  parseLatitude,
  toDegrees,
} from "./angle-parse.js";
// errors
export { isSkyError, SkyError, type SkyErrorCode, type SkyErrorOptions } from "./errors.js";
// HEALPix (Górski et al. 2005): number API exact to order 24, `…Big` bigint API to order 29
export {
  ang2pix,
  ang2pixBig,
  HEALPIX_MAX_NUMBER_ORDER,
  HEALPIX_MAX_ORDER,
  type HealpixScheme,
  healpixNpix,
  healpixNside,
  healpixPixelArea,
  type LonLat,
  nest2ring,
  pix2ang,
  ring2nest,
} from "./healpix.js";
// units
export * from "./units.js";

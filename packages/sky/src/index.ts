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
// units
export * from "./units.js";

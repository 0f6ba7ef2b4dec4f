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

// horizontal coordinates
export {
  type AltAz,
  type AltAzOptions,
  type Atmosphere,
  altAzToIcrs,
  icrsToAltAz,
  icrsToAltAzArrays,
  icrsToAltAzMany,
  type Observer,
  refractionConstants,
} from "./altaz.js";
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
export { type ParseCoordinatesOptions, parseCoordinates } from "./coordinates-parse.js";
// cross-match (kd-tree on unit vectors)
export {
  crossMatchNearest,
  crossMatchWithin,
  type NearestMatch,
  type PairMatch,
  SkyIndex,
  type SkyPositions,
  toUnitVectors,
  type UnitVectors,
} from "./cross-match.js";
// time
export { EOP_FIRST_MJD, EOP_LAST_MJD, polarMotion, ut1MinusUtc } from "./earth-orientation.js";
// errors
export { isSkyError, SkyError, type SkyErrorCode, type SkyErrorOptions } from "./errors.js";
// frames
export {
  besselianPrecessionMatrix,
  convertPosition,
  convertPositions,
  convertVector,
  type Frame,
  type FrameName,
  formatFrame,
  fromIcrs,
  icrsToEclipticMatrix,
  icrsToFk5Matrix,
  icrsToTrueEclipticMatrix,
  parseFrame,
  toIcrs,
} from "./frames.js";
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
export {
  ang2pixArray,
  ang2pixArrayBig,
  nest2ringArray,
  pix2angArray,
  ring2nestArray,
} from "./healpix-array.js";
export { neighbours, pixelBoundaries, pixelBoundaryVectors } from "./healpix-neighbours.js";
export {
  lonLatToVec,
  maxPixelRadius,
  type QueryOptions,
  queryBox,
  queryDisc,
  queryPolygon,
  unionRanges,
} from "./healpix-query.js";
export { HealpixRanges } from "./healpix-ranges.js";
export { KdTree3 } from "./kd-tree.js";
export { LEAP_SECONDS_VALID_UNTIL, leapSecondTable, taiMinusUtc, utcDayLength } from "./leap-seconds.js";
// MOC 2.0 (IVOA 2022): spatial coverage maps, set operations, ASCII/JSON/FITS
export {
  cellToUniq,
  MOC_MAX_ORDER,
  Moc,
  type MocCell,
  uniqToCell,
} from "./moc.js";
export { type MocAsciiOptions, mocToAscii, parseMocAscii } from "./moc-ascii.js";
export {
  type ContainsRegion,
  type MocBuildOptions,
  mocFromBox,
  mocFromContains,
  mocFromConvexPolygon,
  mocFromDisc,
  mocFromRegion,
} from "./moc-build.js";
export { mocToFits, parseMocFits } from "./moc-fits.js";
export { mocToJson, parseMocJson } from "./moc-json.js";
export {
  equationOfEquinoxes,
  meanObliquity2006,
  npbMatrix,
  nutation2000B,
  precessionMatrix2006,
  ttCenturies,
} from "./precession-nutation.js";
// regions
export {
  arcsCross,
  asPolygon,
  type BoxRegion,
  boundingCircle,
  box,
  boxCorners,
  type CircleRegion,
  circle,
  containsVector,
  type EllipseRegion,
  ellipse,
  type LonLatPair,
  type PolygonInterior,
  type PolygonRegion,
  polygon,
  type RangeRegion,
  type Region,
  range,
  regionArea,
  regionContains,
  regionContainsMany,
  regionSolidAngle,
  validateRegion,
} from "./region.js";
export {
  type CompoundRegion,
  formatStcsShape,
  isCompoundRegion,
  mocFromShape,
  parseStcsShape,
  type SkyShape,
  shapeContains,
} from "./region-compound.js";
export {
  type Ds9Shape,
  type FormatDs9Options,
  formatDs9,
  type ParseDs9Options,
  parseDs9,
} from "./region-ds9.js";
export { pointArcDistance, regionContainsRegion, regionsOverlap } from "./region-overlap.js";
export { formatStcs, parseStcs } from "./region-stcs.js";
export {
  earthRotationAngle,
  greenwichApparentSiderealTime,
  greenwichMeanSiderealTime,
  localMeanSiderealTime,
  localSiderealTime,
} from "./sidereal-time.js";
export { type Astrometry, type PropagatedAstrometry, propagateSpaceMotion } from "./space-motion.js";
// sphere geometry
export {
  midpoint,
  offsetByAngle,
  offsetFrameMatrix,
  positionAngle,
  rotateAbout,
  separation,
  sphericalOffsetsBy,
  sphericalOffsetsTo,
  vectorSeparation,
} from "./sphere-geometry.js";
export { calendarToMjd, mjdToCalendar, Time, type TimeScale, type Ut1Options } from "./time.js";
// units
export * from "./units.js";
// vectors and rotations
export {
  apply,
  axisAngleMatrix,
  chain,
  cross,
  dot,
  IDENTITY,
  lonLatToVector,
  type Matrix3,
  multiply,
  norm,
  normalize,
  rotationX,
  rotationY,
  rotationZ,
  transpose,
  type Vector3,
  vectorToLonLat,
} from "./vector3.js";
export { type SkyWarningHandler, setSkyWarningHandler } from "./warnings.js";

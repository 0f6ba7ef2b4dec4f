/**
 * @meridian/plan — observability of targets from a site (on astronomy-engine) and satellite checks
 * (on satellite.js). Pure: runs in browsers and Node.
 *
 * @example
 * ```ts
 * import { nightSpan, parseSite, planNight, resolveTarget } from "@meridian/plan";
 * const site = parseSite("-24.627,-70.404,2635");
 * const plan = planNight([resolveTarget("M 83")], site, nightSpan("2022-06-21", site.longitude));
 * plan.targets[0]?.bestWindow; // { start, end } in Unix ms UTC
 * ```
 */

export { airmassKastenYoung, airmassSecZ, altitudeForAirmass } from "./airmass.js";
export { type AirmassChartOptions, airmassChartSvg } from "./airmass-chart-svg.js";
export {
  type AltAzGrid,
  type AltAzGridOptions,
  altAzGrid,
  apparentTargetVectors,
  type FixedTargets,
} from "./altaz-grid.js";
export {
  type BodyObject,
  type CatalogueObject,
  lookupName,
  nameKey,
  type ResolvedObject,
  resolveName,
  suggestNames,
} from "./catalogue.js";
export {
  applyConstraints,
  type Constraints,
  maskWindows,
  sunLimit,
  TWILIGHT_SUN_ALTITUDE,
  type Twilight,
} from "./constraints.js";
export { type Crossing, findCrossings, findTransits } from "./crossings.js";
export { editDistance } from "./edit-distance.js";
export { isPlanError, PlanError, type PlanErrorCode, type PlanErrorOptions } from "./errors.js";
export {
  clipSegment,
  type FieldShape,
  fieldHalfAngle,
  gnomonic,
  parseFieldShape,
  type TangentBasis,
  tangentBasis,
} from "./field-of-view.js";
export {
  gastDegrees,
  type HorizonFrameOptions,
  horizonMatrices,
  localSiderealDegrees,
  type MatrixStack,
  precessionNutationMatrix,
  siteHorizonPosition,
} from "./horizon-frame.js";
export {
  type HorizonProfile,
  horizonAltitude,
  makeHorizonProfile,
  parseHorizonProfile,
} from "./horizon-profile.js";
export { nightSpan, parseTime, type TimeSpan, timeGrid } from "./night.js";
export { detectElementFormat, parseOmmCsv, parseOmmJson, parseOmmXml } from "./omm.js";
export {
  constraintsDocument,
  crossingDocument,
  isoSecond,
  type NightDoc,
  nightDocument,
  satcheckDocument,
  type TargetDoc,
  type TargetSampleDoc,
  targetDocument,
  yearlyDocument,
} from "./plan-document.js";
export {
  type NightEvents,
  type NightPlan,
  type NightSummary,
  nightSummary,
  type PlanOptions,
  planNight,
  type TargetPlan,
} from "./plan-night.js";
export {
  type RefractionConstants,
  refractionConstants,
  refractUnitVector,
  type Weather,
} from "./refraction.js";
export {
  type Pointing,
  type SatCheckRequest,
  type SatCheckResult,
  type SatCheckStats,
  type SatelliteCrossing,
  satcheck,
  type TrackPoint,
} from "./satcheck.js";
export { type ElementsUsed, parseElements, SatelliteCatalogue } from "./satellite-catalogue.js";
export { julianDate, SatelliteFrame, siteItrf, vectorToRaDec } from "./satellite-frames.js";
export { type KnownSite, listKnownSites, makeSite, parseSite, resolveSite, type Site } from "./site.js";
export {
  elementsFromMeanAnomaly,
  heliocentricPosition,
  type OrbitalElements,
  type OrbitObject,
  orbitGeocentricKm,
} from "./small-body.js";
export {
  type BodyTrack,
  bodyTrack,
  type GeocentricPosition,
  moonIllumination,
  SOLAR_SYSTEM_BODIES,
  type SolarSystemBody,
  vectorsToAltAz,
} from "./solar-system.js";
export { isSunlit, sunDirectionTeme } from "./sunlit.js";
export { parseCoordinates, parseTargetList, resolveTarget, type Target } from "./target.js";
export {
  type ElementSet,
  parseTle,
  type TleParseResult,
  type TleProblem,
  tleChecksum,
  tleEpoch,
} from "./tle.js";
export { type YearlyObservability, yearlyObservability } from "./yearly.js";

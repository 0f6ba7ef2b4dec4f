/**
 * Branded unit types and unit constants. A brand is a compile-time tag only: at run time every
 * value is a plain `number`. Convert between units with the constants, and brand a number with the
 * constructor of its unit (`degrees(12.5)`).
 */

declare const degreesBrand: unique symbol;
declare const radiansBrand: unique symbol;
declare const arcsecBrand: unique symbol;
declare const arcminBrand: unique symbol;
declare const masBrand: unique symbol;
declare const hoursBrand: unique symbol;
declare const jdBrand: unique symbol;
declare const mjdBrand: unique symbol;
declare const secondsBrand: unique symbol;
declare const metersBrand: unique symbol;

/** An angle in degrees. */
export type Degrees = number & { readonly [degreesBrand]: true };
/** An angle in radians. */
export type Radians = number & { readonly [radiansBrand]: true };
/** An angle in arcseconds. */
export type Arcsec = number & { readonly [arcsecBrand]: true };
/** An angle in arcminutes. */
export type Arcmin = number & { readonly [arcminBrand]: true };
/** An angle in milliarcseconds. */
export type Mas = number & { readonly [masBrand]: true };
/** An angle (or hour angle / right ascension) in hours: 24 h = 360°. */
export type Hours = number & { readonly [hoursBrand]: true };
/** A Julian Date in days (the time scale is given by context: UTC, TT, TAI, UT1, TDB). */
export type Jd = number & { readonly [jdBrand]: true };
/** A Modified Julian Date in days: JD − 2400000.5. */
export type Mjd = number & { readonly [mjdBrand]: true };
/** A duration in SI seconds. */
export type Seconds = number & { readonly [secondsBrand]: true };
/** A length in metres. */
export type Meters = number & { readonly [metersBrand]: true };

/** Brand a number as {@link Degrees}. */
export const degrees = (x: number): Degrees => x as Degrees;
/** Brand a number as {@link Radians}. */
export const radians = (x: number): Radians => x as Radians;
/** Brand a number as {@link Arcsec}. */
export const arcsec = (x: number): Arcsec => x as Arcsec;
/** Brand a number as {@link Arcmin}. */
export const arcmin = (x: number): Arcmin => x as Arcmin;
/** Brand a number as {@link Mas}. */
export const mas = (x: number): Mas => x as Mas;
/** Brand a number as {@link Hours}. */
export const hours = (x: number): Hours => x as Hours;
/** Brand a number as {@link Jd}. */
export const jd = (x: number): Jd => x as Jd;
/** Brand a number as {@link Mjd}. */
export const mjd = (x: number): Mjd => x as Mjd;
/** Brand a number as {@link Seconds}. */
export const seconds = (x: number): Seconds => x as Seconds;
/** Brand a number as {@link Meters}. */
export const meters = (x: number): Meters => x as Meters;

/** Radians per degree (π/180). */
export const RAD_PER_DEG = Math.PI / 180;
/** Degrees per radian (180/π). */
export const DEG_PER_RAD = 180 / Math.PI;
/** Arcseconds per degree. */
export const ARCSEC_PER_DEG = 3600;
/** Arcminutes per degree. */
export const ARCMIN_PER_DEG = 60;
/** Arcseconds per radian (648000/π). */
export const ARCSEC_PER_RAD = 648000 / Math.PI;
/** Milliarcseconds per radian. */
export const MAS_PER_RAD = 648000000 / Math.PI;
/** Degrees per hour of right ascension or hour angle. */
export const DEG_PER_HOUR = 15;
/** Full turn in radians (2π). */
export const TWO_PI = 2 * Math.PI;
/** Seconds per day (SI day of 86400 s). */
export const SECONDS_PER_DAY = 86400;
/** Days per Julian year. */
export const DAYS_PER_JULIAN_YEAR = 365.25;
/** Days per Julian century. */
export const DAYS_PER_JULIAN_CENTURY = 36525;
/** Days per tropical year used by Besselian epochs (Lieske 1979). */
export const DAYS_PER_TROPICAL_YEAR = 365.242198781;
/** JD of MJD 0 (1858-11-17T00:00). */
export const MJD_ZERO_JD = 2400000.5;
/** JD of the J2000.0 epoch (2000-01-01T12:00 TT). */
export const J2000_JD = 2451545.0;
/** MJD of the J2000.0 epoch. */
export const J2000_MJD = 51544.5;
/** JD of the Unix epoch (1970-01-01T00:00 UTC). */
export const UNIX_EPOCH_JD = 2440587.5;
/** TT − TAI in seconds (exact, IAU 1991). */
export const TT_MINUS_TAI_SECONDS = 32.184;
/** Astronomical unit in metres (IAU 2012 B2, exact). */
export const METERS_PER_AU = 149597870700;
/** Parsec in astronomical units (648000/π, IAU 2015 B2). */
export const AU_PER_PARSEC = 648000 / Math.PI;
/** Speed of light in m/s (exact). */
export const SPEED_OF_LIGHT_M_PER_S = 299792458;
/** WGS84 equatorial radius in metres. */
export const WGS84_A_METERS = 6378137;
/** WGS84 flattening. */
export const WGS84_F = 1 / 298.257223563;

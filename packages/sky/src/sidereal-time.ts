/**
 * Earth rotation angle and sidereal time: ERA (IAU 2000, IERS Conventions 2010 eq. 5.15),
 * GMST (IAU 2006, ERA-based, Capitaine et al. 2003; IERS 2010 eq. 5.32), GAST = GMST + equation
 * of the equinoxes (IAU 2006/2000B: within 2 mas (0.13 ms of time) of IAU 2006/2000A over 1973–2022 in our fixtures), LST = GAST + longitude.
 */
import { equationOfEquinoxes, ttCenturies } from "./precession-nutation.js";
import type { Time, Ut1Options } from "./time.js";
import {
  ARCSEC_PER_RAD,
  type Degrees,
  J2000_MJD,
  RAD_PER_DEG,
  type Radians,
  radians,
  TWO_PI,
} from "./units.js";

function wrap(a: number): number {
  const w = a % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}

/** Earth rotation angle (radians, [0, 2π)) at `t`; UT1 from `options.dut1` or the IERS table. */
export function earthRotationAngle(t: Time, options: Ut1Options = {}): Radians {
  const ut1 = t.to("ut1", options);
  // Whole days add whole turns: split Tu = days + fraction to keep precision (IERS 2010 eq. 5.15).
  const days = ut1.day - J2000_MJD;
  const frac = ut1.seconds / 86400;
  const tu = days + frac;
  return radians(wrap(TWO_PI * ((days % 1) + frac + 0.779057273264 + 0.00273781191135448 * tu)));
}

/** Greenwich mean sidereal time, IAU 2006 (radians, [0, 2π)). */
export function greenwichMeanSiderealTime(t: Time, options: Ut1Options = {}): Radians {
  const tc = ttCenturies(t);
  const poly =
    (0.014506 +
      (4612.156534 + (1.3915817 + (-0.00000044 + (-0.000029956 - 0.0000000368 * tc) * tc) * tc) * tc) * tc) /
    ARCSEC_PER_RAD;
  return radians(wrap(earthRotationAngle(t, options) + poly));
}

/** Greenwich apparent sidereal time, IAU 2006/2000B (radians, [0, 2π)). */
export function greenwichApparentSiderealTime(t: Time, options: Ut1Options = {}): Radians {
  return radians(wrap(greenwichMeanSiderealTime(t, options) + equationOfEquinoxes(ttCenturies(t))));
}

/** Local apparent sidereal time at east longitude `longitude` (degrees), radians in [0, 2π). */
export function localSiderealTime(t: Time, longitude: Degrees | number, options: Ut1Options = {}): Radians {
  return radians(wrap(greenwichApparentSiderealTime(t, options) + longitude * RAD_PER_DEG));
}

/** Local mean sidereal time at east longitude `longitude` (degrees), radians in [0, 2π). */
export function localMeanSiderealTime(
  t: Time,
  longitude: Degrees | number,
  options: Ut1Options = {},
): Radians {
  return radians(wrap(greenwichMeanSiderealTime(t, options) + longitude * RAD_PER_DEG));
}

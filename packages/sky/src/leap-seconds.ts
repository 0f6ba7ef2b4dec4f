/**
 * TAI − UTC from the committed IERS Bulletin C table. Dates after the table's validity date are
 * answered with the last known value and trigger one warning (see {@link setSkyWarningHandler}).
 */
import { SkyError } from "./errors.js";
import { LEAP_SECONDS, LEAP_SECONDS_VALID_UNTIL } from "./leap-second-table.js";
import { warnOnce } from "./warnings.js";

export { LEAP_SECONDS_VALID_UNTIL };

/** First MJD of the leap-second table (1972-01-01). */
export const FIRST_MJD = LEAP_SECONDS[0]![0];
// MJD of LEAP_SECONDS_VALID_UNTIL (0h UTC), from the ISO date.
const VALID_UNTIL_MJD = Date.parse(`${LEAP_SECONDS_VALID_UNTIL}T00:00:00Z`) / 86400000 + 40587;

function check(mjd: number): void {
  if (!(mjd >= FIRST_MJD)) {
    throw new SkyError(
      "OUT_OF_RANGE",
      `UTC before 1972-01-01 (MJD ${FIRST_MJD}) is not supported: TAI−UTC was not an integer number of seconds (MJD ${mjd})`,
    );
  }
  if (mjd > VALID_UNTIL_MJD) {
    warnOnce(
      "leap-seconds-expired",
      `leap-second table is valid until ${LEAP_SECONDS_VALID_UNTIL}; later UTC dates assume no new leap second`,
    );
  }
}

/**
 * TAI − UTC in seconds at 0h UTC of the UTC day `mjdDay` (an integer MJD).
 * @throws SkyError `OUT_OF_RANGE` before 1972-01-01.
 */
export function taiMinusUtc(mjdDay: number): number {
  check(mjdDay);
  let value = LEAP_SECONDS[0]![1];
  for (const [mjd, d] of LEAP_SECONDS) {
    if (mjd > mjdDay) break;
    value = d;
  }
  return value;
}

/** Length in SI seconds of the UTC day `mjdDay`: 86401 when a leap second ends it. */
export function utcDayLength(mjdDay: number): number {
  // Before the table, days are treated as 86400 s so instants can be normalised; converting them throws.
  if (mjdDay < FIRST_MJD) return 86400;
  return 86400 + taiMinusUtc(mjdDay + 1) - taiMinusUtc(mjdDay);
}

/** Every leap-second step: `[mjd, taiMinusUtc]`, from 0h UTC of `mjd` on. */
export function leapSecondTable(): readonly (readonly [number, number])[] {
  return LEAP_SECONDS;
}

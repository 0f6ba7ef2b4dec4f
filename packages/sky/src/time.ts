/**
 * Instants in the time scales UTC, TAI, TT and UT1, held as an integer MJD day plus seconds into
 * that day of the scale, so that microseconds survive over centuries (a single float64 JD keeps
 * only ~40 µs). UTC days that end with a leap second are 86401 s long; JD/MJD values of UTC follow
 * the SOFA/ERFA "quasi-JD" convention (the day fraction of a leap-second day is seconds / 86401).
 */

import { ut1MinusUtc } from "./earth-orientation.js";
import { SkyError, skyParseError } from "./errors.js";
import { FIRST_MJD, taiMinusUtc, utcDayLength } from "./leap-seconds.js";
import {
  jd as brandJd,
  mjd as brandMjd,
  DAYS_PER_JULIAN_YEAR,
  DAYS_PER_TROPICAL_YEAR,
  J2000_JD,
  type Jd,
  MJD_ZERO_JD,
  type Mjd,
  TT_MINUS_TAI_SECONDS,
} from "./units.js";

/** Supported time scales. */
export type TimeScale = "utc" | "tai" | "tt" | "ut1";

/** Options for conversions that involve UT1. */
export interface Ut1Options {
  /** UT1 − UTC in seconds; by default interpolated from the committed IERS C04 table. */
  dut1?: number;
}

const SCALES: readonly TimeScale[] = ["utc", "tai", "tt", "ut1"];
/** JD of the Besselian epoch B1900.0 (Lieske 1979). */
const B1900_JD = 2415020.31352;

/** Days from MJD 0 to the Gregorian calendar date (proleptic), Fliegel & Van Flandern 1968. */
export function calendarToMjd(year: number, month: number, day: number): number {
  const a = Math.trunc((month - 14) / 12);
  const jdn =
    Math.trunc((1461 * (year + 4800 + a)) / 4) +
    Math.trunc((367 * (month - 2 - 12 * a)) / 12) -
    Math.trunc((3 * Math.trunc((year + 4900 + a) / 100)) / 4) +
    day -
    32075;
  return jdn - 2400001;
}

/** Gregorian calendar date of the integer MJD `mjd` (Fliegel & Van Flandern 1968, inverse). */
export function mjdToCalendar(mjd: number): [year: number, month: number, day: number] {
  let l = mjd + 2400001 + 68569;
  const n = Math.trunc((4 * l) / 146097);
  l -= Math.trunc((146097 * n + 3) / 4);
  const i = Math.trunc((4000 * (l + 1)) / 1461001);
  l = l - Math.trunc((1461 * i) / 4) + 31;
  const j = Math.trunc((80 * l) / 2447);
  const day = l - Math.trunc((2447 * j) / 80);
  l = Math.trunc(j / 11);
  return [100 * (n - 49) + i + l, j + 2 - 12 * l, day];
}

const ISO_RE =
  /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/;

/** An instant in one of the {@link TimeScale}s. Immutable. */
export class Time {
  /** The scale the instant is expressed in. */
  readonly scale: TimeScale;
  /** Integer MJD of the day (in this scale). */
  readonly day: number;
  /** Seconds since the start of `day` (in this scale); below 86401 on a UTC leap-second day. */
  readonly seconds: number;

  private constructor(scale: TimeScale, day: number, seconds: number) {
    this.scale = scale;
    this.day = day;
    this.seconds = seconds;
  }

  /** Build from a day and seconds, normalising seconds into the day. */
  static fromDaySeconds(day: number, seconds: number, scale: TimeScale = "utc"): Time {
    if (!SCALES.includes(scale)) throw new SkyError("INVALID_ARGUMENT", `unknown time scale "${scale}"`);
    if (!Number.isFinite(day) || !Number.isFinite(seconds)) {
      throw new SkyError("INVALID_ARGUMENT", `time must be finite (day ${day}, seconds ${seconds})`);
    }
    let d = Math.floor(day);
    let s = seconds + (day - d) * dayLength(scale, d);
    const k = Math.floor(s / 86400);
    if (scale !== "utc") return new Time(scale, d + k, s - k * 86400);
    // UTC: jump whole days counting the leap seconds between, then settle on the day.
    if (k !== 0) {
      s -= k * 86400 + (taiMinusUtc(Math.max(d + k, FIRST_MJD)) - taiMinusUtc(Math.max(d, FIRST_MJD)));
      d += k;
    }
    while (s < 0) {
      d -= 1;
      s += utcDayLength(d);
    }
    while (s >= utcDayLength(d)) {
      s -= utcDayLength(d);
      d += 1;
    }
    return new Time(scale, d, s);
  }

  /** Build from a two-part Julian Date (`jd1 + jd2`, any split) in `scale`. */
  static fromJd(jd1: number, scale: TimeScale = "utc", jd2 = 0): Time {
    const a = jd1 - MJD_ZERO_JD;
    const da = Math.floor(a);
    const db = Math.floor(jd2);
    let day = da + db;
    let frac = a - da + (jd2 - db);
    if (frac >= 1) {
      day += 1;
      frac -= 1;
    }
    return Time.fromDaySeconds(day, frac * dayLength(scale, day), scale);
  }

  /** Build from a Modified Julian Date in `scale`. */
  static fromMjd(mjd: number, scale: TimeScale = "utc"): Time {
    const day = Math.floor(mjd);
    return Time.fromDaySeconds(day, (mjd - day) * dayLength(scale, day), scale);
  }

  /** Build from Unix time: seconds since 1970-01-01T00:00 UTC not counting leap seconds. */
  static fromUnix(unixSeconds: number): Time {
    const days = Math.floor(unixSeconds / 86400);
    const day = 40587 + days;
    const frac = (unixSeconds - days * 86400) / 86400;
    return Time.fromDaySeconds(day, frac * utcDayLength(day), "utc");
  }

  /** Build from a JavaScript `Date` (UTC, millisecond resolution). */
  static fromDate(date: Date): Time {
    return Time.fromUnix(date.getTime() / 1000);
  }

  /** Build from a Julian epoch (`2000.0` = J2000.0 = JD 2451545.0), by default in TT. */
  static fromJulianEpoch(epoch: number, scale: TimeScale = "tt"): Time {
    return fromMjdParts(51544, 0.5, (epoch - 2000) * DAYS_PER_JULIAN_YEAR, scale);
  }

  /** Build from a Besselian epoch (`1950.0` = B1950.0), by default in TT (Lieske 1979). */
  static fromBesselianEpoch(epoch: number, scale: TimeScale = "tt"): Time {
    return fromMjdParts(15019, 0.81352, (epoch - 1900) * DAYS_PER_TROPICAL_YEAR, scale);
  }

  /**
   * Parse ISO 8601 (`2024-03-01T12:34:56.789`, `2024-03-01 12:34`, `2024-03-01`, with `Z` or an
   * offset such as `+02:00` for UTC) and Julian/Besselian epochs (`J2000`, `B1950.0`).
   * A UTC leap second is written `23:59:60.x`.
   * @throws SkyError `PARSE_TIME` pointing at the offending character.
   */
  static parse(text: string, scale?: TimeScale): Time {
    const epoch = /^\s*([JB])(\d+(?:\.\d*)?)\s*$/.exec(text);
    if (epoch) {
      const value = Number(epoch[2]);
      return epoch[1] === "J"
        ? Time.fromJulianEpoch(value, scale ?? "tt")
        : Time.fromBesselianEpoch(value, scale ?? "tt");
    }
    return parseIso(text, scale ?? "utc");
  }

  /** This instant in another scale. UT1 uses `options.dut1` or the committed IERS table. */
  to(scale: TimeScale, options: Ut1Options = {}): Time {
    if (scale === this.scale) return this;
    if (scale === "ut1") {
      const utc = this.to("utc");
      // Inside a leap second UT1 continues smoothly: ΔUT1 keeps its value from before the step.
      const dut1 = options.dut1 ?? ut1MinusUtc(utc.day + utc.seconds / utcDayLength(utc.day));
      return Time.fromDaySeconds(utc.day, utc.seconds + dut1, "ut1");
    }
    if (this.scale === "ut1") {
      // Invert UT1 = UTC + dut1(UTC) by iteration (dut1 changes by ms per day).
      let utcSeconds = this.seconds - (options.dut1 ?? ut1MinusUtc(this.day + this.seconds / 86400));
      if (options.dut1 === undefined) {
        for (let k = 0; k < 3; k++) {
          utcSeconds = this.seconds - ut1MinusUtc(this.day + utcSeconds / 86400);
        }
      }
      return Time.fromDaySeconds(this.day, utcSeconds, "utc").to(scale, options);
    }
    // Go through TAI.
    let tai: Time;
    if (this.scale === "tai") tai = this;
    else if (this.scale === "tt")
      tai = Time.fromDaySeconds(this.day, this.seconds - TT_MINUS_TAI_SECONDS, "tai");
    else tai = Time.fromDaySeconds(this.day, this.seconds + taiMinusUtc(this.day), "tai");
    if (scale === "tai") return tai;
    if (scale === "tt") return Time.fromDaySeconds(tai.day, tai.seconds + TT_MINUS_TAI_SECONDS, "tt");
    return taiToUtc(tai);
  }

  /** Shorthand for `to("utc")`. */
  utc(): Time {
    return this.to("utc");
  }
  /** Shorthand for `to("tai")`. */
  tai(): Time {
    return this.to("tai");
  }
  /** Shorthand for `to("tt")`. */
  tt(): Time {
    return this.to("tt");
  }
  /** Shorthand for `to("ut1", options)`. */
  ut1(options: Ut1Options = {}): Time {
    return this.to("ut1", options);
  }

  /** Shift by `seconds` SI seconds (in UTC, leap seconds are counted). */
  add(seconds: number): Time {
    if (this.scale === "utc") {
      const tai = this.to("tai");
      return Time.fromDaySeconds(tai.day, tai.seconds + seconds, "tai").to("utc");
    }
    return Time.fromDaySeconds(this.day, this.seconds + seconds, this.scale);
  }

  /** `this − other` in SI seconds (both converted to TAI unless both are UT1). */
  diff(other: Time): number {
    if (this.scale === "ut1" && other.scale === "ut1") {
      return (this.day - other.day) * 86400 + (this.seconds - other.seconds);
    }
    const a = this.to("tai");
    const b = other.to("tai");
    return (a.day - b.day) * 86400 + (a.seconds - b.seconds);
  }

  /** Two-part Julian Date `[jd1, jd2]`: jd1 is the day at 0h (…​.5), jd2 the fraction of the day. */
  jd2(): [number, number] {
    return [this.day + MJD_ZERO_JD, this.seconds / dayLength(this.scale, this.day)];
  }

  /** Julian Date (one float64: ~40 µs resolution; use {@link Time.jd2} for more). */
  jd(): Jd {
    const [a, b] = this.jd2();
    return brandJd(a + b);
  }

  /** Modified Julian Date (one float64: ~1 µs resolution today). */
  mjd(): Mjd {
    return brandMjd(this.day + this.seconds / dayLength(this.scale, this.day));
  }

  /** Unix time in seconds (UTC, leap seconds not counted). */
  unix(): number {
    const u = this.to("utc");
    return (u.day - 40587) * 86400 + (u.seconds * 86400) / utcDayLength(u.day);
  }

  /** JavaScript `Date` (UTC, millisecond resolution). */
  toDate(): Date {
    return new Date(Math.round(this.unix() * 1000));
  }

  /** Julian epoch of this instant in its own scale (J2000.0 = 2000.0). */
  julianEpoch(): number {
    return (
      2000 +
      (this.day + MJD_ZERO_JD - J2000_JD + this.seconds / dayLength(this.scale, this.day)) /
        DAYS_PER_JULIAN_YEAR
    );
  }

  /** Besselian epoch of this instant in its own scale (Lieske 1979). */
  besselianEpoch(): number {
    return (
      1900 +
      (this.day + MJD_ZERO_JD - B1900_JD + this.seconds / dayLength(this.scale, this.day)) /
        DAYS_PER_TROPICAL_YEAR
    );
  }

  /** ISO 8601 text in this scale, `precision` decimals of seconds (default 3), no zone suffix. */
  iso(precision = 3): string {
    const p = Math.max(0, Math.min(9, Math.floor(precision)));
    const scale = 10 ** p;
    let day = this.day;
    let units = Math.round(this.seconds * scale);
    const len = dayLength(this.scale, day);
    if (units >= len * scale) {
      units -= len * scale;
      day += 1;
    }
    const [y, mo, d] = mjdToCalendar(day);
    const totalSeconds = Math.floor(units / scale);
    const frac = units - totalSeconds * scale;
    // A leap second (86400 ≤ s < 86401) is written 23:59:60.
    const h = Math.min(23, Math.floor(totalSeconds / 3600));
    const mi = Math.min(59, Math.floor((totalSeconds - h * 3600) / 60));
    const s = totalSeconds - h * 3600 - mi * 60;
    const pad = (v: number, n = 2) => String(v).padStart(n, "0");
    const yearText = y < 0 ? `-${pad(-y, 4)}` : y > 9999 ? `+${y}` : pad(y, 4);
    return `${yearText}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${p > 0 ? `.${pad(frac, p)}` : ""}`;
  }

  /** ISO 8601 text with the scale, e.g. `2024-03-01T12:00:00.000 UTC`. */
  toString(): string {
    return `${this.iso()} ${this.scale.toUpperCase()}`;
  }
}

// MJD = day + frac + offset, keeping the integer days apart so the fraction keeps its precision.
function fromMjdParts(day: number, frac: number, offsetDays: number, scale: TimeScale): Time {
  const whole = Math.floor(offsetDays);
  return Time.fromDaySeconds(day + whole, (frac + (offsetDays - whole)) * 86400, scale);
}

function parseIso(text: string, scale: TimeScale): Time {
  const m = ISO_RE.exec(text);
  if (!m) throw skyParseError("PARSE_TIME", "time", text, isoFailurePosition(text));
  const [, y, mo, d, hh, mm, ss, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const dayOfMonth = Number(d);
  const pos = (group: string | undefined, from = 0) => text.indexOf(group ?? "", from);
  if (month < 1 || month > 12)
    throw skyParseError("PARSE_TIME", "time", text, pos(mo, 4), "month out of range");
  const day = calendarToMjd(year, month, dayOfMonth);
  if (mjdToCalendar(day)[2] !== dayOfMonth || dayOfMonth < 1) {
    throw skyParseError("PARSE_TIME", "time", text, pos(d, 7), `no day ${dayOfMonth} in month ${month}`);
  }
  const h = Number(hh ?? 0);
  const mi = Number(mm ?? 0);
  const s = Number(ss ?? 0);
  if (h > 23) throw skyParseError("PARSE_TIME", "time", text, pos(hh, 9), "hour out of range");
  if (mi > 59) throw skyParseError("PARSE_TIME", "time", text, pos(mm, 12), "minute out of range");
  const allowed = scale === "utc" && h === 23 && mi === 59 ? utcDayLength(day) - 86340 : 60;
  if (s >= allowed) {
    throw skyParseError("PARSE_TIME", "time", text, pos(ss, 15), `second ${s} out of range on this day`);
  }
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== "Z") {
    if (scale !== "utc") {
      throw skyParseError("PARSE_TIME", "time", text, pos(zone, 10), "a UTC offset needs the utc scale");
    }
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return Time.fromDaySeconds(day, h * 3600 + mi * 60 + s - offsetMinutes * 60, scale);
}

function dayLength(scale: TimeScale, day: number): number {
  return scale === "utc" ? utcDayLength(day) : 86400;
}

// TAI → UTC. UTC day D starts at TAI D·86400 s + (TAI−UTC)(D) (IERS Bulletin C steps), so the
// instant lies in UTC day D, or in day D−1 (possibly a 86401 s day) just before that start.
function taiToUtc(tai: Time): Time {
  const s = tai.seconds - taiMinusUtc(tai.day);
  if (s >= 0) return Time.fromDaySeconds(tai.day, s, "utc");
  return Time.fromDaySeconds(tai.day - 1, tai.seconds + 86400 - taiMinusUtc(tai.day - 1), "utc");
}

function isoFailurePosition(text: string): number {
  // Longest prefix of a valid ISO form: report the first character that breaks it.
  const template = "dddd-dd-ddTdd:dd:dd";
  let i = 0;
  while (text[i] === " ") i++;
  const start = i;
  if (text[i] === "+" || text[i] === "-") i++;
  for (let k = 0; k < template.length && i < text.length; k++, i++) {
    const want = template[k]!;
    const c = text[i]!;
    if (want === "d" ? !(c >= "0" && c <= "9") : want === "T" ? c !== "T" && c !== " " : c !== want) return i;
  }
  if (i === start) return start;
  if (text[i] === ".") {
    i++;
    while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
  }
  return Math.min(i, text.length);
}

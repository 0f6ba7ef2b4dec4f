/**
 * Parsing of angle text as astronomers type it: sexagesimal with markers (`12h34m42.5s`,
 * `12d34m42s`, `12°34′42″`), sexagesimal with separators (`12:34:42.5`, `12 34 42.5`), decimals
 * with a unit (`188.675d`, `3arcmin`, `30"`, `1.5e-3rad`) and bare numbers. A bare number or a
 * sexagesimal without markers is hours or degrees only when the caller says so: it is never
 * guessed.
 */
import { skyParseError } from "./errors.js";
import { type Degrees, degrees } from "./units.js";

/** Unit of an angle given as a bare number. */
export type AngleUnit = "deg" | "hour" | "rad" | "arcmin" | "arcsec" | "mas";

/** How to read parts of the text that carry no unit of their own. */
export interface ParseAngleOptions {
  /** Unit of a bare number (`188.675`) and, unless `sexagesimal` is given, of a bare sexagesimal. */
  unit?: AngleUnit;
  /** Unit of the first field of a sexagesimal written with `:` or spaces (`12:34:42.5`). */
  sexagesimal?: "hour" | "deg";
}

type Marker = "h" | "d" | "m" | "am" | "s" | "as" | "rad" | "mas";

// Longest first, so `arcmin` wins over `a…` and `''` over `'`.
const MARKERS: readonly (readonly [string, Marker])[] = [
  ["arcmin", "am"],
  ["arcsec", "as"],
  ["degrees", "d"],
  ["degree", "d"],
  ["hours", "h"],
  ["hour", "h"],
  ["amin", "am"],
  ["asec", "as"],
  ["deg", "d"],
  ["mas", "mas"],
  ["rad", "rad"],
  ["hr", "h"],
  ["''", "as"],
  ["h", "h"],
  ["ʰ", "h"],
  ["d", "d"],
  ["°", "d"],
  ["º", "d"],
  ["m", "m"],
  ["ᵐ", "m"],
  ["s", "s"],
  ["ˢ", "s"],
  ["'", "am"],
  ["′", "am"],
  ["’", "am"],
  ['"', "as"],
  ["″", "as"],
  ["”", "as"],
];

interface Field {
  value: number;
  start: number;
  end: number;
  integer: boolean;
  exponent: boolean;
  marker: Marker | undefined;
  markerStart: number;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";
const isSpace = (c: string | undefined): boolean =>
  c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\u00a0";
const isLetter = (c: string | undefined): boolean => c !== undefined && /^[a-zA-Z]$/.test(c);

function markerAt(text: string, i: number): readonly [number, Marker] | undefined {
  for (const [word, marker] of MARKERS) {
    if (text.startsWith(word, i) || text.slice(i, i + word.length).toLowerCase() === word) {
      // A word marker must not run into more letters (`12dx`).
      if (isLetter(word[word.length - 1]) && isLetter(text[i + word.length])) continue;
      return [word.length, marker];
    }
  }
  return undefined;
}

/**
 * Parse angle text to degrees.
 *
 * Accepted: `12h34m42.5s` (hours), `12d34m42s`, `12°34'42"`, `12°34′42″` (degrees),
 * `12:34:42.5` and `12 34 42.5` (need `sexagesimal` or `unit` = `"hour"`/`"deg"`),
 * `-00:30:00` (the sign applies to the whole angle, also when the first field is zero),
 * `188.675d`, `188.675deg`, `188.675°`, `12.5h`, `3arcmin`, `3'`, `30"`, `30arcsec`, `5mas`,
 * `1.5e-3rad`, and a bare number when `unit` says what it is.
 *
 * @returns the angle in degrees (not normalised).
 * @throws SkyError `PARSE_ANGLE` whose `position` is the 0-based index of the offending character.
 */
export function parseAngle(text: string, options: ParseAngleOptions = {}): Degrees {
  const fail = (pos: number, detail?: string) => skyParseError("PARSE_ANGLE", "angle", text, pos, detail);
  let i = 0;
  while (isSpace(text[i])) i++;
  let sign = 1;
  if (text[i] === "+" || text[i] === "-" || text[i] === "−") {
    if (text[i] !== "+") sign = -1;
    i++;
    while (isSpace(text[i])) i++;
  }
  const fields: Field[] = [];
  let separatorSeen = false;
  for (;;) {
    const start = i;
    let integer = true;
    let exponent = false;
    while (isDigit(text[i])) i++;
    if (text[i] === ".") {
      integer = false;
      i++;
      while (isDigit(text[i])) i++;
    }
    if (i === start || (i === start + 1 && text[start] === ".")) throw fail(start);
    if (
      (text[i] === "e" || text[i] === "E") &&
      (isDigit(text[i + 1]) || /^[+-]\d/.test(text.slice(i + 1, i + 3)))
    ) {
      exponent = true;
      integer = false;
      i += 2;
      while (isDigit(text[i])) i++;
    }
    const value = Number(text.slice(start, i));
    let j = i;
    while (isSpace(text[j])) j++;
    const m = markerAt(text, j);
    let marker: Marker | undefined;
    let markerStart = j;
    if (m !== undefined) {
      marker = m[1];
      markerStart = j;
      i = j + m[0];
    }
    fields.push({ value, start, end: i, integer, exponent, marker, markerStart });
    // Separator to the next field.
    let k = i;
    while (isSpace(text[k])) k++;
    if (k >= text.length) {
      i = k;
      break;
    }
    if (text[k] === ":") {
      if (marker !== undefined) throw fail(k, `":" after a unit marker at character ${k + 1}`);
      separatorSeen = true;
      k++;
      while (isSpace(text[k])) k++;
    } else if (k === i && marker === undefined) {
      throw fail(k);
    }
    if (!isDigit(text[k]) && text[k] !== ".") throw fail(k);
    if (fields.length === 3)
      throw fail(k, `too many fields: unexpected ${JSON.stringify(text[k])} at character ${k + 1}`);
    i = k;
  }

  const first = fields[0]!;
  if (fields.length === 1) {
    if (first.marker === "m" || first.marker === "s") {
      throw fail(
        first.markerStart,
        `"${text[first.markerStart]}" at character ${first.markerStart + 1} is ambiguous alone (minutes of time or of arc?); write arcmin/arcsec or a full h/d form`,
      );
    }
    const unit = first.marker === undefined ? options.unit : markerUnit(first.marker);
    if (unit === undefined) {
      throw fail(
        first.start,
        `a bare number at character ${first.start + 1} needs a unit (hours or degrees are not guessed): write e.g. "${text.trim()}d" or "${text.trim()}h"`,
      );
    }
    return degrees(sign * toDegrees(first.value, unit));
  }

  // Sexagesimal: two or three fields.
  for (const f of fields) {
    if (f.exponent)
      throw fail(f.start, `exponent not allowed in a sexagesimal field at character ${f.start + 1}`);
  }
  let firstUnit: "hour" | "deg";
  const markers = fields.map((f) => f.marker);
  if (markers.every((mk) => mk === undefined)) {
    const u = options.sexagesimal ?? options.unit;
    if (u !== "hour" && u !== "deg") {
      throw fail(
        first.start,
        `the sexagesimal at character ${first.start + 1} has no h/d markers: declare it hours or degrees (it is not guessed)`,
      );
    }
    firstUnit = u;
  } else {
    if (separatorSeen) {
      const f = fields.find((x) => x.marker !== undefined)!;
      throw fail(f.markerStart, `mixed ":" separators and unit markers at character ${f.markerStart + 1}`);
    }
    if (first.marker === "h") firstUnit = "hour";
    else if (first.marker === "d") firstUnit = "deg";
    else
      throw fail(
        first.marker === undefined ? first.end : first.markerStart,
        `first field needs "h" or "d"/"°" at character ${(first.marker === undefined ? first.end : first.markerStart) + 1}`,
      );
    const allowed: readonly (readonly Marker[])[] =
      firstUnit === "hour" ? [["h"], ["m"], ["s"]] : [["d"], ["m", "am"], ["s", "as"]];
    for (let n = 1; n < fields.length; n++) {
      const f = fields[n]!;
      const isLast = n === fields.length - 1;
      if (f.marker === undefined ? !isLast : !allowed[n]!.includes(f.marker)) {
        const pos = f.marker === undefined ? f.end : f.markerStart;
        throw fail(
          pos,
          `field ${n + 1} needs ${allowed[n]!.map((x) => markerText(x)).join(" or ")} at character ${pos + 1}`,
        );
      }
    }
  }
  for (let n = 0; n < fields.length; n++) {
    const f = fields[n]!;
    if (n < fields.length - 1 && !f.integer) {
      throw fail(f.start, `only the last field may have a fraction (character ${f.start + 1})`);
    }
    if (n > 0 && f.value >= 60)
      throw fail(f.start, `field ${n + 1} must be below 60 (character ${f.start + 1})`);
  }
  const value = first.value + (fields[1]?.value ?? 0) / 60 + (fields[2]?.value ?? 0) / 3600;
  return degrees(sign * (firstUnit === "hour" ? value * 15 : value));
}

function markerUnit(marker: Marker): AngleUnit {
  switch (marker) {
    case "h":
      return "hour";
    case "d":
      return "deg";
    case "am":
    case "m":
      return "arcmin";
    case "as":
    case "s":
      return "arcsec";
    case "rad":
      return "rad";
    case "mas":
      return "mas";
  }
}

function markerText(marker: Marker): string {
  return { h: "h", d: "d", m: "m", am: "'", s: "s", as: '"', rad: "rad", mas: "mas" }[marker];
}

/** Convert `value` in `unit` to degrees. */
export function toDegrees(value: number, unit: AngleUnit): Degrees {
  switch (unit) {
    case "deg":
      return degrees(value);
    case "hour":
      return degrees(value * 15);
    case "rad":
      return degrees((value * 180) / Math.PI);
    case "arcmin":
      return degrees(value / 60);
    case "arcsec":
      return degrees(value / 3600);
    case "mas":
      return degrees(value / 3.6e6);
  }
}

/**
 * Parse a latitude-like angle (declination, galactic latitude) and check it lies in [−90°, +90°].
 * Bare numbers and bare sexagesimal are degrees.
 * @throws SkyError `PARSE_ANGLE`.
 */
export function parseLatitude(text: string, options: ParseAngleOptions = {}): Degrees {
  const value = parseAngle(text, { unit: "deg", sexagesimal: "deg", ...options });
  if (!(Math.abs(value) <= 90)) {
    const start = text.length - text.trimStart().length;
    throw skyParseError("PARSE_ANGLE", "latitude", text, start, `latitude ${value}° is outside [-90°, 90°]`);
  }
  return value;
}

/**
 * Parsing of a coordinate pair typed as one string: `12:34:42.5 +47:22:52`, `12h34m42.5s
 * +47d22m52s`, `188.677 47.381`, `188.677,47.381`, `12 34 42.5 +47 22 52`. The longitude's bare
 * sexagesimal unit is the caller's choice (`lonSexagesimal`: hours for RA by default); a bare
 * decimal longitude is degrees; the latitude is always degrees.
 */
import { parseAngle, parseLatitude } from "./angle-parse.js";
import { isSkyError, skyParseError } from "./errors.js";
import type { Degrees } from "./units.js";

/** Options of {@link parseCoordinates}. */
export interface ParseCoordinatesOptions {
  /** Unit of a longitude written as bare sexagesimal (`12:34:42.5`): `"hour"` (default) or `"deg"`. */
  lonSexagesimal?: "hour" | "deg";
}

/**
 * Parse a longitude/latitude pair (degrees out).
 * @throws SkyError `PARSE_COORDINATES` pointing at the offending character.
 */
export function parseCoordinates(
  text: string,
  options: ParseCoordinatesOptions = {},
): [lon: Degrees, lat: Degrees] {
  const lonOpts = { unit: "deg" as const, sexagesimal: options.lonSexagesimal ?? "hour" };
  const fail = (pos: number, detail?: string) =>
    skyParseError("PARSE_COORDINATES", "coordinates", text, pos, detail);
  const comma = text.indexOf(",");
  const attempt = (lonText: string, latText: string, latOffset: number): [Degrees, Degrees] => {
    let lon: Degrees;
    try {
      lon = parseAngle(lonText, lonOpts);
    } catch (err) {
      if (isSkyError(err)) throw fail(err.position ?? 0, `longitude: ${err.message}`);
      throw err;
    }
    try {
      return [lon, parseLatitude(latText)];
    } catch (err) {
      if (isSkyError(err)) throw fail(latOffset + (err.position ?? 0), `latitude: ${err.message}`);
      throw err;
    }
  };
  if (comma >= 0) return attempt(text.slice(0, comma), text.slice(comma + 1), comma + 1);
  // Split between whitespace-separated tokens; try the middle first, then splits where the
  // latitude starts with a sign, then the rest.
  const tokens: { start: number; end: number }[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    tokens.push({ start: m.index, end: m.index + m[0].length });
  if (tokens.length < 2) throw fail(tokens[0]?.end ?? text.length, "expected a longitude and a latitude");
  const order: number[] = [];
  const mid = Math.floor(tokens.length / 2);
  order.push(mid);
  for (let k = 1; k < tokens.length; k++)
    if (/^[+\-−]/.test(text.slice(tokens[k]!.start)) && k !== mid) order.push(k);
  for (let k = 1; k < tokens.length; k++) if (!order.includes(k)) order.push(k);
  let first: unknown;
  for (const k of order) {
    const cut = tokens[k]!.start;
    try {
      return attempt(text.slice(0, cut), text.slice(cut), cut);
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}

/**
 * Targets: a name (bundled catalogues, Solar System bodies) or coordinates `RA Dec` — RA as
 * sexagesimal hours (`12:34:56.7`, `12h34m56.7s`) or decimal degrees (`188.7`), Dec in degrees
 * (`+12:34:56`, `12.58`). A target list is CSV with `name,ra,dec` columns (header optional;
 * `ra`/`dec` may be empty to resolve by name).
 */
import { parseAngle, parseLatitude } from "@meridian/sky";
import { type ResolvedObject, resolveName } from "./catalogue.js";
import { PlanError } from "./errors.js";

/** A target ready for planning. */
export type Target = ResolvedObject;

const SEXA =
  /^\s*([+-]?\d{1,2})[\s:h]+(\d{1,2})[\s:m]+(\d{1,2}(?:\.\d*)?)s?\s+([+-−]?\d{1,2})[\s:d°]+(\d{1,2})[\s:m']+(\d{1,2}(?:\.\d*)?)["s]?\s*$/;

/** Parse `RA Dec` text into degrees, or `undefined` when it does not look like coordinates. */
export function parseCoordinates(text: string): { ra: number; dec: number } | undefined {
  const t = text.trim();
  const six = SEXA.exec(t);
  let raText: string;
  let decText: string;
  if (six) {
    raText = `${six[1]}:${six[2]}:${six[3]}`;
    decText = `${six[4]}:${six[5]}:${six[6]}`;
  } else {
    const parts = t.split(/[\s,]+/);
    if (parts.length !== 2) return undefined;
    raText = parts[0] ?? "";
    decText = parts[1] ?? "";
    if (!/^[+-]?[\d.]/.test(raText) || !/^[+-−]?[\d.]/.test(decText)) return undefined;
  }
  try {
    const ra = parseAngle(raText, { unit: "deg", sexagesimal: "hour" });
    const dec = parseLatitude(decText);
    if (!(ra >= 0 && ra < 360)) {
      throw new PlanError("PARSE_TARGET", `target "${text}": RA ${ra}° is outside [0, 360)`);
    }
    return { ra, dec };
  } catch (err) {
    if (err instanceof PlanError) throw err;
    throw new PlanError("PARSE_TARGET", `target "${text}": ${(err as Error).message}`, { cause: err });
  }
}

/** Resolve a target string (coordinates or a name). */
export function resolveTarget(text: string, name?: string): Target {
  const coords = parseCoordinates(text);
  if (coords) {
    return {
      kind: "fixed",
      name: name ?? text.trim(),
      ra: coords.ra,
      dec: coords.dec,
      aliases: [],
      source: "coordinates",
      type: "coordinates",
    };
  }
  const obj = resolveName(text);
  if (name === undefined || name === obj.name || obj.kind !== "fixed") return obj;
  return { ...obj, name, aliases: [obj.name, ...obj.aliases] };
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Parse a CSV target list (`name,ra,dec`); errors carry the line number. */
export function parseTargetList(text: string): Target[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Target[] = [];
  let cols = { name: 0, ra: 1, dec: 2 };
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const f = splitCsvLine(raw);
    const lower = f.map((x) => x.toLowerCase());
    if (out.length === 0 && lower.includes("name") && (lower.includes("ra") || lower.length === 1)) {
      cols = { name: lower.indexOf("name"), ra: lower.indexOf("ra"), dec: lower.indexOf("dec") };
      continue;
    }
    const name = f[cols.name] ?? "";
    const ra = cols.ra >= 0 ? (f[cols.ra] ?? "") : "";
    const dec = cols.dec >= 0 ? (f[cols.dec] ?? "") : "";
    try {
      if (ra !== "" && dec !== "") {
        const coords = parseCoordinates(`${ra} ${dec}`);
        if (!coords) throw new PlanError("PARSE_TARGET", `"${ra} ${dec}" is not RA Dec`);
        out.push({
          kind: "fixed",
          name: name || `${ra} ${dec}`,
          ...coords,
          aliases: [],
          source: "list",
          type: "coordinates",
        });
      } else if (name !== "") {
        out.push(resolveTarget(name));
      } else {
        throw new PlanError("PARSE_TARGET", "row has neither a name nor coordinates");
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new PlanError("PARSE_TARGET_LIST", `target list line ${i + 1}: ${msg}`, {
        line: i + 1,
        cause: err,
        ...(err instanceof PlanError ? { suggestions: err.suggestions } : {}),
      });
    }
  }
  return out;
}

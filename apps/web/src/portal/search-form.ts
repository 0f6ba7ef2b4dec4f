/**
 * The search form's text fields turned into the API's search: RA in degrees or sexagesimal hours
 * (`05:35:17.3`, `5h35m17.3s`), Dec in degrees or sexagesimal degrees, the radius in degrees or
 * with a unit (`10arcmin`, `30"`), dates as ISO 8601, header conditions one per line.
 */
import { parseAngle, parseLatitude } from "@meridian/sky";
import type { FileSearch } from "./portal-api.js";

export interface SearchFields {
  object: string;
  ra: string;
  dec: string;
  radius: string;
  from: string;
  to: string;
  filter: string;
  exptimeMin: string;
  exptimeMax: string;
  instrument: string;
  frameTypes: string[];
  dataset: string;
  header: string;
}

export const EMPTY_FIELDS: SearchFields = {
  object: "",
  ra: "",
  dec: "",
  radius: "",
  from: "",
  to: "",
  filter: "",
  exptimeMin: "",
  exptimeMax: "",
  instrument: "",
  frameTypes: [],
  dataset: "",
  header: "",
};

export const FRAME_TYPES = ["light", "bias", "dark", "flat", "arc", "other"] as const;

function number(text: string, what: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`${what}: "${t}" is not a number`);
  return n;
}

function angle(what: string, parse: () => number): number {
  try {
    return parse();
  } catch (err) {
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The API search for these fields; throws an Error naming the field when one cannot be read. */
export function toSearch(f: SearchFields): FileSearch {
  const s: FileSearch = {};
  if (f.object.trim()) s.object = f.object.trim();
  const cone = [f.ra, f.dec, f.radius].map((t) => t.trim());
  if (cone.some((t) => t !== "")) {
    if (cone.some((t) => t === "")) throw new Error("a cone needs RA, Dec and a radius");
    s.ra = angle("RA", () => parseAngle(cone[0] as string, { unit: "deg", sexagesimal: "hour" }));
    s.dec = angle("Dec", () => parseLatitude(cone[1] as string));
    s.radius = angle("Radius", () => parseAngle(cone[2] as string, { unit: "deg" }));
    if (!(s.radius > 0 && s.radius <= 180))
      throw new Error("Radius: must be above 0 and at most 180 degrees");
  }
  if (f.from.trim()) s.from = f.from.trim();
  if (f.to.trim()) s.to = f.to.trim();
  if (f.filter.trim()) s.filter = f.filter.trim();
  s.exptimeMin = number(f.exptimeMin, "Minimum exposure");
  s.exptimeMax = number(f.exptimeMax, "Maximum exposure");
  if (s.exptimeMin === undefined) delete s.exptimeMin;
  if (s.exptimeMax === undefined) delete s.exptimeMax;
  if (f.instrument.trim()) s.instrument = f.instrument.trim();
  if (f.frameTypes.length > 0) s.frameType = f.frameTypes.join(",");
  if (f.dataset) s.dataset = f.dataset;
  const header = f.header
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (header.length > 0) s.header = header;
  return s;
}

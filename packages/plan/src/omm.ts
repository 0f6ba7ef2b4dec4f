/**
 * Orbit Mean-elements Messages (CCSDS 502.0-B-3, OMM) in the three encodings CelesTrak and
 * Space-Track serve: JSON (an array of flat objects), XML (`<omm>` documents, NDM/XML) and CSV
 * (a header row of OMM keywords). Each record is checked for the keywords SGP4 needs; a bad record
 * is reported by its CSV line or 1-based record index and skipped.
 */
import { json2satrec, type OMMJsonObject, type SatRec } from "satellite.js";
import { PlanError } from "./errors.js";
import type { ElementSet, TleParseResult, TleProblem } from "./tle.js";

const REQUIRED = [
  "EPOCH",
  "MEAN_MOTION",
  "ECCENTRICITY",
  "INCLINATION",
  "RA_OF_ASC_NODE",
  "ARG_OF_PERICENTER",
  "MEAN_ANOMALY",
  "NORAD_CAT_ID",
  "BSTAR",
] as const;
const OPTIONAL_ZERO = ["MEAN_MOTION_DOT", "MEAN_MOTION_DDOT", "ELEMENT_SET_NO"] as const;

function recordToElementSet(
  rec: Record<string, unknown>,
  where: number,
  label: string,
): ElementSet | TleProblem {
  for (const key of REQUIRED) {
    const v = rec[key];
    if (v === undefined || v === null || String(v).trim() === "") {
      return { line: where, code: "MISSING", message: `${label}: keyword ${key} is missing` };
    }
    if (key !== "EPOCH" && key !== "NORAD_CAT_ID" && !Number.isFinite(Number(v))) {
      return { line: where, code: "VALUE", message: `${label}: ${key} "${String(v)}" is not a number` };
    }
  }
  const epochText = String(rec.EPOCH).trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(epochText)) {
    return {
      line: where,
      code: "VALUE",
      message: `${label}: EPOCH "${epochText}" is not an ISO 8601 UTC time`,
    };
  }
  const epoch = Date.parse(epochText.endsWith("Z") ? epochText : `${epochText}Z`);
  if (!Number.isFinite(epoch))
    return { line: where, code: "VALUE", message: `${label}: EPOCH "${epochText}" is not a valid date` };
  const norad = String(rec.NORAD_CAT_ID).trim();
  const omm: Record<string, unknown> = { ...rec, EPOCH: epochText, NORAD_CAT_ID: norad };
  for (const key of OPTIONAL_ZERO) if (omm[key] === undefined || String(omm[key]).trim() === "") omm[key] = 0;
  omm.OBJECT_NAME = String(rec.OBJECT_NAME ?? norad);
  omm.OBJECT_ID = String(rec.OBJECT_ID ?? "");
  let satrec: SatRec;
  try {
    satrec = json2satrec(omm as OMMJsonObject);
  } catch (err) {
    return {
      line: where,
      code: "SGP4_INIT",
      message: `${label}: SGP4 rejected the elements (${String(err)})`,
    };
  }
  if (satrec.error !== 0 || !Number.isFinite(satrec.no) || satrec.no <= 0) {
    return { line: where, code: "SGP4_INIT", message: `${label}: SGP4 initialisation error ${satrec.error}` };
  }
  return {
    name: String(rec.OBJECT_NAME ?? norad).trim(),
    satnum: norad,
    intlDesignator: String(rec.OBJECT_ID ?? "").trim(),
    epoch,
    sourceLine: where,
    satrec,
  };
}

function collect(items: { rec: Record<string, unknown>; where: number; label: string }[]): TleParseResult {
  const records: ElementSet[] = [];
  const problems: TleProblem[] = [];
  for (const { rec, where, label } of items) {
    const r = recordToElementSet(rec, where, label);
    if ("code" in r) problems.push(r);
    else records.push(r);
  }
  return { records, problems };
}

/** OMM JSON: an array of records or one record. Throws `PARSE_OMM` when the text is not JSON. */
export function parseOmmJson(text: string): TleParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PlanError("PARSE_OMM", `OMM JSON: ${(err as Error).message}`, { cause: err });
  }
  const list = Array.isArray(doc) ? doc : [doc];
  return collect(
    list.map((rec, i) => ({
      rec:
        rec !== null && typeof rec === "object" && !Array.isArray(rec)
          ? (rec as Record<string, unknown>)
          : {},
      where: i + 1,
      label: `OMM JSON record ${i + 1}`,
    })),
  );
}

function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** OMM XML (one `<omm>` or an `<ndm>` holding many): leaf elements become keywords. */
export function parseOmmXml(text: string): TleParseResult {
  if (!/<\s*omm[\s>]/i.test(text)) throw new PlanError("PARSE_OMM", "OMM XML: no <omm> element found");
  const blocks = text.split(/<\s*omm[\s>]/i).slice(1);
  return collect(
    blocks.map((block, i) => {
      const body = block.split(/<\/\s*omm\s*>/i)[0] ?? "";
      const rec: Record<string, unknown> = {};
      for (const m of body.matchAll(/<([A-Z_][A-Z0-9_]*)(?:\s[^>]*)?>([^<]*)<\/\1\s*>/g)) {
        const key = m[1] ?? "";
        if (!(key in rec)) rec[key] = xmlUnescape((m[2] ?? "").trim());
      }
      return { rec, where: i + 1, label: `OMM XML record ${i + 1}` };
    }),
  );
}

/** OMM CSV with a header row of keywords (CelesTrak's `FORMAT=csv`). Problems carry line numbers. */
export function parseOmmCsv(text: string): TleParseResult {
  const lines = text.split(/\r\n|\r|\n/);
  let header: string[] | undefined;
  let headerLine = 0;
  const items: { rec: Record<string, unknown>; where: number; label: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").trim();
    if (raw === "") continue;
    const fields = raw.split(",").map((f) => f.trim().replace(/^"(.*)"$/, "$1"));
    if (!header) {
      header = fields.map((f) => f.toUpperCase());
      headerLine = i + 1;
      if (!header.includes("EPOCH") || !header.includes("MEAN_MOTION")) {
        throw new PlanError("PARSE_OMM", `OMM CSV line ${headerLine}: header lacks EPOCH and MEAN_MOTION`, {
          line: headerLine,
        });
      }
      continue;
    }
    const rec: Record<string, unknown> = {};
    header.forEach((key, j) => {
      rec[key] = fields[j] ?? "";
    });
    if (fields.length !== header.length) {
      items.push({
        rec: {},
        where: i + 1,
        label: `OMM CSV line ${i + 1} has ${fields.length} fields, header ${header.length}`,
      });
      continue;
    }
    items.push({ rec, where: i + 1, label: `OMM CSV line ${i + 1}` });
  }
  if (!header) throw new PlanError("PARSE_OMM", "OMM CSV: empty input", { line: 1 });
  return collect(items);
}

/** Detect the encoding (JSON, XML, CSV) of OMM text, or `undefined` when it looks like a TLE. */
export function detectElementFormat(text: string): "omm-json" | "omm-xml" | "omm-csv" | "tle" {
  const t = text.trimStart();
  if (t.startsWith("[") || t.startsWith("{")) return "omm-json";
  if (t.startsWith("<")) return "omm-xml";
  const first = t.split(/\r\n|\r|\n/, 1)[0] ?? "";
  if (/OBJECT_NAME|NORAD_CAT_ID|MEAN_MOTION/i.test(first) && first.includes(",")) return "omm-csv";
  return "tle";
}

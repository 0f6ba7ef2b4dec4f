/**
 * Catalogues for the FITS viewer's overlay: RA/Dec (and a label) from a FITS table, a CSV/TSV file
 * or a VOTable (TABLEDATA). Columns are found by name (RA, RAJ2000, RA_ICRS, ALPHA_J2000, …) or, in
 * VOTables, by UCD (pos.eq.ra / pos.eq.dec). Values in degrees or sexagesimal (RA in hours when
 * written with `:`, spaces or `h`). Positions are returned in ICRS degrees.
 */
import { open, stat } from "node:fs/promises";
import { toNumberArray } from "@meridian/fits";
import { convertPositions, parseAngle } from "@meridian/sky";
import { ServerError } from "../errors.js";
import { parseDelimited } from "./delimited-table.js";
import { withOpenFits } from "./fits-image.js";
import { parseVotable } from "./fits-votable.js";

/** Text catalogues larger than this are refused (the overlay shows positions, not whole archives). */
const TEXT_LIMIT = 64 * 1024 * 1024;

export interface Catalogue {
  readonly path: string;
  readonly raColumn: string;
  readonly decColumn: string;
  readonly labelColumn: string | null;
  /** ICRS degrees. */
  readonly ra: number[];
  readonly dec: number[];
  readonly labels: string[] | null;
  /** Rows read (rows whose position could not be read are left out and counted in `skipped`). */
  readonly rows: number;
  readonly skipped: number;
  readonly truncated: boolean;
  /** Frame of the file's positions before conversion to ICRS. */
  readonly frame: string;
}

const RA_NAMES = [
  "ra",
  "raj2000",
  "_raj2000",
  "ra_icrs",
  "ra_j2000",
  "alpha_j2000",
  "ra_deg",
  "radeg",
  "ra2000",
  "alpha",
  "ra_d",
];
const DEC_NAMES = [
  "dec",
  "dej2000",
  "_dej2000",
  "decj2000",
  "dec_icrs",
  "de_icrs",
  "dec_j2000",
  "delta_j2000",
  "dec_deg",
  "decdeg",
  "de",
  "dec2000",
  "delta",
  "dec_d",
];
const LABEL_NAMES = ["name", "id", "source_id", "main_id", "designation", "object", "source", "label"];

function pick(names: readonly string[], wanted: readonly string[]): number {
  const lower = names.map((n) => n.trim().toLowerCase());
  for (const w of wanted) {
    const i = lower.indexOf(w);
    if (i >= 0) return i;
  }
  return -1;
}

function columnsOf(
  names: readonly string[],
  ucds: readonly string[] = [],
): { ra: number; dec: number; label: number } {
  let ra = ucds.findIndex((u) => /^pos\.eq\.ra(;meta\.main)?$/i.test(u) && /meta\.main/i.test(u));
  if (ra < 0) ra = ucds.findIndex((u) => /^pos\.eq\.ra\b/i.test(u));
  if (ra < 0) ra = pick(names, RA_NAMES);
  let dec = ucds.findIndex((u) => /^pos\.eq\.dec\b/i.test(u) && /meta\.main/i.test(u));
  if (dec < 0) dec = ucds.findIndex((u) => /^pos\.eq\.dec\b/i.test(u));
  if (dec < 0) dec = pick(names, DEC_NAMES);
  if (ra < 0 || dec < 0) {
    throw new ServerError(
      "BAD_REQUEST",
      `no RA/Dec columns among ${names.slice(0, 30).join(", ")} (expected names like RA/DEC, RAJ2000/DEJ2000 or UCDs pos.eq.ra/pos.eq.dec)`,
    );
  }
  let label = ucds.findIndex((u) => /^meta\.id\b/i.test(u) && /meta\.main/i.test(u));
  if (label < 0) label = pick(names, LABEL_NAMES);
  return { ra, dec, label };
}

/** A cell as degrees: numbers are degrees; sexagesimal RA is hours, Dec degrees. */
function angleOf(cell: string, isRa: boolean): number {
  const t = cell.trim();
  if (t === "") return Number.NaN;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  try {
    return parseAngle(t, { sexagesimal: isRa ? "hour" : "deg", unit: "deg" });
  } catch {
    return Number.NaN;
  }
}

interface Collected {
  ra: number[];
  dec: number[];
  labels: string[] | null;
  skipped: number;
}

function collect(
  rows: Iterable<readonly (string | number)[]>,
  cols: { ra: number; dec: number; label: number },
): Collected {
  const out: Collected = { ra: [], dec: [], labels: cols.label >= 0 ? [] : null, skipped: 0 };
  for (const r of rows) {
    const a = r[cols.ra];
    const d = r[cols.dec];
    const ra = typeof a === "number" ? a : angleOf(String(a ?? ""), true);
    const dec = typeof d === "number" ? d : angleOf(String(d ?? ""), false);
    if (!Number.isFinite(ra) || !(Math.abs(dec) <= 90)) {
      out.skipped++;
      continue;
    }
    out.ra.push(ra);
    out.dec.push(dec);
    out.labels?.push(String(r[cols.label] ?? "").trim());
  }
  return out;
}

/** The answer: column names, ICRS positions and counts. */
function catalogueOf(
  rel: string,
  names: readonly string[],
  cols: { ra: number; dec: number; label: number },
  c: Collected,
  counts: { rows: number; truncated: boolean; frame: string },
): Catalogue {
  return {
    path: rel,
    raColumn: names[cols.ra]!,
    decColumn: names[cols.dec]!,
    labelColumn: cols.label >= 0 ? names[cols.label]! : null,
    ...c,
    ...counts,
  };
}

function toIcrs(c: Collected, frame: string): void {
  if (frame === "icrs" || c.ra.length === 0) return;
  const converted = convertPositions(c.ra, c.dec, frame, "icrs");
  c.ra = Array.from(converted.lon);
  c.dec = Array.from(converted.lat);
}

async function readText(real: string): Promise<string> {
  const info = await stat(real);
  if (info.size > TEXT_LIMIT)
    throw new ServerError(
      "BAD_REQUEST",
      `catalogue is ${info.size} bytes; the overlay reads text catalogues up to ${TEXT_LIMIT}`,
    );
  const fh = await open(real, "r");
  try {
    const buf = Buffer.alloc(info.size);
    await fh.read(buf, 0, info.size, 0);
    return buf.toString("utf8").replace(/^\uFEFF/, "");
  } finally {
    await fh.close();
  }
}

function frameOfVot(system: string, equinox: string): string {
  const s = system.toLowerCase();
  if (s === "icrs" || s === "") return "icrs";
  if (s === "eq_fk5") return `fk5(${equinox || "J2000"})`;
  if (s === "eq_fk4") return `fk4(${equinox || "B1950"})`;
  if (s === "galactic") return "galactic";
  throw new ServerError("BAD_REQUEST", `VOTable COOSYS system "${system}" is not supported for the overlay`);
}

/** Read RA/Dec (ICRS degrees) and labels of the first `maxRows` rows of a catalogue file. */
export async function readCatalogue(real: string, rel: string, maxRows: number): Promise<Catalogue> {
  const lower = rel.toLowerCase();
  const head = await (async () => {
    const fh = await open(real, "r");
    try {
      const b = Buffer.alloc(512);
      const { bytesRead } = await fh.read(b, 0, 512, 0);
      return b.subarray(0, bytesRead).toString("latin1");
    } finally {
      await fh.close();
    }
  })();
  if (head.startsWith("SIMPLE  =") || /\.(fits|fit|fts)(\.gz)?$/.test(lower))
    return fitsCatalogue(real, rel, maxRows);
  if (/<\?xml|<VOTABLE/i.test(head) || /\.(vot|votable|xml)$/.test(lower)) {
    const vot = parseVotable(await readText(real), maxRows);
    const names = vot.fields.map((f) => f.name);
    const cols = columnsOf(
      names,
      vot.fields.map((f) => f.ucd),
    );
    const raField = vot.fields[cols.ra]!;
    const sys = vot.coosys[raField.ref] ?? Object.values(vot.coosys)[0] ?? { system: "ICRS", equinox: "" };
    const frame = frameOfVot(sys.system, sys.equinox);
    const c = collect(vot.rows, cols);
    toIcrs(c, frame);
    return catalogueOf(rel, names, cols, c, { rows: vot.rows.length, truncated: vot.truncated, frame });
  }
  const text = await readText(real);
  const delimiter = lower.endsWith(".tsv") || (!head.includes(",") && head.includes("\t")) ? "\t" : ",";
  const { rows } = parseDelimited(text, delimiter, maxRows + 1, true);
  const names = rows[0] ?? [];
  const cols = columnsOf(names);
  const body = rows.slice(1);
  const c = collect(body, cols);
  return catalogueOf(rel, names, cols, c, {
    rows: body.length,
    truncated: rows.length > maxRows,
    frame: "icrs",
  });
}

function fitsCatalogue(real: string, rel: string, maxRows: number): Promise<Catalogue> {
  return withOpenFits(real, async (fits) => {
    const table = fits.hdus.find((h) => h.kind === "bintable");
    if (table === undefined) throw new ServerError("BAD_REQUEST", "no binary table HDU in this FITS file");
    const n = table.header.getNumber("TFIELDS") ?? 0;
    const names: string[] = [];
    for (let i = 1; i <= n; i++) {
      const v = table.header.get(`TTYPE${i}`);
      names.push(typeof v === "string" ? v.trim() : `col${i}`);
    }
    const cols = columnsOf(names);
    const total = table.axes[1] ?? 0;
    const end = Math.min(total, maxRows);
    const wanted = [cols.ra, cols.dec, ...(cols.label >= 0 ? [cols.label] : [])];
    const data = await fits.readTable(table.index, { start: 0, end, columns: wanted });
    const values = data.columns.map((c) => c.values);
    const asCells = (v: (typeof values)[number] | undefined): (string | number)[] => {
      if (v === undefined) return [];
      if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : Number(toNumberArray(x)[0])));
      return Array.from(toNumberArray(v));
    };
    const ra = asCells(values[0]);
    const dec = asCells(values[1]);
    const label = cols.label >= 0 ? asCells(values[2]) : [];
    const rows = ra.map((r, i) => [r, dec[i] ?? Number.NaN, label[i] ?? ""]);
    const c = collect(rows, { ra: 0, dec: 1, label: cols.label >= 0 ? 2 : -1 });
    return catalogueOf(rel, names, cols, c, { rows: data.rows, truncated: total > end, frame: "icrs" });
  });
}

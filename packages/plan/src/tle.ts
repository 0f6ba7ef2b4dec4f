/**
 * Two-line element sets (NORAD TLE, 2- and 3-line forms). Each line is checked for its length,
 * the fixed spaces between fields, the line number, matching catalogue numbers and the modulo-10
 * checksum (CelesTrak, "NORAD Two-Line Element Set Format"); a bad set is reported by line number
 * and skipped, and the rest of the file is still read.
 */
import { type SatRec, twoline2satrec } from "satellite.js";

/** One element set (from a TLE or an OMM), parsed and initialised for SGP4. */
export interface ElementSet {
  /** Object name from the title line (or the catalogue number when there is none). */
  readonly name: string;
  /** NORAD catalogue number as written (5 characters, may be Alpha-5). */
  readonly satnum: string;
  /** International designator (COSPAR), e.g. `98067A`. */
  readonly intlDesignator: string;
  /** Epoch of the elements, Unix ms UTC. */
  readonly epoch: number;
  /** The TLE lines (for OMM input: the lines are absent). */
  readonly line1?: string;
  readonly line2?: string;
  /** 1-based line number (TLE line 1, CSV row) or record index (JSON, XML) in the source. */
  readonly sourceLine: number;
  /** SGP4 state (satellite.js). */
  readonly satrec: SatRec;
}

/** A problem found while reading TLE text. */
export interface TleProblem {
  /** 1-based line number (JSON/XML: 1-based record index). */
  readonly line: number;
  readonly code:
    | "CHECKSUM"
    | "COLUMNS"
    | "LENGTH"
    | "MISMATCH"
    | "ORPHAN"
    | "VALUE"
    | "SGP4_INIT"
    | "MISSING";
  readonly message: string;
}

/** Result of {@link parseTle}: the good sets and every problem, in file order. */
export interface TleParseResult {
  readonly records: ElementSet[];
  readonly problems: TleProblem[];
}

/** Modulo-10 checksum of the first 68 characters: digits count their value, `-` counts 1. */
export function tleChecksum(line: string): number {
  let sum = 0;
  for (let i = 0; i < 68 && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

// 1-based columns that must hold a space (TLE format definition).
const LINE1_SPACES = [2, 9, 18, 33, 44, 53, 62, 64];
const LINE2_SPACES = [2, 8, 17, 26, 34, 43, 52];
const LINE1_NUMERIC: readonly [number, number, string][] = [
  [19, 32, "epoch"],
  [34, 43, "first derivative of mean motion"],
];
const LINE2_NUMERIC: readonly [number, number, string][] = [
  [9, 16, "inclination"],
  [18, 25, "right ascension of the ascending node"],
  [27, 33, "eccentricity"],
  [35, 42, "argument of perigee"],
  [44, 51, "mean anomaly"],
  [53, 63, "mean motion"],
];

function checkLine(line: string, no: 1 | 2, lineNumber: number): TleProblem | undefined {
  if (line.length !== 69) {
    return {
      line: lineNumber,
      code: "LENGTH",
      message: `line ${lineNumber}: TLE line ${no} has ${line.length} characters, expected 69`,
    };
  }
  for (const col of no === 1 ? LINE1_SPACES : LINE2_SPACES) {
    if (line[col - 1] !== " ") {
      return {
        line: lineNumber,
        code: "COLUMNS",
        message: `line ${lineNumber}: column ${col} of TLE line ${no} should be a space, found "${line[col - 1]}"`,
      };
    }
  }
  for (const [a, b, what] of no === 1 ? LINE1_NUMERIC : LINE2_NUMERIC) {
    const field = line.slice(a - 1, b).trim();
    const text = what === "eccentricity" ? `0.${field}` : field;
    if (field === "" || !Number.isFinite(Number(text))) {
      return {
        line: lineNumber,
        code: "VALUE",
        message: `line ${lineNumber}: columns ${a}-${b} (${what}) "${field}" is not a number`,
      };
    }
  }
  const want = tleChecksum(line);
  const got = line.charCodeAt(68) - 48;
  if (got !== want) {
    return {
      line: lineNumber,
      code: "CHECKSUM",
      message: `line ${lineNumber}: checksum is ${line[68]}, computed ${want}`,
    };
  }
  return undefined;
}

/** Epoch (Unix ms UTC) from line 1 columns 19–32: two-digit year (57–99 → 19xx) and day of year. */
export function tleEpoch(line1: string): number {
  const yy = Number(line1.slice(18, 20));
  const day = Number(line1.slice(20, 32));
  const year = yy < 57 ? 2000 + yy : 1900 + yy;
  return Date.UTC(year, 0, 1) + (day - 1) * 86400000;
}

/**
 * Read TLE text with or without title lines. Lines are trimmed of trailing white space (and a
 * leading `0 ` on title lines is dropped); blank lines are ignored. Never throws on bad content.
 */
export function parseTle(text: string): TleParseResult {
  const lines = text.split(/\r\n|\r|\n/);
  const records: ElementSet[] = [];
  const problems: TleProblem[] = [];
  let title: { text: string; line: number } | undefined;
  let i = 0;
  while (i < lines.length) {
    const raw = (lines[i] ?? "").replace(/\s+$/, "");
    const lineNo = i + 1;
    if (raw.trim() === "") {
      i++;
      continue;
    }
    if (raw.startsWith("1 ") && raw.length >= 60) {
      const l2raw = (lines[i + 1] ?? "").replace(/\s+$/, "");
      if (!l2raw.startsWith("2 ")) {
        problems.push({
          line: lineNo,
          code: "ORPHAN",
          message: `line ${lineNo}: TLE line 1 is not followed by a line 2`,
        });
        title = undefined;
        i++;
        continue;
      }
      const p = checkLine(raw, 1, lineNo) ?? checkLine(l2raw, 2, lineNo + 1);
      if (p) {
        problems.push(p);
      } else if (raw.slice(2, 7) !== l2raw.slice(2, 7)) {
        problems.push({
          line: lineNo + 1,
          code: "MISMATCH",
          message: `line ${lineNo + 1}: catalogue number "${l2raw.slice(2, 7)}" differs from line 1's "${raw.slice(2, 7)}"`,
        });
      } else {
        let satrec: SatRec | undefined;
        try {
          satrec = twoline2satrec(raw, l2raw);
        } catch (err) {
          problems.push({
            line: lineNo,
            code: "SGP4_INIT",
            message: `line ${lineNo}: SGP4 rejected the elements (${String(err)})`,
          });
        }
        if (satrec && satrec.error !== 0) {
          problems.push({
            line: lineNo,
            code: "SGP4_INIT",
            message: `line ${lineNo}: SGP4 initialisation error ${satrec.error}`,
          });
        } else if (satrec) {
          const satnum = raw.slice(2, 7);
          records.push({
            name: title && title.line === lineNo - 1 ? title.text : satnum.trim(),
            satnum,
            intlDesignator: raw.slice(9, 17).trim(),
            epoch: tleEpoch(raw),
            line1: raw,
            line2: l2raw,
            sourceLine: lineNo,
            satrec,
          });
        }
      }
      title = undefined;
      i += 2;
      continue;
    }
    if (raw.startsWith("2 ") && raw.length >= 60) {
      problems.push({ line: lineNo, code: "ORPHAN", message: `line ${lineNo}: TLE line 2 without a line 1` });
      i++;
      continue;
    }
    if (title && title.line === lineNo - 1) {
      problems.push({
        line: title.line,
        code: "ORPHAN",
        message: `line ${title.line}: title "${title.text}" has no element lines`,
      });
    }
    title = { text: raw.replace(/^0 /, "").trim(), line: lineNo };
    i++;
  }
  if (title) {
    problems.push({
      line: title.line,
      code: "ORPHAN",
      message: `line ${title.line}: title "${title.text}" has no element lines`,
    });
  }
  return { records, problems };
}

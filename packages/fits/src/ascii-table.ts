/**
 * ASCII tables (FITS 4.0 §7.2): fields at TBCOLn in rows of NAXIS1 characters, formats Aw, Iw,
 * Fw.d, Ew.d, Dw.d (Table 15). Numbers are parsed as astropy does: an integer column whose width
 * fits int16/int32/int64; floats as float64; a field equal to TNULLn or blank reads as 0 (as astropy).
 */

import { rowRange } from "./bintable.js";
import { type ByteSource, readExactly } from "./byte-source.js";
import { FitsError } from "./errors.js";
import type { HduInfo } from "./hdu-layout.js";

/** An ASCII-table column. */
export interface AsciiColumn {
  index: number;
  name: string;
  format: string;
  /** A, I, F, E or D. */
  type: "A" | "I" | "F" | "E" | "D";
  /** Field width in characters. */
  width: number;
  /** Digits after the decimal point (F, E, D). */
  decimals: number;
  /** 0-based start of the field within a row (TBCOLn − 1). */
  offset: number;
  unit: string | undefined;
  scale: number;
  zero: number;
  /** TNULLn: the string that marks an undefined field. */
  tnull: string | undefined;
}

/** Values of an ASCII column: strings for A; Float64Array for numbers (integers exact to 2^53). */
export interface AsciiColumnData {
  column: AsciiColumn;
  values: string[] | Float64Array;
  /** Rows whose field could not be parsed as a number (0-based, relative to the first row read). */
  invalid: number[];
  /** Rows whose field equals TNULLn (read as 0, as astropy does). */
  nulls: number[];
}

const FORMAT_RE = /^\s*([AIFED])(\d+)(?:\.(\d+))?\s*$/;

/** Columns of an ASCII-table header. */
export function asciiColumns(hdu: HduInfo): AsciiColumn[] {
  const h = hdu.header;
  const n = h.getInteger("TFIELDS") ?? 0;
  const rowBytes = hdu.axes[0] ?? 0;
  const cols: AsciiColumn[] = [];
  for (let i = 1; i <= n; i++) {
    const keyword = `TFORM${i}`;
    const format = h.getString(keyword);
    const m = format === undefined ? null : FORMAT_RE.exec(format.toUpperCase());
    if (!m) {
      throw new FitsError(
        "BAD_TFORM",
        `ASCII-table TFORM "${format ?? ""}" is not Aw, Iw, Fw.d, Ew.d or Dw.d`,
        {
          hdu: hdu.index,
          keyword,
          offset: hdu.headerOffset,
        },
      );
    }
    const tbcol = h.getInteger(`TBCOL${i}`);
    const width = Number(m[2]);
    if (tbcol === undefined || tbcol < 1 || tbcol - 1 + width > rowBytes) {
      throw new FitsError(
        "BAD_TFORM",
        `TBCOL${i} = ${String(tbcol)} puts the field outside the row of ${rowBytes}`,
        {
          hdu: hdu.index,
          keyword: `TBCOL${i}`,
          offset: hdu.headerOffset,
        },
      );
    }
    cols.push({
      index: i - 1,
      name: h.getString(`TTYPE${i}`)?.trim() ?? "",
      format: (format as string).trim(),
      type: m[1] as AsciiColumn["type"],
      width,
      decimals: m[3] === undefined ? 0 : Number(m[3]),
      offset: tbcol - 1,
      unit: h.getString(`TUNIT${i}`),
      scale: h.getNumber(`TSCAL${i}`) ?? 1,
      zero: h.getNumber(`TZERO${i}`) ?? 0,
      tnull: h.getString(`TNULL${i}`),
    });
  }
  return cols;
}

/** Read rows of an ASCII table. */
export async function readAsciiTable(
  source: ByteSource,
  hdu: HduInfo,
  options: { start?: number; end?: number; columns?: readonly (string | number)[] } = {},
): Promise<{ rows: number; start: number; columns: AsciiColumnData[] }> {
  if (hdu.kind !== "table")
    throw new FitsError("INVALID_ARGUMENT", `HDU is a ${hdu.kind}, not an ASCII table`, { hdu: hdu.index });
  const rowBytes = hdu.axes[0] ?? 0;
  const nrows = hdu.axes[1] ?? 0;
  const all = asciiColumns(hdu);
  const cols = options.columns
    ? options.columns.map((w) => {
        const c = typeof w === "number" ? all[w] : all.find((x) => x.name.toUpperCase() === w.toUpperCase());
        if (!c) throw new FitsError("NOT_FOUND", `no column ${String(w)}`, { hdu: hdu.index });
        return c;
      })
    : all;
  const [start, end] = rowRange(nrows, options, hdu.index);
  const rows = end - start;
  const bytes =
    rows === 0
      ? new Uint8Array(0)
      : await readExactly(source, hdu.dataOffset + start * rowBytes, rows * rowBytes, hdu.index);
  const columns = cols.map((col) => {
    const fields: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const p = r * rowBytes + col.offset;
      let s = "";
      for (let k = 0; k < col.width; k++) s += String.fromCharCode(bytes[p + k] as number);
      fields[r] = s;
    }
    if (col.type === "A") return { column: col, values: fields, invalid: [], nulls: [] };
    const values = new Float64Array(rows);
    const invalid: number[] = [];
    const nulls: number[] = [];
    for (let r = 0; r < rows; r++) {
      const f = fields[r] as string;
      if (col.tnull !== undefined && f.trim() === col.tnull.trim()) {
        // astropy reads null fields as 0; the rows are listed in `nulls`.
        values[r] = 0;
        nulls.push(r);
        continue;
      }
      const t = f.trim().replace(/[Dd]/, "E");
      // FITS 4.0 §7.2.5: a blank field is zero.
      if (t === "") {
        values[r] = 0;
        continue;
      }
      const v = parseAsciiNumber(t, col.type === "I" ? 0 : col.decimals);
      if (Number.isNaN(v) && t !== "NaN") {
        invalid.push(r);
        values[r] = Number.NaN;
        continue;
      }
      values[r] = col.scale === 1 && col.zero === 0 ? v : v * col.scale + col.zero;
    }
    return { column: col, values, invalid, nulls };
  });
  return { rows, start, columns };
}

/**
 * A number from an ASCII-table field. FITS 4.0 §7.2.5: without an explicit decimal point, the
 * point is implied `decimals` digits from the right of the mantissa.
 */
function parseAsciiNumber(text: string, decimals: number): number {
  const t = text.replace(/\s+/g, "");
  if (decimals === 0 || t.includes(".")) return t === "" ? Number.NaN : Number(t);
  const m = /^([+-]?\d+)(?:E([+-]?\d+))?$/i.exec(t);
  if (!m) return Number.NaN;
  const exp = (m[2] === undefined ? 0 : Number(m[2])) - decimals;
  return Number(`${m[1]}e${exp}`);
}

/**
 * Binary tables (FITS 4.0 §7.3): column formats (TFORMn), dimensions (TDIMn), scaling
 * (TSCALn/TZEROn), nulls (TNULLn) and variable-length arrays in the heap (§7.3.5). Rows are read
 * as one range; heap data only for the rows asked for.
 */
import { type ByteRun, type ByteSource, gatherRuns, readExactly } from "./byte-source.js";
import { applyScaling, type LinearScaling } from "./bzero-scaling.js";
import { decodeBigEndian, type ElementType, type FitsArray } from "./element-type.js";
import { FitsError } from "./errors.js";
import type { HduInfo } from "./hdu-layout.js";
import type { Header } from "./header.js";

/** TFORM type letters (FITS 4.0 Table 18). */
export type TformType = "L" | "X" | "B" | "I" | "J" | "K" | "A" | "E" | "D" | "C" | "M" | "P" | "Q";

/** A parsed TFORMn. */
export interface Tform {
  repeat: number;
  type: TformType;
  /** For P/Q: the element type of the array in the heap. */
  elementType?: Exclude<TformType, "P" | "Q">;
  /** For P/Q: the declared maximum length, if given. */
  max?: number;
  /** Bytes per row of this field. */
  width: number;
}

/** A binary-table column. */
export interface BinaryColumn {
  /** 0-based column index (TTYPE{index+1}). */
  index: number;
  /** TTYPEn (may be empty). */
  name: string;
  /** TFORMn as written. */
  format: string;
  tform: Tform;
  /** Byte offset of the field within a row. */
  offset: number;
  unit: string | undefined;
  /** TDIMn, FITS order (fastest first), when given. */
  dims: number[] | undefined;
  scale: number;
  zero: number;
  /** TNULLn, when given (integer columns). */
  tnull: number | bigint | undefined;
  disp: string | undefined;
}

const TFORM_RE = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])\s*(.*?)\s*$/;

/** Bytes per element for each fixed type (bits for X are packed separately). */
const TYPE_BYTES: Record<Exclude<TformType, "X" | "P" | "Q">, number> = {
  L: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
};

/** Parse a TFORMn value (FITS 4.0 §7.3.1, Table 18). */
export function parseTform(
  text: string,
  where: { hdu?: number; keyword?: string; offset?: number } = {},
): Tform {
  const m = TFORM_RE.exec(text.toUpperCase());
  if (!m) throw new FitsError("BAD_TFORM", `TFORM "${text}" is not valid`, where);
  const repeat = m[1] === "" ? 1 : Number(m[1]);
  const type = m[2] as TformType;
  const rest = m[3] ?? "";
  if (!Number.isSafeInteger(repeat))
    throw new FitsError("BAD_TFORM", `TFORM "${text}" repeat is too large`, where);
  if (type === "P" || type === "Q") {
    const v = /^([LXBIJKAEDCM])\s*(?:\((\d+)\))?/.exec(rest);
    if (!v || repeat > 1)
      throw new FitsError("BAD_TFORM", `variable-length TFORM "${text}" is not valid`, where);
    return {
      repeat,
      type,
      elementType: v[1] as Exclude<TformType, "P" | "Q">,
      max: v[2] === undefined ? undefined : Number(v[2]),
      width: repeat * (type === "P" ? 8 : 16),
    };
  }
  const width = type === "X" ? Math.ceil(repeat / 8) : repeat * TYPE_BYTES[type];
  return { repeat, type, width };
}

/** Parse TDIMn `(a,b,c)`. */
function parseTdim(text: string, where: { hdu?: number; keyword?: string }): number[] {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!m) throw new FitsError("BAD_TABLE", `TDIM "${text}" is not valid`, where);
  return (m[1] as string).split(",").map((s) => Number(s.trim()));
}

/** Columns of a binary table header, with their byte offsets. */
export function binaryColumns(header: Header, hdu: number, rowBytes: number, offset = 0): BinaryColumn[] {
  const n = header.getInteger("TFIELDS") ?? 0;
  if (n < 0 || n > 999)
    throw new FitsError("BAD_TABLE", `TFIELDS = ${n} is not in 0..999`, { hdu, keyword: "TFIELDS", offset });
  const cols: BinaryColumn[] = [];
  let at = 0;
  for (let i = 1; i <= n; i++) {
    const keyword = `TFORM${i}`;
    const format = header.getString(keyword);
    if (format === undefined)
      throw new FitsError("BAD_TFORM", `missing ${keyword}`, { hdu, keyword, offset });
    const tform = parseTform(format, { hdu, keyword, offset });
    const tdim = header.getString(`TDIM${i}`);
    const dims = tdim === undefined ? undefined : parseTdim(tdim, { hdu, keyword: `TDIM${i}` });
    const tnullCard = header.getCard(`TNULL${i}`);
    cols.push({
      index: i - 1,
      name: header.getString(`TTYPE${i}`)?.trim() ?? "",
      format: format.trim(),
      tform,
      offset: at,
      unit: header.getString(`TUNIT${i}`),
      dims,
      scale: header.getNumber(`TSCAL${i}`) ?? 1,
      zero: header.getNumber(`TZERO${i}`) ?? 0,
      tnull: tnullCard?.type === "integer" ? (tnullCard.value as number | bigint) : undefined,
      disp: header.getString(`TDISP${i}`),
    });
    at += tform.width;
  }
  if (at > rowBytes) {
    throw new FitsError("BAD_TFORM", `the columns need ${at} bytes per row but NAXIS1 = ${rowBytes}`, {
      hdu,
      keyword: "NAXIS1",
      offset,
    });
  }
  return cols;
}

/**
 * Values of one column for the rows read:
 * - numbers: a typed array of `rows × width` elements (complex: re, im pairs, so `2 × width` per row);
 * - `L` and `X`: a Uint8Array of 0/1 (`rows × repeat`);
 * - `A`: one string per row (or per TDIM sub-string);
 * - `P`/`Q`: one typed array (or string for `PA`) per row.
 */
export type ColumnValues = FitsArray | string[] | (FitsArray | string)[];

/** Options of {@link readBinaryTable}. */
export interface ReadTableOptions {
  /** First row (0-based). */
  start?: number;
  /** End row (exclusive). */
  end?: number;
  /** Only these columns (names, case-insensitive, or 0-based indices). */
  columns?: readonly (string | number)[];
  /** Return stored values without TSCAL/TZERO. */
  raw?: boolean;
}

/** Rows read from a table. */
export interface TableData {
  /** Number of rows read. */
  rows: number;
  /** First row read. */
  start: number;
  columns: { column: BinaryColumn; values: ColumnValues; type: ElementType | "string" | "boolean" | "bit" }[];
}

function storedType(t: Exclude<TformType, "P" | "Q" | "A" | "L" | "X">): ElementType {
  switch (t) {
    case "B":
      return "uint8";
    case "I":
      return "int16";
    case "J":
      return "int32";
    case "K":
      return "int64";
    case "E":
    case "C":
      return "float32";
    case "D":
    case "M":
      return "float64";
  }
}

/** Scaling of a column: astropy's rules (unsigned offsets only for I, J, K; otherwise float64). */
function columnScaling(col: BinaryColumn): LinearScaling {
  return { scale: col.scale, zero: col.zero };
}

function scaleColumn(
  raw: FitsArray,
  stored: ElementType,
  col: BinaryColumn,
): { values: FitsArray; type: ElementType } {
  if (col.scale === 1 && col.zero === 0) return { values: raw, type: stored };
  const unsigned =
    col.scale === 1 &&
    ((stored === "int16" && col.zero === 32768) ||
      (stored === "int32" && col.zero === 2 ** 31) ||
      (stored === "int64" && col.zero === 2 ** 63));
  if (unsigned) {
    const values = applyScaling(raw, stored, columnScaling(col));
    return { values, type: stored === "int16" ? "uint16" : stored === "int32" ? "uint32" : "uint64" };
  }
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i]) * col.scale + col.zero;
  return { values: out, type: "float64" };
}

function decodeString(bytes: Uint8Array, start: number, length: number, trimEnd: boolean): string {
  let end = start + length;
  for (let i = start; i < end; i++) {
    if (bytes[i] === 0) {
      end = i;
      break;
    }
  }
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] as number);
  return trimEnd ? s.trimEnd() : s;
}

function pick(
  columns: readonly BinaryColumn[],
  wanted: readonly (string | number)[] | undefined,
  hdu: number,
): BinaryColumn[] {
  if (!wanted) return [...columns];
  return wanted.map((w) => {
    const c =
      typeof w === "number" ? columns[w] : columns.find((x) => x.name.toUpperCase() === w.toUpperCase());
    if (!c) throw new FitsError("NOT_FOUND", `no column ${String(w)}`, { hdu });
    return c;
  });
}

/** Check and resolve a row range. */
export function rowRange(
  nrows: number,
  options: { start?: number; end?: number },
  hdu: number,
): [number, number] {
  const start = options.start ?? 0;
  const end = options.end ?? nrows;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > nrows || start > end) {
    throw new FitsError("INVALID_ARGUMENT", `rows [${start}, ${end}) are outside 0..${nrows}`, { hdu });
  }
  return [start, end];
}

/** Read rows of a binary table. */
export async function readBinaryTable(
  source: ByteSource,
  hdu: HduInfo,
  options: ReadTableOptions = {},
): Promise<TableData> {
  if (hdu.kind !== "bintable" && hdu.kind !== "compressed-image") {
    throw new FitsError("INVALID_ARGUMENT", `HDU is a ${hdu.kind}, not a binary table`, { hdu: hdu.index });
  }
  const rowBytes = hdu.axes[0] ?? 0;
  const nrows = hdu.axes[1] ?? 0;
  const all = binaryColumns(hdu.header, hdu.index, rowBytes, hdu.headerOffset);
  const cols = pick(all, options.columns, hdu.index);
  const [start, end] = rowRange(nrows, options, hdu.index);
  const rows = end - start;
  const bytes =
    rows === 0
      ? new Uint8Array(0)
      : await readExactly(source, hdu.dataOffset + start * rowBytes, rows * rowBytes, hdu.index);
  const heapOffset = hdu.header.getInteger("THEAP") ?? rowBytes * nrows;
  const out: TableData["columns"] = [];
  for (const col of cols) {
    out.push(await readColumn(source, hdu, col, bytes, rows, rowBytes, heapOffset, options.raw === true));
  }
  return { rows, start, columns: out };
}

/** Gather a field's bytes for every row into one contiguous buffer. */
function fieldBytes(
  bytes: Uint8Array,
  rows: number,
  rowBytes: number,
  offset: number,
  width: number,
): Uint8Array {
  const out = new Uint8Array(rows * width);
  for (let r = 0; r < rows; r++)
    out.set(bytes.subarray(r * rowBytes + offset, r * rowBytes + offset + width), r * width);
  return out;
}

async function readColumn(
  source: ByteSource,
  hdu: HduInfo,
  col: BinaryColumn,
  bytes: Uint8Array,
  rows: number,
  rowBytes: number,
  heapOffset: number,
  raw: boolean,
): Promise<TableData["columns"][number]> {
  const t = col.tform;
  switch (t.type) {
    case "A": {
      const sub = col.dims && col.dims.length > 1 ? (col.dims[0] as number) : t.repeat;
      const values: string[] = [];
      for (let r = 0; r < rows; r++) {
        for (let p = 0; p < t.repeat; p += Math.max(sub, 1)) {
          values.push(decodeString(bytes, r * rowBytes + col.offset + p, Math.min(sub, t.repeat - p), true));
        }
      }
      return { column: col, values, type: "string" };
    }
    case "L": {
      const f = fieldBytes(bytes, rows, rowBytes, col.offset, t.width);
      // FITS 4.0 §7.3.3.1: 'T' true, 'F' false, 0 undefined (read as false, as astropy does).
      for (let i = 0; i < f.length; i++) f[i] = f[i] === 0x54 ? 1 : 0;
      return { column: col, values: f, type: "boolean" };
    }
    case "X": {
      const values = new Uint8Array(rows * t.repeat);
      for (let r = 0; r < rows; r++) {
        const base = r * rowBytes + col.offset;
        for (let b = 0; b < t.repeat; b++) {
          // FITS 4.0 §7.3.3.2: the first bit is the most significant bit of the first byte.
          values[r * t.repeat + b] = ((bytes[base + (b >> 3)] as number) >> (7 - (b & 7))) & 1;
        }
      }
      return { column: col, values, type: "bit" };
    }
    case "P":
    case "Q":
      return readVariableColumn(source, hdu, col, bytes, rows, rowBytes, heapOffset, raw);
    default: {
      const stored = storedType(t.type);
      const values = decodeBigEndian(fieldBytes(bytes, rows, rowBytes, col.offset, t.width), stored);
      if (raw || t.type === "C" || t.type === "M") return { column: col, values, type: stored };
      const scaled = scaleColumn(values, stored, col);
      return { column: col, values: scaled.values, type: scaled.type };
    }
  }
}

async function readVariableColumn(
  source: ByteSource,
  hdu: HduInfo,
  col: BinaryColumn,
  bytes: Uint8Array,
  rows: number,
  rowBytes: number,
  heapOffset: number,
  _raw: boolean,
): Promise<TableData["columns"][number]> {
  const t = col.tform;
  const et = t.elementType as Exclude<TformType, "P" | "Q">;
  const wide = t.type === "Q";
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const descriptors: { count: number; offset: number }[] = [];
  const elemBytes = et === "X" ? 1 : TYPE_BYTES[et];
  const heapSize = hdu.dataLength - heapOffset;
  for (let r = 0; r < rows; r++) {
    const p = r * rowBytes + col.offset;
    const count = wide ? Number(dv.getBigUint64(p)) : dv.getInt32(p);
    const offset = wide ? Number(dv.getBigUint64(p + 8)) : dv.getInt32(p + 4);
    const length = et === "X" ? Math.ceil(count / 8) : count * elemBytes;
    if (count < 0 || offset < 0 || offset + length > heapSize) {
      throw new FitsError(
        "BAD_TABLE",
        `row ${r} of column ${col.name}: descriptor (${count}, ${offset}) is outside the heap`,
        {
          hdu: hdu.index,
          offset: hdu.dataOffset + p,
        },
      );
    }
    descriptors.push({ count, offset });
  }
  // Fetch the heap bytes of these rows only, merging neighbours into few reads.
  const runs: ByteRun[] = [];
  let to = 0;
  for (const d of descriptors) {
    const length = et === "X" ? Math.ceil(d.count / 8) : d.count * elemBytes;
    runs.push({ offset: hdu.dataOffset + heapOffset + d.offset, length, to });
    to += length;
  }
  const heap = new Uint8Array(to);
  const sorted = runs.filter((r) => r.length > 0).sort((a, b) => a.offset - b.offset);
  // Rows may share heap bytes; gatherRuns reads overlapping runs separately.
  await gatherRuns(source, sorted, heap, hdu.index);
  const values: (FitsArray | string)[] = [];
  for (let r = 0; r < rows; r++) {
    const run = runs[r] as ByteRun;
    const d = descriptors[r] as { count: number };
    const slice = heap.subarray(run.to, run.to + run.length);
    if (et === "A") values.push(decodeString(slice, 0, slice.length, true));
    else if (et === "L") values.push(slice.map((b) => (b === 0x54 ? 1 : 0)));
    else if (et === "X") {
      const bits = new Uint8Array(d.count);
      for (let b = 0; b < d.count; b++) bits[b] = ((slice[b >> 3] as number) >> (7 - (b & 7))) & 1;
      values.push(bits);
    } else {
      // astropy leaves variable-length arrays unscaled; so do we, to read the same numbers.
      values.push(decodeBigEndian(slice, storedType(et as Exclude<TformType, "P" | "Q" | "A" | "L" | "X">)));
    }
  }
  const type: TableData["columns"][number]["type"] =
    et === "A" ? "string" : et === "L" ? "boolean" : et === "X" ? "bit" : storedType(et as "B");
  return { column: col, values, type };
}

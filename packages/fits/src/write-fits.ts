/**
 * Writing FITS files: images (any typed array, unsigned types through BZERO as FITS 4.0 Table 11),
 * binary tables (fixed and variable-length columns), and HDUs copied as raw bytes with an edited
 * header. Every HDU gets CHECKSUM and DATASUM (FITS 4.0 §4.4.2.7) unless turned off.
 */
import { addSums, checksumOf, encodeChecksum } from "./checksum.js";
import { encodeBigEndian, type FitsArray, typeOfArray } from "./element-type.js";
import { FitsError } from "./errors.js";
import { BLOCK_SIZE, type Card, Header, makeCard } from "./header.js";

/** An image HDU to write. Values are written as given (no scaling beyond the unsigned offsets). */
export interface ImageHduInput {
  kind?: "image";
  /** Values, NAXIS1 fastest. */
  data: FitsArray;
  /** NAXISn, FITS order (NAXIS1 first). Their product must equal `data.length`. */
  axes: readonly number[];
  /** Extra cards (order and comments kept); structural keywords in it are replaced. */
  header?: Header;
  /** EXTNAME. */
  name?: string;
}

/** A binary-table column to write. */
export interface TableColumnInput {
  name: string;
  /**
   * Values: a typed array of `rows × repeat` numbers; strings (A); booleans (L); or one array (or
   * string) per row for a variable-length column (P).
   */
  values: FitsArray | readonly string[] | readonly boolean[] | readonly (FitsArray | string)[];
  /** TFORMn, inferred when absent (complex needs `C`/`M` with interleaved re, im values). */
  format?: string;
  unit?: string;
  /** TDIMn, FITS order. */
  dims?: readonly number[];
  /** TNULLn for integer columns. */
  tnull?: number;
}

/** A binary-table HDU to write. */
export interface TableHduInput {
  kind: "bintable";
  columns: readonly TableColumnInput[];
  header?: Header;
  name?: string;
}

/** An HDU copied byte for byte with its header as given (e.g. an edited header, same data). */
export interface RawHduInput {
  kind: "raw";
  /** The complete header, structural keywords included. */
  header: Header;
  /** Data bytes as stored (unpadded). */
  data: Uint8Array;
}

export type HduInput = ImageHduInput | TableHduInput | RawHduInput;

/** Options of {@link writeFits}. */
export interface WriteOptions {
  /** Write CHECKSUM and DATASUM (default true). */
  checksum?: boolean;
}

/** Keywords the writer sets itself; copies in a user header are dropped. */
const STRUCTURAL =
  /^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|BSCALE|BZERO|BLANK|CHECKSUM|DATASUM|END|(TTYPE|TFORM|TUNIT|TDIM|TNULL|TSCAL|TZERO|TBCOL|TDISP)\d+|ZIMAGE)$/;

interface Encoded {
  header: Header;
  data: Uint8Array;
}

/** Serialise HDUs to a FITS file. A table first gets an empty primary HDU in front of it. */
export function writeFits(hdus: readonly HduInput[], options: WriteOptions = {}): Uint8Array {
  const list = [...hdus];
  if (list.length === 0 || list[0]?.kind === "bintable") list.unshift({ data: new Uint8Array(0), axes: [] });
  const parts: Uint8Array[] = [];
  list.forEach((input, index) => {
    const enc = encodeHdu(input, index, list.length > 1);
    const dataPadded = pad(enc.data, 0);
    if (options.checksum !== false) addChecksum(enc.header, dataPadded);
    parts.push(enc.header.toBytes(), dataPadded);
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

function pad(bytes: Uint8Array, fill: number): Uint8Array {
  const n = Math.ceil(bytes.length / BLOCK_SIZE) * BLOCK_SIZE;
  if (n === bytes.length) return bytes;
  const out = new Uint8Array(n).fill(fill);
  out.set(bytes);
  return out;
}

/**
 * Set CHECKSUM and DATASUM: DATASUM is the data sum; CHECKSUM is computed with itself set to
 * sixteen '0' and then replaced by the encoded complement (Seaman et al. 2002, §3).
 */
export function addChecksum(header: Header, paddedData: Uint8Array): void {
  const dataSum = checksumOf(paddedData);
  setKeep(header, "DATASUM", String(dataSum), "data unit checksum");
  setKeep(header, "CHECKSUM", "0000000000000000", "HDU checksum");
  const sum = addSums(checksumOf(header.toBytes()), dataSum);
  setKeep(header, "CHECKSUM", encodeChecksum(sum), "HDU checksum");
}

/** Set a card, keeping the position and comment of an existing one. */
function setKeep(
  header: Header,
  key: string,
  value: string | number | boolean | bigint,
  comment: string,
  type?: Card["type"],
): void {
  const old = header.getCard(key);
  const card = makeCard(key, value, old?.comment ?? comment, type);
  const i = header.indexOf(key);
  if (i >= 0) {
    header.deleteAt(i);
    header.insert(i, card);
  } else header.append(card);
}

/** Build a header: structural cards first, then the user's other cards in their order. */
function buildHeader(structural: Card[], user: Header | undefined, name: string | undefined): Header {
  const h = new Header(structural);
  if (user) {
    for (const c of user.cards) {
      if (c.kind === "value" && STRUCTURAL.test(c.key)) continue;
      if (name !== undefined && c.key === "EXTNAME") continue;
      h.append(c);
    }
  }
  if (name !== undefined) h.set("EXTNAME", name, "extension name");
  // Long strings use CONTINUE; fitsverify wants the convention declared (OGIP 1.0).
  const long = h.cards.some(
    (c) => c.type === "string" && typeof c.value === "string" && c.value.replace(/'/g, "''").length > 68,
  );
  if (long && !h.has("LONGSTRN"))
    h.insert(
      structural.length,
      makeCard("LONGSTRN", "OGIP 1.0", "The OGIP long string convention may be used"),
    );
  return h;
}

function encodeHdu(input: HduInput, index: number, more: boolean): Encoded {
  if (input.kind === "raw") {
    const h = input.header.clone();
    h.delete("CHECKSUM");
    h.delete("DATASUM");
    return { header: h, data: input.data };
  }
  if (input.kind === "bintable") return encodeTable(input, index);
  return encodeImage(input, index, more);
}

interface StorageOf {
  bitpix: number;
  zero?: number | bigint;
  stored: (data: FitsArray) => Uint8Array;
}

/** How each typed array is stored (FITS 4.0 Table 11 for the unsigned and signed-byte types). */
function storageOf(data: FitsArray): StorageOf {
  switch (typeOfArray(data)) {
    case "uint8":
      return { bitpix: 8, stored: (d) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength) };
    case "int8":
      return {
        bitpix: 8,
        zero: -128,
        stored: (d) => Uint8Array.from(d as Int8Array, (v) => (v ^ 0x80) & 0xff),
      };
    case "int16":
      return { bitpix: 16, stored: encodeBigEndian };
    case "uint16":
      return {
        bitpix: 16,
        zero: 32768,
        stored: (d) => encodeBigEndian(Int16Array.from(d as Uint16Array, (v) => v ^ 0x8000)),
      };
    case "int32":
      return { bitpix: 32, stored: encodeBigEndian };
    case "uint32":
      return {
        bitpix: 32,
        zero: 2147483648,
        stored: (d) => encodeBigEndian(Int32Array.from(d as Uint32Array, (v) => (v ^ 0x80000000) | 0)),
      };
    case "int64":
      return { bitpix: 64, stored: encodeBigEndian };
    case "uint64":
      return {
        bitpix: 64,
        zero: 9223372036854775808n,
        stored: (d) =>
          encodeBigEndian(
            BigInt64Array.from(d as BigUint64Array, (v) => BigInt.asIntN(64, v ^ 0x8000000000000000n)),
          ),
      };
    case "float32":
      return { bitpix: -32, stored: encodeBigEndian };
    case "float64":
      return { bitpix: -64, stored: encodeBigEndian };
  }
}

function encodeImage(input: ImageHduInput, index: number, more: boolean): Encoded {
  const count = input.axes.reduce((a, b) => a * b, input.axes.length === 0 ? 0 : 1);
  if (count !== input.data.length) {
    throw new FitsError(
      "INVALID_ARGUMENT",
      `axes ${input.axes.join("×")} need ${count} values, got ${input.data.length}`,
      { hdu: index },
    );
  }
  const st = storageOf(input.data);
  const cards: Card[] = [
    index === 0
      ? makeCard("SIMPLE", true, "conforms to FITS standard")
      : makeCard("XTENSION", "IMAGE", "image extension"),
    makeCard("BITPIX", st.bitpix, "array data type"),
    makeCard("NAXIS", input.axes.length, "number of array dimensions"),
    ...input.axes.map((a, i) => makeCard(`NAXIS${i + 1}`, a)),
  ];
  if (index === 0 && more) cards.push(makeCard("EXTEND", true));
  if (index > 0)
    cards.push(makeCard("PCOUNT", 0, "number of parameters"), makeCard("GCOUNT", 1, "number of groups"));
  if (st.zero !== undefined) {
    cards.push(makeCard("BSCALE", 1), makeCard("BZERO", st.zero, "offset for unsigned integers"));
  }
  return { header: buildHeader(cards, input.header, input.name), data: st.stored(input.data) };
}

// ---------------------------------------------------------------------------------------------
// Binary tables

interface ColumnPlan {
  input: TableColumnInput;
  tform: string;
  width: number;
  zero?: number | bigint;
  /** Write the field of `row` into `out` at `at`; heap data go through `heap`. */
  write: (row: number, out: DataView, at: number, heap: HeapWriter) => void;
}

class HeapWriter {
  chunks: Uint8Array[] = [];
  size = 0;
  add(bytes: Uint8Array): number {
    const at = this.size;
    this.chunks.push(bytes);
    this.size += bytes.length;
    return at;
  }
}

const LETTER: Record<string, string> = {
  uint8: "B",
  int8: "B",
  int16: "I",
  uint16: "I",
  int32: "J",
  uint32: "J",
  int64: "K",
  uint64: "K",
  float32: "E",
  float64: "D",
};

function isTyped(v: unknown): v is FitsArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function planColumn(col: TableColumnInput, rows: number, hdu: number): ColumnPlan {
  const v = col.values;
  if (isTyped(v)) {
    const type = typeOfArray(v);
    const complex = col.format !== undefined && /[CM]\s*$/i.test(col.format);
    const perRow = rows === 0 ? 0 : v.length / rows;
    if (!Number.isInteger(perRow)) {
      throw new FitsError(
        "INVALID_ARGUMENT",
        `column ${col.name}: ${v.length} values do not divide into ${rows} rows`,
        { hdu },
      );
    }
    const repeat = complex ? perRow / 2 : perRow;
    const letter = complex ? (type === "float32" ? "C" : "M") : (LETTER[type] as string);
    const bitColumn = col.format !== undefined && /X\s*$/i.test(col.format);
    if (bitColumn) {
      const nbits = perRow;
      const width = Math.ceil(nbits / 8);
      return {
        input: col,
        tform: `${nbits}X`,
        width,
        write: (r, out, at) => {
          for (let b = 0; b < nbits; b++) {
            if (Number(v[r * nbits + b]) !== 0) {
              const p = at + (b >> 3);
              out.setUint8(p, out.getUint8(p) | (0x80 >> (b & 7)));
            }
          }
        },
      };
    }
    const st = storageOf(v);
    const stored = st.stored(v);
    const elem = Math.abs(st.bitpix) / 8;
    const rowBytes = perRow * elem;
    return {
      input: col,
      tform: `${repeat}${letter}`,
      width: rowBytes,
      zero: st.zero,
      write: (r, out, at) => {
        new Uint8Array(out.buffer, out.byteOffset + at, rowBytes).set(
          stored.subarray(r * rowBytes, (r + 1) * rowBytes),
        );
      },
    };
  }
  const arr = v as readonly unknown[];
  if (arr.length !== rows) {
    throw new FitsError("INVALID_ARGUMENT", `column ${col.name} has ${arr.length} rows, the table ${rows}`, {
      hdu,
    });
  }
  if (arr.every((x) => typeof x === "boolean")) {
    return {
      input: col,
      tform: "L",
      width: 1,
      write: (r, out, at) => out.setUint8(at, arr[r] ? 0x54 : 0x46),
    };
  }
  const variable =
    (col.format !== undefined && /^\s*[01]?[PQ]/i.test(col.format)) || arr.some((x) => isTyped(x));
  if (!variable && arr.every((x) => typeof x === "string")) {
    const strs = arr as readonly string[];
    const width = Math.max(1, ...strs.map((s) => s.length));
    return {
      input: col,
      tform: `${width}A`,
      width,
      write: (r, out, at) => {
        const s = strs[r] as string;
        for (let k = 0; k < s.length; k++) out.setUint8(at + k, s.charCodeAt(k) & 0x7f);
      },
    };
  }
  // Variable-length arrays in the heap (FITS 4.0 §7.3.5), 32-bit descriptors.
  const first = arr.find((x) => isTyped(x)) as FitsArray | undefined;
  const letter = first === undefined ? "A" : (LETTER[typeOfArray(first)] as string);
  let max = 0;
  return {
    input: col,
    get tform() {
      return `1P${letter}(${max})`;
    },
    width: 8,
    write: (r, out, at, heap) => {
      const x = arr[r];
      let bytes: Uint8Array;
      let count: number;
      if (typeof x === "string") {
        bytes = Uint8Array.from(x, (c) => c.charCodeAt(0) & 0x7f);
        count = x.length;
      } else if (isTyped(x)) {
        bytes = storageOf(x).stored(x);
        count = x.length;
      } else
        throw new FitsError("INVALID_ARGUMENT", `column ${col.name} row ${r} is not an array or string`, {
          hdu,
        });
      max = Math.max(max, count);
      out.setInt32(at, count);
      out.setInt32(at + 4, heap.add(bytes));
    },
  };
}

function encodeTable(input: TableHduInput, index: number): Encoded {
  const rowsOf = (c: TableColumnInput): number => {
    if (isTyped(c.values)) {
      const per = c.dims
        ? c.dims.reduce((a, b) => a * b, 1) * (/[CM]\s*$/i.test(c.format ?? "") ? 2 : 1)
        : undefined;
      return per ? c.values.length / per : c.values.length;
    }
    return (c.values as readonly unknown[]).length;
  };
  const rows = input.columns.length === 0 ? 0 : rowsOf(input.columns[0] as TableColumnInput);
  const plans = input.columns.map((c) => planColumn(c, rows, index));
  const rowBytes = plans.reduce((n, p) => n + p.width, 0);
  const main = new Uint8Array(rowBytes * rows);
  const view = new DataView(main.buffer);
  const heap = new HeapWriter();
  for (let r = 0; r < rows; r++) {
    let at = r * rowBytes;
    for (const p of plans) {
      p.write(r, view, at, heap);
      at += p.width;
    }
  }
  const cards: Card[] = [
    makeCard("XTENSION", "BINTABLE", "binary table extension"),
    makeCard("BITPIX", 8, "array data type"),
    makeCard("NAXIS", 2, "number of array dimensions"),
    makeCard("NAXIS1", rowBytes, "length of dimension 1"),
    makeCard("NAXIS2", rows, "length of dimension 2"),
    makeCard("PCOUNT", heap.size, "number of group parameters"),
    makeCard("GCOUNT", 1, "number of groups"),
    makeCard("TFIELDS", plans.length, "number of table fields"),
  ];
  plans.forEach((p, i) => {
    const n = i + 1;
    cards.push(makeCard(`TTYPE${n}`, p.input.name));
    cards.push(makeCard(`TFORM${n}`, p.tform));
    if (p.input.unit !== undefined) cards.push(makeCard(`TUNIT${n}`, p.input.unit));
    if (p.input.dims !== undefined) cards.push(makeCard(`TDIM${n}`, `(${p.input.dims.join(",")})`));
    if (p.input.tnull !== undefined) cards.push(makeCard(`TNULL${n}`, p.input.tnull));
    if (p.zero !== undefined) cards.push(makeCard(`TSCAL${n}`, 1), makeCard(`TZERO${n}`, p.zero));
  });
  const data = new Uint8Array(main.length + heap.size);
  data.set(main);
  let q = main.length;
  for (const c of heap.chunks) {
    data.set(c, q);
    q += c.length;
  }
  return { header: buildHeader(cards, input.header, input.name), data };
}

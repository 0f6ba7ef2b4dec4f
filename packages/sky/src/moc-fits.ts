/**
 * MOC FITS serialisation (IVOA MOC 2.0 §4.3.1): an empty primary HDU and a BINTABLE with one
 * 64-bit column `UNIQ` (NUNIQ cell numbers), keywords PIXTYPE, ORDERING='NUNIQ', COORDSYS='C',
 * MOCDIM='SPACE', MOCORDER/MOCORD_S, MOCVERS. A minimal FITS writer/reader (FITS 4.0 §3–§7.3),
 * self-contained so the package stays free of other dependencies. Pure: works on Uint8Array.
 */
import { SkyError } from "./errors.js";
import { cellToUniq, MOC_MAX_ORDER, Moc, uniqToCell } from "./moc.js";

const BLOCK = 2880;
const CARD = 80;

function card(key: string, value: string, comment = ""): string {
  // FITS 4.0 §4.1: keyword in columns 1–8, "= " in 9–10, fixed-format value ending in column 30.
  const c = `${key.padEnd(8)}= ${value}${comment ? ` / ${comment}` : ""}`;
  return c.slice(0, CARD).padEnd(CARD);
}
const str = (s: string) => `'${s.padEnd(8)}'`.padEnd(20);
const int = (n: number | bigint) => String(n).padStart(20);
const logical = (b: boolean) => (b ? "T" : "F").padStart(20);

function headerBytes(cards: string[]): Uint8Array {
  const text = [...cards, "END".padEnd(CARD)].join("");
  const len = Math.ceil(text.length / BLOCK) * BLOCK;
  const out = new Uint8Array(len).fill(0x20);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** Serialise a MOC as a FITS file (bytes). */
export function mocToFits(moc: Moc, opts: { tool?: string } = {}): Uint8Array {
  const uniq = moc.cells().map((c) => cellToUniq(c.order, c.ipix));
  const primary = headerBytes([
    card("SIMPLE", logical(true), "conforms to FITS standard"),
    card("BITPIX", int(8)),
    card("NAXIS", int(0)),
    card("EXTEND", logical(true)),
  ]);
  const ext = headerBytes([
    card("XTENSION", str("BINTABLE"), "binary table extension"),
    card("BITPIX", int(8)),
    card("NAXIS", int(2)),
    card("NAXIS1", int(8), "bytes per row"),
    card("NAXIS2", int(uniq.length), "number of cells"),
    card("PCOUNT", int(0)),
    card("GCOUNT", int(1)),
    card("TFIELDS", int(1)),
    card("TTYPE1", str("UNIQ"), "NUNIQ cell number"),
    card("TFORM1", str("1K")),
    card("PIXTYPE", str("HEALPIX")),
    card("ORDERING", str("NUNIQ")),
    card("COORDSYS", str("C")),
    card("MOCDIM", str("SPACE")),
    card("MOCORDER", int(moc.order), "MOC resolution (best order)"),
    card("MOCORD_S", int(moc.order)),
    card("MOCVERS", str("2.0")),
    card("MOCTOOL", str(opts.tool ?? "meridian")),
  ]);
  const dataLen = Math.ceil((uniq.length * 8) / BLOCK) * BLOCK;
  const data = new Uint8Array(dataLen);
  const view = new DataView(data.buffer);
  uniq.forEach((u, i) => {
    view.setBigInt64(8 * i, u, false);
  });
  const out = new Uint8Array(primary.length + ext.length + data.length);
  out.set(primary, 0);
  out.set(ext, primary.length);
  out.set(data, primary.length + ext.length);
  return out;
}

function fail(message: string, offset: number): SkyError {
  return new SkyError("PARSE_MOC", `bad MOC FITS: ${message} at byte ${offset}`, { position: offset });
}

interface Header {
  readonly cards: Map<string, string>;
  /** Byte offset just after the header (start of data). */
  readonly end: number;
}

function readHeader(bytes: Uint8Array, start: number): Header {
  const cards = new Map<string, string>();
  for (let off = start; ; off += CARD) {
    if (off + CARD > bytes.length) throw fail("header has no END card", off);
    let c = "";
    for (let k = 0; k < CARD; k++) {
      const b = bytes[off + k] as number;
      if (b < 0x20 || b > 0x7e) throw fail(`non-ASCII byte 0x${b.toString(16)} in header`, off + k);
      c += String.fromCharCode(b);
    }
    const key = c.slice(0, 8).trim();
    if (key === "END") {
      const end = off + CARD;
      return { cards, end: Math.ceil((end - start) / BLOCK) * BLOCK + start };
    }
    if (c.slice(8, 10) === "= " && !cards.has(key)) cards.set(key, parseValue(c.slice(10)));
  }
}

function parseValue(v: string): string {
  const t = v.trimStart();
  if (t.startsWith("'")) {
    let out = "";
    for (let i = 1; i < t.length; i++) {
      if (t[i] === "'") {
        if (t[i + 1] === "'") {
          out += "'";
          i++;
        } else return out.trimEnd();
      } else out += t[i];
    }
    return out.trimEnd();
  }
  const slash = t.indexOf("/");
  return (slash >= 0 ? t.slice(0, slash) : t).trim();
}

function intKey(h: Header, key: string, at: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = h.cards.get(key);
  if (v === undefined) throw fail(`missing ${key}`, at);
  if (!/^[+-]?\d+$/.test(v)) throw fail(`${key} = ${v} is not an integer`, at);
  const n = Number(v);
  if (n < min || n > max) throw fail(`${key} = ${v} is out of range`, at);
  return n;
}

const TFORM_BYTES: Record<string, number> = {
  L: 1,
  X: 0.125,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

/**
 * Parse a MOC FITS file (NUNIQ BINTABLE, `UNIQ` column of type J or K).
 * @throws SkyError `PARSE_MOC` naming the byte offset of the problem.
 */
export function parseMocFits(bytes: Uint8Array): Moc {
  if (bytes.length < BLOCK) throw fail("file is shorter than one 2880-byte block", bytes.length);
  const primary = readHeader(bytes, 0);
  if (primary.cards.get("SIMPLE") !== "T") throw fail("primary header does not start with SIMPLE = T", 0);
  const naxis = intKey(primary, "NAXIS", 0, 0, 999);
  let dataLen = naxis === 0 ? 0 : Math.abs(intKey(primary, "BITPIX", 0, -64, 64)) / 8;
  for (let k = 1; k <= naxis; k++) dataLen *= intKey(primary, `NAXIS${k}`, 0, 0);
  let off = primary.end + Math.ceil(dataLen / BLOCK) * BLOCK;
  for (let hdu = 1; off < bytes.length; hdu++) {
    const h = readHeader(bytes, off);
    const xt = h.cards.get("XTENSION");
    if (xt !== "BINTABLE") {
      const nax = intKey(h, "NAXIS", off, 0, 999);
      let len = nax === 0 ? 0 : Math.abs(intKey(h, "BITPIX", off, -64, 64)) / 8;
      for (let k = 1; k <= nax; k++) len *= intKey(h, `NAXIS${k}`, off, 0);
      len += h.cards.has("PCOUNT") ? intKey(h, "PCOUNT", off, 0) : 0;
      off = h.end + Math.ceil(len / BLOCK) * BLOCK;
      continue;
    }
    const rowLen = intKey(h, "NAXIS1", off, 0);
    const nrows = intKey(h, "NAXIS2", off, 0);
    {
      const ordering = (h.cards.get("ORDERING") ?? "NUNIQ").toUpperCase();
      if (ordering !== "NUNIQ") {
        throw new SkyError(
          "UNSUPPORTED",
          `MOC FITS ordering ${ordering} in HDU ${hdu} is not supported (NUNIQ only)`,
        );
      }
      const tfields = intKey(h, "TFIELDS", off, 0, 999);
      let colOff = 0;
      let uniqOff = -1;
      let uniqType = "";
      for (let k = 1; k <= tfields; k++) {
        const form = (h.cards.get(`TFORM${k}`) ?? "").trim().toUpperCase();
        const m = /^(\d*)([LXBIJKAEDCMPQ])/.exec(form);
        if (!m) throw fail(`TFORM${k} = '${form}' is not a FITS binary table format`, off);
        const rep = m[1] === "" ? 1 : Number(m[1]);
        const type = m[2] as string;
        const name = (h.cards.get(`TTYPE${k}`) ?? "").trim().toUpperCase();
        if (name === "UNIQ" || (uniqOff < 0 && k === tfields && tfields === 1)) {
          if ((type !== "K" && type !== "J") || rep !== 1)
            throw fail(`UNIQ column has format ${form}, expected 1K or 1J`, off);
          uniqOff = colOff;
          uniqType = type;
        }
        colOff += Math.ceil(rep * (TFORM_BYTES[type] as number));
      }
      if (uniqOff < 0) throw fail(`no UNIQ column in HDU ${hdu}`, off);
      if (colOff > rowLen) throw fail(`columns need ${colOff} bytes but NAXIS1 = ${rowLen}`, off);
      const start = h.end;
      if (start + rowLen * nrows > bytes.length)
        throw fail(`table data (${nrows} rows) runs past the end of the file`, start);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const cells: { order: number; ipix: bigint }[] = [];
      let maxOrder = -1;
      for (let r = 0; r < nrows; r++) {
        const at = start + r * rowLen + uniqOff;
        const u = uniqType === "K" ? view.getBigInt64(at, false) : BigInt(view.getInt32(at, false));
        let cell: { order: number; ipix: bigint };
        try {
          cell = uniqToCell(u);
        } catch (cause) {
          throw new SkyError(
            "PARSE_MOC",
            `bad MOC FITS: row ${r + 1} holds invalid NUNIQ ${u} at byte ${at}`,
            {
              cause,
              position: at,
            },
          );
        }
        if (cell.order > maxOrder) maxOrder = cell.order;
        cells.push(cell);
      }
      const declared = h.cards.get("MOCORD_S") ?? h.cards.get("MOCORDER");
      let order = Math.max(0, maxOrder);
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) <= MOC_MAX_ORDER) {
        order = Math.max(order, Number(declared));
      }
      return Moc.fromCells(cells, order);
    }
  }
  throw fail("no BINTABLE extension", off);
}

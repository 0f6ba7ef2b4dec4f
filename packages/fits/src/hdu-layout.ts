/**
 * What an HDU is and how many data bytes follow its header, from the mandatory keywords
 * (FITS 4.0 §4.4.1, §7, §6 random groups, §10 tile compression).
 */
import { type Bitpix, checkBitpix } from "./element-type.js";
import { FitsError } from "./errors.js";
import type { Header } from "./header.js";

/** Kinds of HDU. */
export type HduKind =
  | "primary"
  | "image"
  | "bintable"
  | "table"
  | "random-groups"
  | "compressed-image"
  | "unknown";

/** The layout of one HDU: header and data positions, type and axes. */
export interface HduInfo {
  /** HDU index, 0 for the primary HDU. */
  readonly index: number;
  readonly kind: HduKind;
  /** EXTNAME, or "PRIMARY" for HDU 0 (as astropy names them). */
  readonly name: string;
  /** EXTVER (1 when absent). */
  readonly version: number;
  /** XTENSION value for extensions. */
  readonly xtension: string | undefined;
  /** The header as stored (for a compressed image: the binary-table header). */
  readonly header: Header;
  readonly headerOffset: number;
  /** Header bytes, padded to whole blocks. */
  readonly headerLength: number;
  readonly dataOffset: number;
  /** Data bytes without the block padding (for tables: main table plus heap). */
  readonly dataLength: number;
  readonly bitpix: Bitpix;
  /** NAXISn in FITS order (NAXIS1 first, the fastest-varying axis). */
  readonly axes: readonly number[];
  readonly pcount: number;
  readonly gcount: number;
}

/** Largest element count the reader will consider (guards against absurd NAXISn). */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function requireInteger(header: Header, key: string, hdu: number, offset: number, min = 0): number {
  const card = header.getCard(key);
  if (card === undefined) {
    throw new FitsError(
      key.startsWith("NAXIS") ? "BAD_NAXIS" : "BAD_HEADER",
      `missing mandatory keyword ${key}`,
      {
        hdu,
        offset,
        keyword: key,
      },
    );
  }
  const v = card.value;
  if (card.type !== "integer" || typeof v !== "number" || v < min) {
    throw new FitsError(
      key.startsWith("NAXIS") ? "BAD_NAXIS" : "BAD_HEADER",
      `${key} = ${String(v)} is not an integer >= ${min} (or is too large)`,
      { hdu, offset, keyword: key },
    );
  }
  return v;
}

/** Work out the layout of an HDU whose header was read at `headerOffset`. */
export function layoutHdu(
  header: Header,
  index: number,
  headerOffset: number,
  headerLength: number,
): Omit<HduInfo, "dataLength"> & { dataLength: number } {
  const where = { hdu: index, offset: headerOffset };
  let xtension: string | undefined;
  if (index === 0) {
    if (header.cards[0]?.key !== "SIMPLE") {
      throw new FitsError("NOT_FITS", "the first card is not SIMPLE", where);
    }
  } else {
    const first = header.cards[0];
    if (first?.key !== "XTENSION" || typeof first.value !== "string") {
      throw new FitsError("BAD_HEADER", "an extension must start with XTENSION", where);
    }
    xtension = first.value.trim().toUpperCase();
  }
  const bitpix = checkBitpix(header.get("BITPIX"), where);
  const naxis = requireInteger(header, "NAXIS", index, headerOffset);
  if (naxis > 999) {
    throw new FitsError("BAD_NAXIS", `NAXIS = ${naxis} exceeds 999`, { ...where, keyword: "NAXIS" });
  }
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) axes.push(requireInteger(header, `NAXIS${i}`, index, headerOffset));
  const extension = index > 0;
  const pcount =
    extension || header.has("PCOUNT") ? requireIntegerOr(header, "PCOUNT", 0, index, headerOffset) : 0;
  const gcount =
    extension || header.has("GCOUNT") ? requireIntegerOr(header, "GCOUNT", 1, index, headerOffset) : 1;
  const groups = index === 0 && naxis > 0 && axes[0] === 0 && header.get("GROUPS") === true;

  let kind: HduKind;
  if (index === 0) kind = groups ? "random-groups" : "primary";
  else if (xtension === "IMAGE") kind = "image";
  else if (xtension === "BINTABLE" || xtension === "A3DTABLE")
    kind = header.get("ZIMAGE") === true ? "compressed-image" : "bintable";
  else if (xtension === "TABLE") kind = "table";
  else kind = "unknown";

  // FITS 4.0 eq. (1)/(2): Nbits = |BITPIX| × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISm); random groups skip NAXIS1.
  let elements = naxis === 0 ? 0 : 1;
  for (let i = groups ? 1 : 0; i < naxis; i++) {
    elements *= axes[i] as number;
    if (elements > MAX_SAFE) {
      throw new FitsError("TOO_LARGE", `data size from NAXIS1..NAXIS${naxis} is beyond 2^53 elements`, {
        ...where,
        keyword: `NAXIS${i + 1}`,
      });
    }
  }
  if (naxis > 0 || pcount > 0) elements = (elements + pcount) * gcount;
  const dataLength = elements * (Math.abs(bitpix) / 8);
  if (!Number.isSafeInteger(dataLength)) {
    throw new FitsError("TOO_LARGE", "data size is beyond 2^53 bytes", where);
  }
  const name = header.getString("EXTNAME")?.trim() ?? (index === 0 ? "PRIMARY" : "");
  const ver = header.getInteger("EXTVER") ?? 1;
  return {
    index,
    kind,
    name,
    version: ver,
    xtension,
    header,
    headerOffset,
    headerLength,
    dataOffset: headerOffset + headerLength,
    dataLength,
    bitpix,
    axes,
    pcount,
    gcount,
  };
}

function requireIntegerOr(
  header: Header,
  key: string,
  fallback: number,
  hdu: number,
  offset: number,
): number {
  if (!header.has(key)) return fallback;
  return requireInteger(header, key, hdu, offset);
}

/** Bytes occupied by `length` data bytes once padded to whole 2880-byte blocks. */
export function paddedLength(length: number): number {
  return Math.ceil(length / 2880) * 2880;
}

/**
 * Tagged errors for the FITS package. Every failure names what was wrong and where: the HDU index
 * (0 = primary) and the absolute byte offset in the source when they are known.
 */

/** Every error code this package throws. */
export type FitsErrorCode =
  /** A header card that cannot be parsed (junk bytes, bad keyword, unterminated string). */
  | "BAD_CARD"
  /** A header that is structurally wrong: no END card, missing or misplaced mandatory keyword. */
  | "BAD_HEADER"
  /** BITPIX is not one of 8, 16, 32, 64, -32, -64. */
  | "BAD_BITPIX"
  /** NAXIS or NAXISn is negative, not an integer, or absurd. */
  | "BAD_NAXIS"
  /** A TFORMn (or ASCII-table TFORMn/TBCOLn) that cannot be parsed or does not fit the row. */
  | "BAD_TFORM"
  /** A table whose layout is inconsistent (heap outside the data, bad descriptor, bad TDIM). */
  | "BAD_TABLE"
  /** A tile-compressed image whose tiles cannot be decoded. */
  | "BAD_COMPRESSED"
  /** Not a FITS file at all (does not start with SIMPLE = T or XTENSION). */
  | "NOT_FITS"
  /** The source ends before the header or data it claims. */
  | "TRUNCATED"
  /** A size beyond what the source holds or what can be allocated. */
  | "TOO_LARGE"
  /** An HDU, column or keyword that was asked for does not exist. */
  | "NOT_FOUND"
  /** A valid FITS feature this reader does not implement. */
  | "UNSUPPORTED"
  /** A caller error: bad section bounds, bad writer input, a value that cannot be written. */
  | "INVALID_ARGUMENT"
  /** Reading bytes from the underlying source failed. */
  | "IO";

/** Where in a FITS source an error happened. */
export interface FitsErrorLocation {
  /** HDU index, 0 for the primary HDU. */
  hdu?: number;
  /** Absolute byte offset in the source. */
  offset?: number;
  /** Card index in the header (0-based), for header errors. */
  card?: number;
  /** Keyword involved, when there is one. */
  keyword?: string;
}

/** Base class of every error thrown by `@meridian/fits`. */
export class FitsError<C extends FitsErrorCode = FitsErrorCode> extends Error {
  override readonly name = "FitsError";
  readonly code: C;
  readonly hdu: number | undefined;
  readonly offset: number | undefined;
  readonly card: number | undefined;
  readonly keyword: string | undefined;

  constructor(code: C, message: string, where: FitsErrorLocation = {}, options?: { cause?: unknown }) {
    super(withLocation(message, where), options);
    this.code = code;
    this.hdu = where.hdu;
    this.offset = where.offset;
    this.card = where.card;
    this.keyword = where.keyword;
  }
}

function withLocation(message: string, where: FitsErrorLocation): string {
  const parts: string[] = [];
  if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
  if (where.keyword !== undefined) parts.push(`keyword ${where.keyword}`);
  if (where.card !== undefined) parts.push(`card ${where.card + 1}`);
  if (where.offset !== undefined) parts.push(`byte ${where.offset}`);
  return parts.length > 0 ? `${message} (${parts.join(", ")})` : message;
}

/** True when `err` is a {@link FitsError}, optionally with the given `code`. */
export function isFitsError<C extends FitsErrorCode>(err: unknown, code?: C): err is FitsError<C> {
  return err instanceof FitsError && (code === undefined || err.code === code);
}

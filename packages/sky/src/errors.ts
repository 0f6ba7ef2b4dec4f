/**
 * Tagged errors of `@meridian/sky`. Every failure the package raises is a {@link SkyError} with a
 * literal `code`; parsers also say where in the input the problem is (`position`, 0-based
 * character index into `input`).
 */

/** Every code a {@link SkyError} can carry. */
export type SkyErrorCode =
  /** Angle text could not be parsed. */
  | "PARSE_ANGLE"
  /** Time text (ISO 8601, epoch) could not be parsed. */
  | "PARSE_TIME"
  /** Coordinate pair text could not be parsed. */
  | "PARSE_COORDINATES"
  /** STC-S or DS9 region text could not be parsed. */
  | "PARSE_REGION"
  /** MOC text (ASCII, JSON) or FITS could not be parsed. */
  | "PARSE_MOC"
  /** An argument is outside its domain (latitude > 90°, negative radius, NaN, …). */
  | "INVALID_ARGUMENT"
  /** A HEALPix order/depth outside 0–29 or a pixel index outside its order. */
  | "INVALID_ORDER"
  /** A HEALPix pixel index outside the range of its order. */
  | "INVALID_PIXEL"
  /** A frame name that is not known. */
  | "UNKNOWN_FRAME"
  /** A time outside the range of a table that has no safe extrapolation. */
  | "OUT_OF_RANGE"
  /** A valid input this implementation does not handle. */
  | "UNSUPPORTED";

/** Options shared by every {@link SkyError}. */
export interface SkyErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The text being parsed, for parse errors. */
  input?: string;
  /** 0-based character index into `input` of the offending character. */
  position?: number;
}

/** Base class of every error thrown by `@meridian/sky`. */
export class SkyError<C extends SkyErrorCode = SkyErrorCode> extends Error {
  /** Stable machine-readable tag. */
  readonly code: C;
  /** The text being parsed (parse errors only). */
  readonly input: string | undefined;
  /** 0-based character index of the offending character in `input` (parse errors only). */
  readonly position: number | undefined;

  constructor(code: C, message: string, options: SkyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SkyError";
    this.code = code;
    this.input = options.input;
    this.position = options.position;
  }
}

/**
 * Build a parse error whose message quotes the input and points at the offending character:
 * `bad angle "12h6x": unexpected "x" at character 5`. Character numbers in messages are 1-based.
 */
export function skyParseError<C extends SkyErrorCode>(
  code: C,
  what: string,
  input: string,
  position: number,
  detail?: string,
): SkyError<C> {
  const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
  const ch = input[position];
  const at =
    position >= input.length
      ? `unexpected end of input at character ${position + 1}`
      : `unexpected ${JSON.stringify(ch)} at character ${position + 1}`;
  return new SkyError(code, `bad ${what} ${JSON.stringify(shown)}: ${detail ?? at}`, { input, position });
}

/** True when `err` is a {@link SkyError}, optionally with the given `code`. */
export function isSkyError<C extends SkyErrorCode>(err: unknown, code?: C): err is SkyError<C> {
  return err instanceof SkyError && (code === undefined || err.code === code);
}

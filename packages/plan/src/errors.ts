/**
 * Tagged errors of `@meridian/plan`. Every failure the package raises is a {@link PlanError} with a
 * literal `code`; parsers say where (`line`, 1-based, and `column`, 1-based) when they can.
 */

/** Every code a {@link PlanError} can carry. */
export type PlanErrorCode =
  /** A site string (`lat,lon[,elev]`) could not be parsed or is out of range. */
  | "PARSE_SITE"
  /** A date/time could not be parsed (ISO 8601 UTC expected). */
  | "PARSE_TIME"
  /** A target string could not be parsed as coordinates. */
  | "PARSE_TARGET"
  /** A target name is not in the bundled catalogues; `suggestions` lists near names. */
  | "UNKNOWN_TARGET"
  /** A horizon-profile file could not be parsed. */
  | "PARSE_HORIZON"
  /** A TLE set could not be parsed (used when no line at all could be read). */
  | "PARSE_TLE"
  /** An OMM document (JSON, XML, CSV) could not be parsed. */
  | "PARSE_OMM"
  /** A target list (CSV) could not be parsed. */
  | "PARSE_TARGET_LIST"
  /** An argument is outside its domain (negative duration, airmass < 1, empty grid, …). */
  | "INVALID_ARGUMENT";

/** Options shared by every {@link PlanError}. */
export interface PlanErrorOptions {
  cause?: unknown;
  /** 1-based line number in the parsed text. */
  line?: number;
  /** 1-based column in that line. */
  column?: number;
  /** Close names, for `UNKNOWN_TARGET`. */
  suggestions?: readonly string[];
}

/** Base class of every error thrown by `@meridian/plan`. */
export class PlanError<C extends PlanErrorCode = PlanErrorCode> extends Error {
  /** Stable machine-readable tag. */
  readonly code: C;
  /** 1-based line of the problem in the parsed text, if any. */
  readonly line: number | undefined;
  /** 1-based column of the problem, if any. */
  readonly column: number | undefined;
  /** Close names for an unknown target (best first). */
  readonly suggestions: readonly string[];

  constructor(code: C, message: string, options: PlanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PlanError";
    this.code = code;
    this.line = options.line;
    this.column = options.column;
    this.suggestions = options.suggestions ?? [];
  }
}

/** True when `err` is a {@link PlanError} (with `code`, when given). */
export function isPlanError<C extends PlanErrorCode>(err: unknown, code?: C): err is PlanError<C> {
  return err instanceof PlanError && (code === undefined || err.code === code);
}

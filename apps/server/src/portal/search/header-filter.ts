/**
 * Header keyword conditions of a file search: `KEYWORD=value`, `KEYWORD!=value`, and numeric
 * comparisons `KEYWORD>30`, `>=`, `<`, `<=`. Keywords are matched upper-case (FITS 4.0 §4.1.2.1);
 * `=` compares numbers as numbers and text exactly, or as a pattern when the value holds `*`.
 */
import { ServerError } from "../../errors.js";

/** One parsed condition. */
export interface HeaderCondition {
  readonly keyword: string;
  readonly op: "=" | "!=" | "<" | "<=" | ">" | ">=";
  /** The value as typed (quotes removed). */
  readonly text: string;
  /** The value as a number, when it is one. */
  readonly number: number | null;
}

const CONDITION = /^\s*([A-Za-z0-9_.\- ]{1,70}?)\s*(!=|>=|<=|=|<|>)\s*(.*?)\s*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/**
 * Parse `text` (e.g. `EXPTIME>30`, `OBJECT=M 31`, `IMAGETYP='Light Frame'`).
 *
 * @throws ServerError BAD_REQUEST naming the condition and what is wrong.
 */
export function parseHeaderCondition(text: string): HeaderCondition {
  const m = CONDITION.exec(text);
  if (m === null)
    throw new ServerError(
      "BAD_REQUEST",
      `header condition "${text}" is not KEYWORD=value, KEYWORD!=value or KEYWORD<, <=, >, >= number`,
    );
  const keyword = m[1]!.trim().toUpperCase();
  if (keyword === "") throw new ServerError("BAD_REQUEST", `header condition "${text}" names no keyword`);
  const op = m[2] as HeaderCondition["op"];
  let value = m[3]!;
  if (value.length >= 2 && /^'.*'$|^".*"$/.test(value)) value = value.slice(1, -1);
  const parsed = NUMBER.test(value) ? Number(value.replace(/[dD]/, "e")) : Number.NaN;
  const number = Number.isFinite(parsed) ? parsed : null;
  if (op !== "=" && op !== "!=" && number === null)
    throw new ServerError("BAD_REQUEST", `header condition "${text}": ${op} needs a number, got "${value}"`);
  if (value === "" && op !== "!=")
    throw new ServerError("BAD_REQUEST", `header condition "${text}" has no value`);
  return { keyword, op, text: value, number };
}

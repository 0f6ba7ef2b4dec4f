/**
 * FITS header model: 80-character cards in 2880-byte blocks (FITS 4.0 §4), parsed into an ordered
 * list of typed cards that can be edited and written back without disturbing order or comments.
 */
import { FitsError } from "./errors.js";

/** Bytes in a FITS logical record (FITS 4.0 §3.1). */
export const BLOCK_SIZE = 2880;
/** Characters in a header card (FITS 4.0 §4.1). */
export const CARD_SIZE = 80;
const CARDS_PER_BLOCK = BLOCK_SIZE / CARD_SIZE;

/** A complex header value (FITS 4.0 §4.2.5, §4.2.6). */
export interface FitsComplex {
  readonly re: number;
  readonly im: number;
}

/** A header value: integers beyond 2^53 are `bigint`; `undefined` is a keyword with no value. */
export type HeaderValue = string | number | bigint | boolean | FitsComplex | undefined;

/** Type of a card's value as written (FITS 4.0 §4.2); `text` for commentary cards. */
export type CardValueType = "string" | "integer" | "float" | "boolean" | "complex" | "undefined" | "text";

/** One logical header card (a long string with its CONTINUE cards is one card). */
export interface Card {
  /**
   * Keyword, upper case for standard 8-character keywords; for HIERARCH cards the text after
   * `HIERARCH` (`ESO DET CHIP`). Blank keyword is `""`.
   */
  readonly key: string;
  /** `commentary` for COMMENT, HISTORY, blank and other cards without a value indicator. */
  readonly kind: "value" | "commentary";
  /** The value; for commentary cards the text after column 8 (trailing blanks removed). */
  readonly value: HeaderValue;
  readonly type: CardValueType;
  /** Comment after `/` (leading and trailing blanks removed), `undefined` if none. */
  readonly comment: string | undefined;
  /** True for `HIERARCH` cards (ESO convention). */
  readonly hierarch?: boolean;
  /**
   * The 80-character images this card was parsed from; kept so unedited cards are written back
   * byte for byte.
   */
  readonly images?: readonly string[];
}

/** Keywords whose cards carry free text, not a value (FITS 4.0 §4.4.2.4). */
const COMMENTARY_KEYS = new Set(["COMMENT", "HISTORY", ""]);

const KEY_RE = /^[A-Z0-9_-]*$/;
const INTEGER_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

/** Where a header being parsed sits, for error messages. */
export interface HeaderLocation {
  /** HDU index. */
  hdu?: number;
  /** Absolute byte offset of the first card. */
  offset?: number;
}

/** Options for header creation. */
export interface SetCardOptions {
  /** Force the value type (e.g. `float` for a whole number written as `5.0`). */
  type?: CardValueType;
  /** Insert a new card after this keyword (or card index) instead of at the end. */
  after?: string | number;
  /** Insert a new card before this keyword (or card index) instead of at the end. */
  before?: string | number;
}

/** An ordered, editable FITS header. */
export class Header {
  #cards: Card[];
  #index: Map<string, number[]> | undefined;

  constructor(cards: Iterable<Card> = []) {
    this.#cards = [...cards];
  }

  /** The cards in order (without END). */
  get cards(): readonly Card[] {
    return this.#cards;
  }

  /** Number of logical cards (without END). */
  get length(): number {
    return this.#cards.length;
  }

  /** True when a card with `key` exists (case-insensitive). */
  has(key: string): boolean {
    return this.#positions(key).length > 0;
  }

  /** Index of the first card with `key`, or -1. */
  indexOf(key: string): number {
    return this.#positions(key)[0] ?? -1;
  }

  /** The first card with `key`. */
  getCard(key: string): Card | undefined {
    const i = this.#positions(key)[0];
    return i === undefined ? undefined : this.#cards[i];
  }

  /** Value of the first card with `key` (`undefined` when absent or valueless). */
  get(key: string): HeaderValue {
    return this.getCard(key)?.value;
  }

  /** Values of every card with `key`, e.g. all HISTORY lines. */
  getAll(key: string): HeaderValue[] {
    return this.#positions(key).map((i) => this.#cards[i]?.value);
  }

  /** Comment of the first card with `key`. */
  comment(key: string): string | undefined {
    return this.getCard(key)?.comment;
  }

  /** Numeric value of `key` (integers and floats; bigint converted), else `undefined`. */
  getNumber(key: string): number | undefined {
    const v = this.get(key);
    if (typeof v === "number") return v;
    if (typeof v === "bigint") return Number(v);
    return undefined;
  }

  /** Integer value of `key` as a safe `number`, else `undefined`. */
  getInteger(key: string): number | undefined {
    const card = this.getCard(key);
    if (card?.type !== "integer") return undefined;
    const v = card.value;
    if (typeof v === "number") return v;
    if (
      typeof v === "bigint" &&
      v <= BigInt(Number.MAX_SAFE_INTEGER) &&
      v >= -BigInt(Number.MAX_SAFE_INTEGER)
    ) {
      return Number(v);
    }
    return undefined;
  }

  /** String value of `key`, else `undefined`. */
  getString(key: string): string | undefined {
    const card = this.getCard(key);
    return card?.kind === "value" && typeof card.value === "string" ? card.value : undefined;
  }

  /** Boolean value of `key`, else `undefined`. */
  getBoolean(key: string): boolean | undefined {
    const v = this.get(key);
    return typeof v === "boolean" ? v : undefined;
  }

  /** Keywords in card order (repeats included). */
  keys(): string[] {
    return this.#cards.map((c) => c.key);
  }

  /**
   * Set `key` to `value`. An existing card keeps its position and, unless `comment` is given, its
   * comment; a new card goes at the end (or `after`/`before` another card).
   */
  set(key: string, value: HeaderValue, comment?: string, options: SetCardOptions = {}): this {
    const card = makeCard(key, value, comment, options.type);
    const i = this.#positions(card.key)[0];
    if (i !== undefined && card.kind === "value") {
      const old = this.#cards[i] as Card;
      this.#cards[i] = { ...card, comment: comment ?? old.comment };
      return this;
    }
    return this.insert(this.#insertPosition(options), card);
  }

  /** Append a COMMENT card. */
  addComment(text: string, options: SetCardOptions = {}): this {
    return this.insert(this.#insertPosition(options), makeCard("COMMENT", text));
  }

  /** Append a HISTORY card. */
  addHistory(text: string, options: SetCardOptions = {}): this {
    return this.insert(this.#insertPosition(options), makeCard("HISTORY", text));
  }

  /** Insert a card at `index` (clamped to the header). */
  insert(index: number, card: Card): this {
    const at = Math.max(0, Math.min(index, this.#cards.length));
    if (at === this.#cards.length) {
      // Appending keeps the keyword index valid: extend it instead of rebuilding (O(1) per card).
      this.#cards.push(card);
      if (this.#index !== undefined) {
        const k = card.key.toUpperCase();
        const list = this.#index.get(k);
        if (list) list.push(at);
        else this.#index.set(k, [at]);
      }
      return this;
    }
    this.#cards.splice(at, 0, card);
    this.#index = undefined;
    return this;
  }

  /** Append a card. */
  append(card: Card): this {
    return this.insert(this.#cards.length, card);
  }

  /** Remove the first card with `key` (or every one with `all`). Returns how many were removed. */
  delete(key: string, all = false): number {
    const positions = this.#positions(key);
    const remove = all ? positions : positions.slice(0, 1);
    for (let k = remove.length - 1; k >= 0; k--) this.#cards.splice(remove[k] as number, 1);
    if (remove.length > 0) this.#index = undefined;
    return remove.length;
  }

  /** Remove the card at `index`. */
  deleteAt(index: number): void {
    if (index < 0 || index >= this.#cards.length) {
      throw new FitsError("NOT_FOUND", `no card at index ${index}`);
    }
    this.#cards.splice(index, 1);
    this.#index = undefined;
  }

  /** A deep-enough copy (cards are immutable). */
  clone(): Header {
    return new Header(this.#cards);
  }

  /** The 80-character card images, END included. */
  toCardImages(): string[] {
    const out: string[] = [];
    for (const card of this.#cards) out.push(...cardImages(card));
    out.push("END".padEnd(CARD_SIZE));
    return out;
  }

  /** The header as bytes: card images padded with blanks to a whole number of 2880-byte blocks. */
  toBytes(): Uint8Array {
    const images = this.toCardImages();
    const blocks = Math.ceil(images.length / CARDS_PER_BLOCK);
    const out = new Uint8Array(blocks * BLOCK_SIZE).fill(0x20);
    let p = 0;
    for (const img of images) {
      for (let k = 0; k < CARD_SIZE; k++) out[p + k] = img.charCodeAt(k);
      p += CARD_SIZE;
    }
    return out;
  }

  /** The card images joined by newlines (END included), as `fitsheader` prints them. */
  toString(): string {
    return this.toCardImages()
      .map((s) => s.trimEnd())
      .join("\n");
  }

  #positions(key: string): number[] {
    if (this.#index === undefined) {
      const index = new Map<string, number[]>();
      this.#cards.forEach((c, i) => {
        const k = c.key.toUpperCase();
        const list = index.get(k);
        if (list) list.push(i);
        else index.set(k, [i]);
      });
      this.#index = index;
    }
    return this.#index.get(normaliseKey(key)) ?? [];
  }

  #insertPosition(options: SetCardOptions): number {
    const anchor = options.after ?? options.before;
    if (anchor === undefined) return this.#cards.length;
    const i = typeof anchor === "number" ? anchor : this.indexOf(anchor);
    if (i < 0) throw new FitsError("NOT_FOUND", `no card ${String(anchor)} to insert next to`);
    return options.after !== undefined ? i + 1 : i;
  }
}

function normaliseKey(key: string): string {
  let k = key.trim().toUpperCase();
  if (k.startsWith("HIERARCH ")) k = k.slice(9).trim();
  return k;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Result of {@link parseHeaderBytes}. */
export interface ParsedHeader {
  header: Header;
  /** Number of bytes the header occupies, padded to whole 2880-byte blocks. */
  byteLength: number;
}

/**
 * Index of the END card within `bytes` (a multiple of 80 bytes), as a card index, or -1.
 * Only card starts are checked (FITS 4.0 §4.4.1.1: END is columns 1–3, blanks to 80).
 */
export function findEndCard(bytes: Uint8Array, fromCard = 0): number {
  const n = Math.floor(bytes.length / CARD_SIZE);
  for (let c = fromCard; c < n; c++) {
    const p = c * CARD_SIZE;
    if (bytes[p] === 0x45 && bytes[p + 1] === 0x4e && bytes[p + 2] === 0x44) {
      let blank = true;
      for (let k = 3; k < CARD_SIZE; k++) {
        if (bytes[p + k] !== 0x20) {
          blank = false;
          break;
        }
      }
      if (blank) return c;
    }
  }
  return -1;
}

/**
 * Parse a header from `bytes` starting at a block boundary; the header must contain an END card.
 * Bytes outside printable ASCII (0x20–0x7E) before END are an error (FITS 4.0 §4.1.1).
 */
export function parseHeaderBytes(bytes: Uint8Array, where: HeaderLocation = {}): ParsedHeader {
  const end = findEndCard(bytes);
  const base = where.offset ?? 0;
  if (end < 0) {
    throw new FitsError("BAD_HEADER", "header has no END card", {
      hdu: where.hdu,
      offset: base + bytes.length,
    });
  }
  const limit = end * CARD_SIZE;
  for (let p = 0; p < limit; p++) {
    const b = bytes[p] as number;
    if (b < 0x20 || b > 0x7e) {
      throw new FitsError(
        "BAD_CARD",
        `byte 0x${b.toString(16).padStart(2, "0")} is not printable ASCII in a header card`,
        { hdu: where.hdu, offset: base + p, card: Math.floor(p / CARD_SIZE) },
      );
    }
  }
  const text = latin1(bytes, 0, limit);
  const images: string[] = new Array(end);
  for (let c = 0; c < end; c++) images[c] = text.slice(c * CARD_SIZE, (c + 1) * CARD_SIZE);
  const header = cardsFromImages(images, where);
  return { header, byteLength: Math.ceil((end + 1) / CARDS_PER_BLOCK) * BLOCK_SIZE };
}

/**
 * Parse header text as found in `.hdr` files: 80-character cards either run together or one per
 * line (lines shorter than 80 are padded). END is optional; text after END is ignored.
 */
export function parseHeaderText(text: string): Header {
  const images: string[] = [];
  if (text.includes("\n")) {
    for (const line of text.split(/\r?\n/)) {
      if (line.length === 0) continue;
      // A line longer than 80 is several cards run together.
      for (let p = 0; p < line.length; p += CARD_SIZE)
        images.push(line.slice(p, p + CARD_SIZE).padEnd(CARD_SIZE));
    }
  } else {
    for (let p = 0; p < text.length; p += CARD_SIZE)
      images.push(text.slice(p, p + CARD_SIZE).padEnd(CARD_SIZE));
  }
  const endAt = images.findIndex((s) => /^END\s*$/.test(s));
  const cards = endAt >= 0 ? images.slice(0, endAt) : images;
  return cardsFromImages(
    cards.filter((s, i) => !(s.trim() === "" && i === cards.length - 1 && endAt < 0)),
    {},
  );
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  const CHUNK = 8192;
  for (let p = start; p < end; p += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(p, Math.min(end, p + CHUNK)) as unknown as number[]);
  }
  return s;
}

const LOC: { hdu: number | undefined; offset: number; card: number } = { hdu: undefined, offset: 0, card: 0 };

function cardsFromImages(images: readonly string[], where: HeaderLocation): Header {
  const cards: Card[] = [];
  const base = where.offset ?? 0;
  for (let c = 0; c < images.length; c++) {
    const image = images[c] as string;
    // One location object reused for every card: only an error copies it.
    LOC.hdu = where.hdu;
    LOC.offset = base + c * CARD_SIZE;
    LOC.card = c;
    const card = parseCard(image, LOC);
    // CONTINUE long strings (FITS 4.0 §4.2.1.2): a string ending in '&' continues on CONTINUE cards.
    if (card.type === "string" && card.kind === "value" && continues(card)) {
      let value = (card.value as string).slice(0, -1);
      const comments = card.comment ? [card.comment] : [];
      const used = [image];
      let k = c + 1;
      for (; k < images.length; k++) {
        const next = images[k] as string;
        if (!next.startsWith("CONTINUE")) break;
        const part = parseContinue(next);
        if (part === undefined) break;
        used.push(next);
        if (part.comment) comments.push(part.comment);
        if (part.value.endsWith("&")) {
          value += part.value.slice(0, -1);
        } else {
          value += part.value;
          k++;
          break;
        }
      }
      if (used.length > 1) {
        cards.push({
          ...card,
          value,
          comment: comments.length > 0 ? comments.join(" ") : undefined,
          images: used,
        });
        c = k - 1;
        continue;
      }
    }
    cards.push(card);
  }
  return new Header(cards);
}

function continues(card: Card): boolean {
  return typeof card.value === "string" && card.value.endsWith("&");
}

function parseContinue(image: string): { value: string; comment: string | undefined } | undefined {
  const field = image.slice(8).trimStart();
  if (!field.startsWith("'")) return undefined;
  const parsed = parseString(field, 0);
  if (parsed === undefined) return undefined;
  return { value: parsed.value, comment: commentAfter(field, parsed.end) };
}

/** Parse one 80-character card image (FITS 4.0 §4.1–4.2). */
export function parseCard(image: string, where: HeaderLocation & { card?: number } = {}): Card {
  const img = image.length === CARD_SIZE ? image : image.padEnd(CARD_SIZE).slice(0, CARD_SIZE);
  // HIERARCH convention: keyword of any length up to '='.
  if (img.startsWith("HIERARCH ")) {
    const eq = img.indexOf("=", 9);
    if (eq > 0) {
      const key = img.slice(9, eq).trim();
      const v = parseValueField(img.slice(eq + 1), where, key);
      return {
        key,
        kind: "value",
        value: v.value,
        type: v.type,
        comment: v.comment,
        hierarch: true,
        images: [img],
      };
    }
  }
  const rawKey = img.slice(0, 8);
  const key = rawKey.trimEnd();
  if (!KEY_RE.test(key) || (key.length > 0 && rawKey.slice(0, key.length).includes(" "))) {
    throw new FitsError("BAD_CARD", `invalid keyword "${key}"`, { ...where, keyword: key });
  }
  if (COMMENTARY_KEYS.has(key) || img.slice(8, 10) !== "= ") {
    return {
      key,
      kind: "commentary",
      value: img.slice(8).trimEnd(),
      type: "text",
      comment: undefined,
      images: [img],
    };
  }
  const v = parseValueField(img.slice(10), where, key);
  return { key, kind: "value", value: v.value, type: v.type, comment: v.comment, images: [img] };
}

function parseValueField(
  field: string,
  at: HeaderLocation & { card?: number },
  keyword: string,
): { value: HeaderValue; type: CardValueType; comment: string | undefined } {
  let p = 0;
  while (p < field.length && field[p] === " ") p++;
  if (p === field.length) return { value: undefined, type: "undefined", comment: undefined };
  const ch = field[p];
  if (ch === "/") return { value: undefined, type: "undefined", comment: commentAfter(field, p) };
  if (ch === "'") {
    const s = parseString(field, p);
    if (s === undefined) {
      throw new FitsError("BAD_CARD", "unterminated string value", { ...at, keyword });
    }
    return { value: s.value, type: "string", comment: commentAfter(field, s.end) };
  }
  if (ch === "(") {
    const close = field.indexOf(")", p);
    if (close > 0) {
      const parts = field.slice(p + 1, close).split(",");
      if (parts.length === 2) {
        const re = parseNumber(parts[0]?.trim() ?? "");
        const im = parseNumber(parts[1]?.trim() ?? "");
        if (re !== undefined && im !== undefined) {
          return {
            value: { re: Number(re.value), im: Number(im.value) },
            type: "complex",
            comment: commentAfter(field, close + 1),
          };
        }
      }
    }
    throw new FitsError("BAD_CARD", "invalid complex value", { ...at, keyword });
  }
  const slash = field.indexOf("/", p);
  const token = (slash < 0 ? field.slice(p) : field.slice(p, slash)).trim();
  const comment = slash < 0 ? undefined : commentAfter(field, slash);
  if (token === "T" || token === "F") return { value: token === "T", type: "boolean", comment };
  const num = parseNumber(token);
  if (num !== undefined) return { value: num.value, type: num.type, comment };
  // Not a valid FITS value; keep the text so nothing is lost (astropy keeps such cards too).
  return { value: token, type: "string", comment };
}

function parseNumber(token: string): { value: number | bigint; type: "integer" | "float" } | undefined {
  if (INTEGER_RE.test(token)) {
    const n = Number(token);
    if (Number.isSafeInteger(n)) return { value: n, type: "integer" };
    return { value: BigInt(token.startsWith("+") ? token.slice(1) : token), type: "integer" };
  }
  if (FLOAT_RE.test(token)) {
    return { value: Number(token.replace(/[Dd]/, "E")), type: "float" };
  }
  return undefined;
}

/** Parse a quoted string starting at `start` (which is a quote); '' is an escaped quote. */
function parseString(field: string, start: number): { value: string; end: number } | undefined {
  let out = "";
  let p = start + 1;
  for (;;) {
    const q = field.indexOf("'", p);
    if (q < 0) return undefined;
    out += field.slice(p, q);
    if (field[q + 1] === "'") {
      out += "'";
      p = q + 2;
      continue;
    }
    // FITS 4.0 §4.2.1.1: trailing blanks are not significant, leading blanks are.
    return { value: out.trimEnd(), end: q + 1 };
  }
}

function commentAfter(field: string, from: number): string | undefined {
  const slash = field.indexOf("/", from);
  if (slash < 0) return undefined;
  return field.slice(slash + 1).trim();
}

// ---------------------------------------------------------------------------------------------
// Building and writing cards

/**
 * Make a card for `key`. Keys longer than 8 characters or with characters outside `A-Z0-9_-`
 * become HIERARCH cards. COMMENT/HISTORY/blank keys make commentary cards with `value` as text.
 */
export function makeCard(key: string, value: HeaderValue, comment?: string, type?: CardValueType): Card {
  const k = key.trim();
  const upper = k.toUpperCase();
  if (COMMENTARY_KEYS.has(upper)) {
    if (value !== undefined && typeof value !== "string") {
      throw new FitsError("INVALID_ARGUMENT", `${upper || "blank"} card text must be a string`, {
        keyword: upper,
      });
    }
    const text = value ?? "";
    checkPrintable(text, upper);
    return { key: upper, kind: "commentary", value: text, type: "text", comment: undefined };
  }
  if (comment !== undefined) checkPrintable(comment, upper);
  const hierarch = k.length > 8 || !/^[A-Za-z0-9_-]*$/.test(k);
  const t = type ?? inferType(value);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new FitsError("INVALID_ARGUMENT", `${String(value)} cannot be written in a FITS header`, {
      keyword: k,
    });
  }
  if (typeof value === "string") checkPrintable(value, k);
  return hierarch
    ? { key: k, kind: "value", value, type: t, comment, hierarch: true }
    : { key: upper, kind: "value", value, type: t, comment };
}

function inferType(value: HeaderValue): CardValueType {
  switch (typeof value) {
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "bigint":
      return "integer";
    case "number":
      return Number.isInteger(value) ? "integer" : "float";
    case "undefined":
      return "undefined";
    default:
      return "complex";
  }
}

function checkPrintable(text: string, key: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new FitsError("INVALID_ARGUMENT", `character ${i} of the text is not printable ASCII`, {
        keyword: key,
      });
    }
  }
}

/**
 * Format a number as a FITS floating-point value (FITS 4.0 §4.2.4): the shortest text that reads
 * back to the same double. Values longer than 20 characters use free format rather than losing digits.
 */
export function formatFloat(v: number): string {
  let s = String(v).toUpperCase().replace("E+", "E+");
  if (!s.includes(".") && !s.includes("E")) s += ".0";
  else if (!s.includes(".") && s.includes("E")) s = s.replace("E", ".0E");
  return s;
}

function formatValue(card: Card): string {
  const v = card.value;
  switch (card.type) {
    case "string":
      return `'${String(v).replace(/'/g, "''").padEnd(8)}'`;
    case "boolean":
      return v ? "T" : "F";
    case "integer":
      return typeof v === "bigint" ? v.toString() : String(Math.trunc(Number(v)));
    case "float":
      return formatFloat(Number(v));
    case "complex": {
      const c = v as FitsComplex;
      return `(${formatFloat(c.re)}, ${formatFloat(c.im)})`;
    }
    default:
      return "";
  }
}

/** The 80-character images of a card (several for a long string with CONTINUE). */
export function cardImages(card: Card): string[] {
  if (card.images) return [...card.images];
  if (card.kind === "commentary") {
    const key = card.key.padEnd(8);
    const text = String(card.value ?? "");
    const out: string[] = [];
    // Long commentary text is split over several cards of the same keyword.
    for (let p = 0; p === 0 || p < text.length; p += 72)
      out.push((key + text.slice(p, p + 72)).padEnd(CARD_SIZE));
    return out;
  }
  const prefix = card.hierarch ? `HIERARCH ${card.key} = ` : `${card.key.padEnd(8)}= `;
  if (card.type === "string") return stringCardImages(prefix, String(card.value), card.comment);
  let value = formatValue(card);
  // Fixed format (FITS 4.0 §4.2): numbers and logicals right-justified to column 30.
  if (!card.hierarch && card.type !== "undefined") value = value.padStart(20);
  let img = prefix + value;
  if (card.comment !== undefined && card.comment !== "") img += ` / ${card.comment}`;
  if ((prefix + value).length > CARD_SIZE) {
    throw new FitsError("INVALID_ARGUMENT", "keyword and value do not fit in one card", {
      keyword: card.key,
    });
  }
  return [img.slice(0, CARD_SIZE).padEnd(CARD_SIZE)];
}

function stringCardImages(prefix: string, value: string, comment: string | undefined): string[] {
  const escaped = value.replace(/'/g, "''");
  // Fixed format as cfitsio and astropy write it: the value field fills columns 11–30, so a
  // comment starts at column 32 (astropy recomputes CHECKSUM from re-rendered cards).
  const single = `${prefix}${`'${escaped.padEnd(8)}'`.padEnd(20)}`;
  if (single.length <= CARD_SIZE) {
    let img = single;
    if (comment) img += ` / ${comment}`;
    if (img.length > CARD_SIZE && comment) {
      // Long comment on a short value: continue the comment on an empty CONTINUE card.
      return [`${img.slice(0, CARD_SIZE)}`.padEnd(CARD_SIZE)];
    }
    return [img.padEnd(CARD_SIZE)];
  }
  // CONTINUE convention (FITS 4.0 §4.2.1.2): pieces end with '&'; never split an escaped quote.
  const out: string[] = [];
  let rest = value;
  let first = true;
  while (rest.length > 0) {
    const head = first ? prefix : "CONTINUE  ";
    const room = CARD_SIZE - head.length - 3; // quotes and '&'
    let n = Math.min(rest.length, room);
    let piece = rest.slice(0, n).replace(/'/g, "''");
    while (piece.length > room) {
      n--;
      piece = rest.slice(0, n).replace(/'/g, "''");
    }
    rest = rest.slice(n);
    const last = rest.length === 0;
    let img = `${head}'${piece}${last ? "" : "&"}'`;
    if (last && comment) {
      const withComment = `${img} / ${comment}`;
      if (withComment.length <= CARD_SIZE) img = withComment;
      else {
        out.push(`${head}'${piece}&'`.padEnd(CARD_SIZE));
        img = `CONTINUE  '' / ${comment}`.slice(0, CARD_SIZE);
      }
    }
    out.push(img.padEnd(CARD_SIZE));
    first = false;
  }
  return out;
}

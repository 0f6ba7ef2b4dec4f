/**
 * MOC ASCII serialisation (IVOA MOC 2.0 §4.3.2): `order/ipix ipix-ipix … order/…`, e.g.
 * `3/1-5 6/100 29/`. The parser also accepts the MOC 1.1 comma separators (`3/1,2,4-6`) and an
 * optional `s` dimension prefix; errors name the character position.
 */
import { SkyError, skyParseError } from "./errors.js";
import { MOC_MAX_ORDER, Moc } from "./moc.js";

/** Options of {@link mocToAscii}. */
export interface MocAsciiOptions {
  /** Separate values with commas (MOC 1.1 style read by older tools such as pymoc). */
  commas?: boolean;
}

/** Serialise a MOC as MOC 2.0 ASCII. The MOC order is written as a trailing `order/` if needed. */
export function mocToAscii(moc: Moc, opts: MocAsciiOptions = {}): string {
  const sep = opts.commas ? "," : " ";
  const parts: string[] = [];
  const cells = moc.cells();
  let i = 0;
  let lastOrder = -1;
  while (i < cells.length) {
    const order = (cells[i] as { order: number }).order;
    const vals: string[] = [];
    while (i < cells.length && (cells[i] as { order: number }).order === order) {
      const start = (cells[i] as { ipix: bigint }).ipix;
      let end = start;
      i++;
      while (
        i < cells.length &&
        (cells[i] as { order: number }).order === order &&
        (cells[i] as { ipix: bigint }).ipix === end + 1n
      ) {
        end++;
        i++;
      }
      vals.push(end === start ? `${start}` : `${start}-${end}`);
    }
    parts.push(`${order}/${vals.join(sep)}`);
    lastOrder = order;
  }
  if (lastOrder < moc.order) parts.push(`${moc.order}/`);
  return parts.join(" ");
}

/** Parse MOC ASCII text. @throws SkyError `PARSE_MOC` with the offending character position. */
export function parseMocAscii(text: string): Moc {
  const what = "MOC ASCII";
  const n = text.length;
  let i = 0;
  let order = -1;
  let maxOrder = -1;
  const ranges: bigint[] = [];
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",";
  const isDigit = (c: string) => c >= "0" && c <= "9";
  const readInt = (): bigint => {
    const start = i;
    while (i < n && isDigit(text[i] as string)) i++;
    if (i === start) throw skyParseError("PARSE_MOC", what, text, i, undefined);
    if (i - start > 20)
      throw skyParseError("PARSE_MOC", what, text, start, `number too long at character ${start + 1}`);
    return BigInt(text.slice(start, i));
  };
  if (text.trim() === "") return Moc.empty(0);
  while (i < n) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === "s" && order < 0) {
      i++;
      continue;
    }
    const start = i;
    const a = readInt();
    if (i < n && text[i] === "/") {
      i++;
      if (a > BigInt(MOC_MAX_ORDER)) {
        throw skyParseError(
          "PARSE_MOC",
          what,
          text,
          start,
          `order ${a} is above 29 at character ${start + 1}`,
        );
      }
      order = Number(a);
      if (order > maxOrder) maxOrder = order;
      continue;
    }
    if (order < 0) {
      throw skyParseError(
        "PARSE_MOC",
        what,
        text,
        start,
        `cell index before any "order/" at character ${start + 1}`,
      );
    }
    let b = a;
    if (i < n && text[i] === "-") {
      i++;
      b = readInt();
      if (b < a)
        throw skyParseError(
          "PARSE_MOC",
          what,
          text,
          start,
          `empty range ${a}-${b} at character ${start + 1}`,
        );
    }
    if (i < n && !isSpace(text[i] as string)) throw skyParseError("PARSE_MOC", what, text, i, undefined);
    const npix = 12n * 4n ** BigInt(order);
    if (b >= npix) {
      throw skyParseError(
        "PARSE_MOC",
        what,
        text,
        start,
        `cell ${b} is beyond order ${order} at character ${start + 1}`,
      );
    }
    const span = 4n ** BigInt(MOC_MAX_ORDER - order);
    ranges.push(a * span, (b + 1n) * span);
  }
  if (maxOrder < 0)
    throw new SkyError("PARSE_MOC", `bad ${what}: no "order/" found`, { input: text, position: 0 });
  return new Moc(maxOrder, ranges);
}

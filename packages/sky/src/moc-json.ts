/**
 * MOC JSON serialisation (IVOA MOC 2.0 §4.3.3): `{"3":[1,2,3],"6":[100],"29":[]}`. The parser is
 * our own tokenizer so that order-29 indices above 2^53 stay exact (JSON.parse would round them).
 */
import { SkyError, skyParseError } from "./errors.js";
import { MOC_MAX_ORDER, Moc } from "./moc.js";

/** Serialise a MOC as MOC 2.0 JSON (orders ascending; the MOC order present, maybe empty). */
export function mocToJson(moc: Moc): string {
  const groups = new Map<number, bigint[]>();
  for (const c of moc.cells()) {
    const g = groups.get(c.order);
    if (g) g.push(c.ipix);
    else groups.set(c.order, [c.ipix]);
  }
  if (!groups.has(moc.order)) groups.set(moc.order, []);
  const keys = [...groups.keys()].sort((a, b) => a - b);
  return `{${keys.map((k) => `"${k}":[${(groups.get(k) as bigint[]).join(",")}]`).join(",")}}`;
}

/** Parse MOC JSON. @throws SkyError `PARSE_MOC` with the offending character position. */
export function parseMocJson(text: string): Moc {
  const what = "MOC JSON";
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) throw skyParseError("PARSE_MOC", what, text, i, undefined);
    i++;
  };
  const readInt = (): bigint => {
    ws();
    const start = i;
    while (i < n && (text[i] as string) >= "0" && (text[i] as string) <= "9") i++;
    if (i === start || i - start > 20) throw skyParseError("PARSE_MOC", what, text, start, undefined);
    return BigInt(text.slice(start, i));
  };
  const ranges: bigint[] = [];
  let maxOrder = -1;
  expect("{");
  ws();
  if (text[i] === "}") i++;
  else {
    for (;;) {
      expect('"');
      const kStart = i;
      const order = readInt();
      if (order > BigInt(MOC_MAX_ORDER)) {
        throw skyParseError(
          "PARSE_MOC",
          what,
          text,
          kStart,
          `order ${order} is above 29 at character ${kStart + 1}`,
        );
      }
      if (text[i] !== '"') throw skyParseError("PARSE_MOC", what, text, i, undefined);
      i++;
      expect(":");
      expect("[");
      const o = Number(order);
      if (o > maxOrder) maxOrder = o;
      const npix = 12n * 4n ** order;
      const span = 4n ** BigInt(MOC_MAX_ORDER - o);
      ws();
      if (text[i] === "]") i++;
      else {
        for (;;) {
          const vStart = i;
          const v = readInt();
          if (v >= npix) {
            throw skyParseError(
              "PARSE_MOC",
              what,
              text,
              vStart,
              `cell ${v} is beyond order ${o} at character ${vStart + 1}`,
            );
          }
          ranges.push(v * span, (v + 1n) * span);
          ws();
          if (text[i] === ",") {
            i++;
            continue;
          }
          expect("]");
          break;
        }
      }
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      expect("}");
      break;
    }
  }
  ws();
  if (i < n) throw skyParseError("PARSE_MOC", what, text, i, undefined);
  if (maxOrder < 0) {
    if (ranges.length === 0) return Moc.empty(0);
    throw new SkyError("PARSE_MOC", `bad ${what}: no order`, { input: text });
  }
  return new Moc(maxOrder, ranges);
}

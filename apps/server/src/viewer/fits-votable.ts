/**
 * Just enough VOTable (IVOA VOTable 1.4 §3–§5) for a catalogue overlay: the FIELDs of the first
 * TABLE (name, ucd, unit, datatype), its COOSYS system, and the cells of TABLEDATA rows as text.
 * BINARY and BINARY2 serialisations and FITS-wrapped tables are reported as unsupported. Errors say
 * what was wrong and at which line and column.
 */
import { ServerError } from "../errors.js";

export interface VotField {
  readonly name: string;
  readonly ucd: string;
  readonly unit: string;
  readonly datatype: string;
  readonly ref: string;
}

export interface VotTable {
  readonly fields: VotField[];
  /** Row cells as text (entities decoded), at most `maxRows` rows. */
  readonly rows: string[][];
  /** True when rows beyond `maxRows` were left out. */
  readonly truncated: boolean;
  /** COOSYS elements by ID: system (ICRS, eq_FK5, galactic, …) and equinox. */
  readonly coosys: Record<string, { system: string; equinox: string }>;
}

function where(text: string, index: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `line ${line}, column ${index - last}`;
}

function fail(text: string, index: number, detail: string): ServerError {
  return new ServerError("BAD_REQUEST", `VOTable: ${detail} at ${where(text, index)}`);
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(text: string, raw: string, at: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (m, body: string) => {
    if (!m.endsWith(";")) throw fail(text, at, `unterminated entity "${m}"`);
    if (body.startsWith("#x"))
      return String.fromCodePoint(Math.min(0x10ffff, Number.parseInt(body.slice(2), 16)));
    if (body.startsWith("#"))
      return String.fromCodePoint(Math.min(0x10ffff, Number.parseInt(body.slice(1), 10)));
    const e = ENTITIES[body];
    if (e === undefined) throw fail(text, at, `unknown entity "&${body};"`);
    return e;
  });
}

interface Tag {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly start: number;
  readonly end: number;
}

/** Read the tag starting at `text[i] === "<"`. Comments, processing instructions and DOCTYPE give null name. */
function readTag(text: string, i: number): Tag | { skip: number } {
  if (text.startsWith("<!--", i)) {
    const end = text.indexOf("-->", i + 4);
    if (end < 0) throw fail(text, i, "unterminated comment");
    return { skip: end + 3 };
  }
  if (text.startsWith("<![CDATA[", i)) {
    const end = text.indexOf("]]>", i + 9);
    if (end < 0) throw fail(text, i, "unterminated CDATA section");
    return { skip: end + 3 };
  }
  if (text.startsWith("<?", i) || text.startsWith("<!", i)) {
    const end = text.indexOf(">", i + 2);
    if (end < 0) throw fail(text, i, "unterminated declaration");
    return { skip: end + 1 };
  }
  let j = i + 1;
  const closing = text[j] === "/";
  if (closing) j++;
  const nameMatch = /^[A-Za-z_][\w.:-]*/.exec(text.slice(j, j + 200));
  if (nameMatch === null) throw fail(text, j, "expected an element name after '<'");
  const name = nameMatch[0].replace(/^.*:/, "");
  j += nameMatch[0].length;
  const attrs: Record<string, string> = {};
  for (;;) {
    while (j < text.length && /\s/.test(text[j]!)) j++;
    if (j >= text.length) throw fail(text, i, `unterminated <${name}> tag`);
    const c = text[j]!;
    if (c === ">") return { name, attrs, closing, selfClosing: false, start: i, end: j + 1 };
    if (c === "/" && text[j + 1] === ">")
      return { name, attrs, closing, selfClosing: true, start: i, end: j + 2 };
    const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(text.slice(j, j + 65536));
    if (attr === null) throw fail(text, j, `bad attribute in <${name}>`);
    attrs[attr[1]!.replace(/^.*:/, "")] = decodeEntities(text, attr[3] ?? attr[4] ?? "", j);
    j += attr[0].length;
  }
}

/** Parse the first TABLE of a VOTable document. */
export function parseVotable(text: string, maxRows: number): VotTable {
  const fields: VotField[] = [];
  const rows: string[][] = [];
  const coosys: Record<string, { system: string; equinox: string }> = {};
  let truncated = false;
  let inTable = false;
  let inData = false;
  let row: string[] | null = null;
  let cellStart = -1;
  let sawVotable = false;
  let done = false;
  let i = 0;
  while (i < text.length && !done) {
    const lt = text.indexOf("<", i);
    if (lt < 0) break;
    const t = readTag(text, lt);
    if ("skip" in t) {
      i = t.skip;
      continue;
    }
    i = t.end;
    const name = t.name.toUpperCase();
    if (name === "VOTABLE") sawVotable = true;
    if (!sawVotable) throw fail(text, t.start, `expected <VOTABLE>, found <${t.name}>`);
    if (t.closing) {
      if (name === "TD") {
        if (row === null || cellStart < 0) throw fail(text, t.start, "</TD> without <TD>");
        row.push(decodeEntities(text, text.slice(cellStart, t.start), cellStart).trim());
        cellStart = -1;
      } else if (name === "TR") {
        if (row === null) throw fail(text, t.start, "</TR> without <TR>");
        if (row.length !== fields.length)
          throw fail(
            text,
            t.start,
            `row ${rows.length + 1} has ${row.length} cells but the table has ${fields.length} FIELDs`,
          );
        if (rows.length < maxRows) rows.push(row);
        else truncated = true;
        row = null;
      } else if (name === "TABLEDATA") inData = false;
      else if (name === "TABLE" && inTable) done = true;
      continue;
    }
    switch (name) {
      case "COOSYS":
        coosys[t.attrs.ID ?? ""] = { system: t.attrs.system ?? "ICRS", equinox: t.attrs.equinox ?? "" };
        break;
      case "TABLE":
        inTable = true;
        break;
      case "FIELD":
        if (inTable && !inData)
          fields.push({
            name: t.attrs.name ?? t.attrs.ID ?? `col${fields.length + 1}`,
            ucd: t.attrs.ucd ?? "",
            unit: t.attrs.unit ?? "",
            datatype: t.attrs.datatype ?? "char",
            ref: t.attrs.ref ?? "",
          });
        break;
      case "TABLEDATA":
        if (!inTable) throw fail(text, t.start, "<TABLEDATA> outside <TABLE>");
        inData = !t.selfClosing;
        break;
      case "BINARY":
      case "BINARY2":
      case "FITS":
        if (inTable)
          throw new ServerError(
            "BAD_REQUEST",
            `VOTable: ${name} serialisation is not supported (${where(text, t.start)}); write the table as TABLEDATA`,
          );
        break;
      case "TR":
        if (!inData) throw fail(text, t.start, "<TR> outside <TABLEDATA>");
        if (row !== null) throw fail(text, t.start, "<TR> inside another <TR>");
        row = [];
        if (t.selfClosing) {
          if (fields.length !== 0) throw fail(text, t.start, "empty row");
          row = null;
        }
        break;
      case "TD":
        if (row === null) throw fail(text, t.start, "<TD> outside <TR>");
        if (cellStart >= 0) throw fail(text, t.start, "<TD> inside another <TD>");
        if (t.selfClosing) row.push("");
        else cellStart = t.end;
        break;
      default:
        if (cellStart >= 0) throw fail(text, t.start, `<${t.name}> inside a <TD>`);
    }
  }
  if (!sawVotable) throw fail(text, 0, "no <VOTABLE> element");
  if (!inTable) throw fail(text, text.length, "no <TABLE>");
  if (!done) throw fail(text, text.length, "the document ends inside <TABLE>");
  return { fields, rows, truncated, coosys };
}

/**
 * CSV and TSV tables (RFC 4180 quoting; quoted fields may hold newlines), page by page. Files up
 * to 16 MiB are parsed once (cached by size and mtime) so they can be sorted on any column; larger
 * ones are paged forward from a byte cursor without reading the rest.
 */
import { open, stat } from "node:fs/promises";
import { ServerError } from "../errors.js";

const FULL_PARSE_LIMIT = 16 * 1024 * 1024;
const WINDOW = 4 * 1024 * 1024;

export interface TablePage {
  readonly columns: string[];
  readonly rows: string[][];
  /** Row index (0-based, after the header) of the first row of this page. */
  readonly start: number | null;
  /** Total data rows, when the whole file was parsed. */
  readonly total: number | null;
  /** Cursor for the next page, or null at the end. */
  readonly next: string | null;
  /** True when the page is sorted (possible only for whole-file tables). */
  readonly sortable: boolean;
}

export interface TableQuery {
  readonly delimiter: string;
  readonly cursor?: string;
  readonly rows: number;
  readonly sort?: number;
  readonly descending?: boolean;
}

/** Parse rows from `text`; returns them and the index after the last complete row. */
export function parseDelimited(
  text: string,
  delimiter: string,
  maxRows: number,
  atEnd: boolean,
): { rows: string[][]; consumed: number } {
  const rows: string[][] = [];
  let i = 0;
  let consumed = 0;
  const n = text.length;
  while (i < n && rows.length < maxRows) {
    const row: string[] = [];
    let field = "";
    let complete = false;
    for (;;) {
      if (i >= n) {
        if (atEnd) {
          row.push(field);
          complete = true;
        }
        break;
      }
      const c = text[i]!;
      if (c === '"' && field === "") {
        // Quoted field: "" is an escaped quote (RFC 4180 §2.7).
        let j = i + 1;
        let value = "";
        let closed = false;
        while (j < n) {
          const q = text.indexOf('"', j);
          if (q < 0) break;
          value += text.slice(j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            j = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          if (!atEnd) break;
          value += text.slice(j);
          j = n;
        }
        field = value;
        i = j;
        continue;
      }
      if (c === delimiter) {
        row.push(field);
        field = "";
        i++;
      } else if (c === "\n" || c === "\r") {
        row.push(field);
        i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
        complete = true;
        break;
      } else {
        const next = nextSpecial(text, i, delimiter);
        field += text.slice(i, next);
        i = next;
      }
    }
    if (!complete) break;
    consumed = i;
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
  }
  return { rows, consumed };
}

function nextSpecial(text: string, from: number, delimiter: string): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === delimiter || c === "\n" || c === "\r") return i;
    i++;
  }
  return i;
}

interface Parsed {
  readonly size: number;
  readonly mtimeMs: number;
  readonly columns: string[];
  readonly rows: string[][];
}

const cache = new Map<string, Parsed>();

async function readWindow(
  path: string,
  position: number,
  length: number,
): Promise<{ text: string; atEnd: boolean; bytes: Uint8Array }> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const len = Math.max(0, Math.min(length, size - position));
    const buf = new Uint8Array(len);
    if (len > 0) await fh.read(buf, 0, len, position);
    return { text: new TextDecoder().decode(buf), atEnd: position + len >= size, bytes: buf };
  } finally {
    await fh.close();
  }
}

function compareCells(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== "" && b.trim() !== "" && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One page of the table in `path`. */
export async function readTablePage(path: string, query: TableQuery): Promise<TablePage> {
  const info = await stat(path);
  const rowsWanted = Math.max(1, Math.min(query.rows, 5000));
  if (info.size <= FULL_PARSE_LIMIT) {
    let parsed = cache.get(path);
    if (parsed === undefined || parsed.size !== info.size || parsed.mtimeMs !== info.mtimeMs) {
      const { text } = await readWindow(path, 0, info.size);
      const { rows } = parseDelimited(
        text.replace(/^\uFEFF/, ""),
        query.delimiter,
        Number.POSITIVE_INFINITY,
        true,
      );
      parsed = { size: info.size, mtimeMs: info.mtimeMs, columns: rows[0] ?? [], rows: rows.slice(1) };
      cache.set(path, parsed);
      if (cache.size > 16) cache.delete(cache.keys().next().value!);
    }
    let rows = parsed.rows;
    if (query.sort !== undefined) {
      const col = query.sort;
      const sign = query.descending ? -1 : 1;
      rows = rows
        .map((r, i) => [r, i] as const)
        .sort((p, q) => sign * compareCells(p[0][col] ?? "", q[0][col] ?? "") || p[1] - q[1])
        .map((p) => p[0]);
    }
    const start = query.cursor === undefined ? 0 : cursorNumber(query.cursor, "row");
    const page = rows.slice(start, start + rowsWanted);
    const next = start + rowsWanted < rows.length ? `row:${start + rowsWanted}` : null;
    return { columns: parsed.columns, rows: page, start, total: rows.length, next, sortable: true };
  }
  if (query.sort !== undefined) {
    throw new ServerError(
      "BAD_REQUEST",
      `sorting needs the whole table; this one is ${info.size} bytes (limit ${FULL_PARSE_LIMIT})`,
    );
  }
  const head = await readWindow(path, 0, WINDOW);
  const header = parseDelimited(head.text.replace(/^\uFEFF/, ""), query.delimiter, 1, head.atEnd);
  const columns = header.rows[0] ?? [];
  const headerBytes = new TextEncoder().encode(head.text.slice(0, header.consumed)).length;
  const offset = query.cursor === undefined ? headerBytes : cursorNumber(query.cursor, "byte");
  const win = await readWindow(path, offset, WINDOW);
  const { rows, consumed } = parseDelimited(win.text, query.delimiter, rowsWanted, win.atEnd);
  const used = new TextEncoder().encode(win.text.slice(0, consumed)).length;
  const done = win.atEnd && consumed >= win.text.length;
  return {
    columns,
    rows,
    start: null,
    total: null,
    next: done || rows.length === 0 ? null : `byte:${offset + used}`,
    sortable: false,
  };
}

function cursorNumber(cursor: string, kind: "row" | "byte"): number {
  const m = /^(row|byte):(\d{1,15})$/.exec(cursor);
  if (m === null || m[1] !== kind)
    throw new ServerError("BAD_REQUEST", `bad table cursor ${JSON.stringify(cursor)}`);
  return Number(m[2]);
}

/**
 * FITS binary and ASCII tables as pages of text cells, like CSV: tables up to 16 MiB of rows
 * are read whole (cached by size and mtime) and can be sorted on any column; bigger ones are
 * paged by reading only the rows of the page.
 */
import { stat } from "node:fs/promises";
import type { FitsFile, TableData } from "@meridian/fits";
import { openFitsFile } from "@meridian/fits/node";
import { ServerError } from "../errors.js";
import type { TablePage } from "./delimited-table.js";

const FULL_READ_LIMIT = 16 * 1024 * 1024;
const MAX_VECTOR_SHOWN = 8;

function cellText(value: unknown, type: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (type === "boolean") return value ? "T" : "F";
    return String(value);
  }
  if (ArrayBuffer.isView(value)) {
    const items = Array.from(value as unknown as ArrayLike<number | bigint>);
    const shown = items.slice(0, MAX_VECTOR_SHOWN).map((v) => String(v));
    return `[${shown.join(", ")}${items.length > MAX_VECTOR_SHOWN ? `, … (${items.length})` : ""}]`;
  }
  return String(value);
}

/** Decoded columns of either table kind, as {@link tableCells} needs them. */
interface Columns {
  readonly rows: number;
  readonly columns: readonly {
    column: { name: string; unit: string | undefined };
    values: ArrayLike<unknown>;
    type: string;
  }[];
}

/** Rows of text cells from decoded columns (vector cells shown as `[a, b, …]`). */
export function tableCells(data: Columns): { columns: string[]; rows: string[][] } {
  const columns = data.columns.map((c) =>
    c.column.unit ? `${c.column.name} [${c.column.unit}]` : c.column.name,
  );
  const rows: string[][] = [];
  for (let r = 0; r < data.rows; r++) rows.push([]);
  for (const col of data.columns) {
    const values = col.values as ArrayLike<unknown>;
    const per = data.rows === 0 ? 1 : values.length / data.rows;
    for (let r = 0; r < data.rows; r++) {
      if (per === 1) rows[r]!.push(cellText(values[r], col.type));
      else {
        const slice = Array.from(
          { length: Math.min(per, MAX_VECTOR_SHOWN + 1) },
          (_, i) => values[r * per + i],
        );
        const shown = slice.slice(0, MAX_VECTOR_SHOWN).map((v) => cellText(v, col.type));
        rows[r]!.push(`[${shown.join(", ")}${per > MAX_VECTOR_SHOWN ? `, … (${per})` : ""}]`);
      }
    }
  }
  return { columns, rows };
}

interface Cached {
  readonly key: string;
  readonly columns: string[];
  readonly rows: string[][];
}
const cache = new Map<string, Cached>();

function compareCells(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface FitsTableQuery {
  readonly hdu?: number;
  readonly cursor?: string;
  readonly rows: number;
  readonly sort?: number;
  readonly descending?: boolean;
}

function cursorRow(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const m = /^row:(\d{1,15})$/.exec(cursor);
  if (m === null) throw new ServerError("BAD_REQUEST", `bad table cursor ${JSON.stringify(cursor)}`);
  return Number(m[1]);
}

async function readRows(fits: FitsFile, hdu: number, start: number, end: number): Promise<Columns> {
  const info = fits.hdus[hdu]!;
  if (info.kind === "bintable") {
    const t: TableData = await fits.readTable(hdu, { start, end });
    return {
      rows: t.rows,
      columns: t.columns.map((c) => ({
        column: c.column,
        values: c.values as ArrayLike<unknown>,
        type: c.type,
      })),
    };
  }
  const ascii = await fits.readAsciiTable(hdu, { start, end });
  return {
    rows: ascii.rows,
    columns: ascii.columns.map((c) => ({ column: c.column, values: c.values, type: "ascii" })),
  };
}

/** One page of the table in HDU `hdu` (default: the first table HDU) of the FITS file `real`. */
export async function readFitsTablePage(
  real: string,
  query: FitsTableQuery,
): Promise<TablePage & { hdu: number }> {
  const info = await stat(real);
  let fits: FitsFile;
  try {
    fits = await openFitsFile(real);
  } catch (err) {
    throw new ServerError("BAD_REQUEST", `not a readable FITS file: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const hdu = query.hdu ?? fits.hdus.find((h) => h.kind === "bintable" || h.kind === "table")?.index;
    const table = hdu === undefined ? undefined : fits.hdus[hdu];
    if (hdu === undefined || table === undefined || (table.kind !== "bintable" && table.kind !== "table")) {
      throw new ServerError("NOT_FOUND", "no table HDU in this file");
    }
    const nrows = table.axes[1] ?? 0;
    const rowBytes = table.axes[0] ?? 0;
    const wanted = Math.max(1, Math.min(query.rows, 5000));
    const start = cursorRow(query.cursor);
    if (nrows * rowBytes <= FULL_READ_LIMIT) {
      const key = `${info.size}:${info.mtimeMs}:${hdu}`;
      let cached = cache.get(real);
      if (cached === undefined || cached.key !== key) {
        const cells = tableCells(await readRows(fits, hdu, 0, nrows));
        cached = { key, ...cells };
        cache.set(real, cached);
        if (cache.size > 8) cache.delete(cache.keys().next().value!);
      }
      let rows = cached.rows;
      if (query.sort !== undefined) {
        const col = query.sort;
        const sign = query.descending ? -1 : 1;
        rows = rows
          .map((r, i) => [r, i] as const)
          .sort((p, q) => sign * compareCells(p[0][col] ?? "", q[0][col] ?? "") || p[1] - q[1])
          .map((p) => p[0]);
      }
      return {
        hdu,
        columns: cached.columns,
        rows: rows.slice(start, start + wanted),
        start,
        total: nrows,
        next: start + wanted < nrows ? `row:${start + wanted}` : null,
        sortable: true,
      };
    }
    if (query.sort !== undefined) {
      throw new ServerError(
        "BAD_REQUEST",
        `sorting needs the whole table; this one has ${nrows} rows of ${rowBytes} bytes`,
      );
    }
    const end = Math.min(nrows, start + wanted);
    const cells = tableCells(await readRows(fits, hdu, start, end));
    return {
      hdu,
      ...cells,
      start,
      total: nrows,
      next: end < nrows ? `row:${end}` : null,
      sortable: false,
    };
  } finally {
    await fits.close();
  }
}

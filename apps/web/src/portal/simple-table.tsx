/** A read-only table: columns with a heading and a cell per row, in the design system's table style. */
import type { ReactNode } from "react";

export interface Column<T> {
  head: string;
  cell(row: T): ReactNode;
  className?: string;
}

export function SimpleTable<T>({
  label,
  rows,
  columns,
  rowKey,
  rowProps,
  className = "table-wrap",
}: {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  /** Extra attributes of a row (data-* for tests, a class for the chosen one). */
  rowProps?(row: T): Record<string, string | undefined>;
  className?: string;
}) {
  return (
    <div className={className}>
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.head}>{c.head}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={rowKey(r)} {...rowProps?.(r)}>
              {columns.map((c, i) => (
                <td key={c.head} className={c.className ?? (i === 0 ? "cell-strong" : undefined)}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

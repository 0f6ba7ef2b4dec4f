/**
 * CSV/TSV and FITS tables, one page at a time; click a column header to sort (on the server, for
 * tables small enough to be read whole).
 */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { viewerApi } from "./viewer-api.js";
import type { TablePage } from "./viewer-types.js";

export function TableView({
  path,
  pageSize = 100,
  compact = false,
  fitsHdu,
}: {
  path: string;
  pageSize?: number;
  compact?: boolean;
  /** Read HDU `fitsHdu` of a FITS file instead of a CSV/TSV file. */
  fitsHdu?: number;
}) {
  const [page, setPage] = useState<TablePage | null>(null);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [sort, setSort] = useState<{ col: number; desc: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    const query = {
      rows: pageSize,
      ...(cursor === undefined ? {} : { cursor }),
      ...(sort === null ? {} : { sort: sort.col, desc: sort.desc }),
    };
    (fitsHdu === undefined
      ? viewerApi.table(path, query)
      : viewerApi.fitsTable(path, { ...query, hdu: fitsHdu })
    )
      .then((p) => {
        if (!live) return;
        setPage(p);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [path, pageSize, cursor, sort, fitsHdu]);

  function sortBy(col: number): void {
    setCursors([undefined]);
    setSort((s) => (s?.col === col ? { col, desc: !s.desc } : { col, desc: false }));
  }

  if (error) return <ErrorAlert error={error} />;
  if (page === null) return <p className="muted">Loading table…</p>;
  const first = page.start ?? null;
  return (
    <div className="table-view">
      <div className="table-wrap">
        <table className="table table-data">
          <thead>
            <tr>
              {!compact ? <th className="row-number">#</th> : null}
              {page.columns.map((c, i) => (
                <th
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional.
                  key={i}
                  aria-sort={sort?.col === i ? (sort.desc ? "descending" : "ascending") : undefined}
                >
                  {page.sortable ? (
                    <button type="button" className="sort-button" onClick={() => sortBy(i)}>
                      {c}
                      {sort?.col === i ? (sort.desc ? " ▼" : " ▲") : ""}
                    </button>
                  ) : (
                    c
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of one page are positional.
              <tr key={r}>
                {!compact ? <td className="row-number">{first === null ? "" : first + r + 1}</td> : null}
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!compact ? (
        <div className="pager">
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={cursors.length < 2}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </button>
          <span className="muted">
            {first !== null ? `rows ${first + 1}–${first + page.rows.length}` : `page ${cursors.length}`}
            {page.total !== null ? ` of ${page.total.toLocaleString()}` : ""}
            {!page.sortable ? " (too large to sort)" : ""}
          </span>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={page.next === null}
            onClick={() => page.next !== null && setCursors((c) => [...c, page.next ?? undefined])}
          >
            Next
          </button>
        </div>
      ) : null}
    </div>
  );
}

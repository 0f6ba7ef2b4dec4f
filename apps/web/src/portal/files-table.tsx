/**
 * Search results as a table: sortable columns (the server sorts), pages by cursor (a stack of the
 * cursors seen gives "Previous"), row selection for data packages, a click opens the header.
 */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatDateTime } from "../format.js";
import { formatBytes } from "../viewer/format-bytes.js";
import { type DataFile, type FileSearch, portalApi, type SearchPage, type SortKey } from "./portal-api.js";

const COLUMNS: { key: SortKey | null; label: string; cell(f: DataFile): string }[] = [
  { key: "name", label: "Name", cell: (f) => f.name },
  { key: "object", label: "Object", cell: (f) => f.object ?? "—" },
  {
    key: "date",
    label: "DATE-OBS",
    cell: (f) => (f.dateObs ? f.dateObs.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "—"),
  },
  {
    key: null,
    label: "RA, Dec (°)",
    cell: (f) => (f.ra === null || f.dec === null ? "—" : `${f.ra.toFixed(5)}, ${f.dec.toFixed(5)}`),
  },
  { key: "exptime", label: "Exptime", cell: (f) => (f.exptime === null ? "—" : `${f.exptime} s`) },
  { key: null, label: "Filter", cell: (f) => f.filter ?? "—" },
  { key: null, label: "Instrument", cell: (f) => f.instrument ?? "—" },
  { key: null, label: "Type", cell: (f) => f.frameType ?? "—" },
  { key: "size", label: "Size", cell: (f) => formatBytes(f.size) },
  { key: "created", label: "Uploaded", cell: (f) => formatDateTime(f.createdAt) },
];

export interface FilesTableProps {
  org: string;
  search: FileSearch;
  /** Changes when the search is submitted again. */
  round?: number;
  selected?: ReadonlySet<string>;
  onSelect?(ids: ReadonlySet<string>): void;
  onOpen(file: DataFile): void;
  label: string;
}

export function FilesTable({ org, search, round = 0, selected, onSelect, onOpen, label }: FilesTableProps) {
  const [sort, setSort] = useState<SortKey>("date");
  const [order, setOrder] = useState<"asc" | "desc">("asc");
  const [pageSize, setPageSize] = useState(25);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<SearchPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(search);
  const cursor = cursors[cursors.length - 1];

  // A new search or sort starts from the first page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when these change.
  useEffect(() => setCursors([undefined]), [key, sort, order, round, pageSize]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `search`.
  useEffect(() => {
    let live = true;
    setBusy(true);
    portalApi.search(org, search, sort, order, pageSize, cursor).then(
      (p) => {
        if (!live) return;
        setPage(p);
        setError(null);
        setBusy(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [org, key, sort, order, cursor, pageSize, round]);

  function sortBy(k: SortKey): void {
    if (k === sort) setOrder(order === "asc" ? "desc" : "asc");
    else {
      setSort(k);
      setOrder("asc");
    }
  }

  function toggle(id: string): void {
    if (!selected || !onSelect) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  }

  const items = page?.items ?? [];
  const allOnPage = items.length > 0 && items.every((f) => selected?.has(f.id));
  return (
    <div className="portal-files" aria-busy={busy}>
      <ErrorAlert error={error} />
      <div className="table-wrap">
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              {onSelect ? (
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select the files on this page"
                    checked={allOnPage}
                    onChange={() => {
                      const next = new Set(selected);
                      for (const f of items) {
                        if (allOnPage) next.delete(f.id);
                        else next.add(f.id);
                      }
                      onSelect(next);
                    }}
                  />
                </th>
              ) : null}
              {COLUMNS.map((c) => (
                <th
                  key={c.label}
                  aria-sort={c.key === sort ? (order === "asc" ? "ascending" : "descending") : undefined}
                >
                  {c.key ? (
                    <button type="button" className="portal-sort" onClick={() => sortBy(c.key as SortKey)}>
                      {c.label}
                      {c.key === sort ? (order === "asc" ? " ▲" : " ▼") : ""}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} data-file-id={f.id}>
                {onSelect ? (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${f.name}`}
                      checked={selected?.has(f.id) ?? false}
                      onChange={() => toggle(f.id)}
                    />
                  </td>
                ) : null}
                {COLUMNS.map((c, i) => (
                  <td key={c.label} className={i === 0 ? "cell-strong" : undefined}>
                    {i === 0 ? (
                      <button type="button" className="button-link" onClick={() => onOpen(f)}>
                        {c.cell(f)}
                      </button>
                    ) : (
                      c.cell(f)
                    )}
                    {i === 0 && f.warnings.length > 0 ? (
                      <span className="badge badge-warn" title={f.warnings.join("\n")}>
                        {f.warnings.length} warning{f.warnings.length > 1 ? "s" : ""}
                      </span>
                    ) : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page && items.length === 0 ? <p className="empty">No files match.</p> : null}
      <div className="portal-pager">
        <span className="muted" data-testid="files-page">
          Page {cursors.length} · {items.length} file{items.length === 1 ? "" : "s"}
          {selected && selected.size > 0 ? ` · ${selected.size} selected` : ""}
        </span>
        <label className="portal-page-size">
          <span className="muted">Rows</span>
          <select className="input" value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))}>
            {[5, 25, 100, 500].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={cursors.length <= 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Previous
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          Next
        </button>
      </div>
    </div>
  );
}

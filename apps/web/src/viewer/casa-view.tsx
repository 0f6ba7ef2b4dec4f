/** A CASA table directory: row count, columns (type, scalar or array, comment) and sub-tables. */
import { useEffect, useState } from "react";
import { ApiError } from "../api-error.js";
import { ErrorAlert } from "../components/error-alert.js";
import { Link } from "../router.js";
import { browseUrl, viewUrl } from "./viewer-api.js";

interface CasaInfo {
  rows: number;
  tableType: string | null;
  columns: { name: string; type: string; kind: "scalar" | "array"; comment: string }[];
  subtables: string[];
}

export function CasaView({ path }: { path: string }) {
  const [info, setInfo] = useState<CasaInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    fetch(`/api/casa?path=${encodeURIComponent(path)}`, { credentials: "same-origin" })
      .then(async (res) => {
        const body = (await res.json()) as CasaInfo & { code?: string; message?: string };
        if (!res.ok)
          throw new ApiError(body.code ?? "BAD_RESPONSE", body.message ?? `HTTP ${res.status}`, res.status);
        if (live) setInfo(body);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [path]);
  if (error) return <ErrorAlert error={error} />;
  if (info === null) return <p className="muted">Reading table.dat…</p>;
  return (
    <div className="casa-view">
      <p>
        {info.tableType ? <strong>{info.tableType}</strong> : "CASA table"} · {info.rows.toLocaleString()}{" "}
        rows · {info.columns.length} columns · <Link to={browseUrl(path)}>browse its files</Link>
      </p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Shape</th>
              <th>Comment</th>
            </tr>
          </thead>
          <tbody>
            {info.columns.map((c) => (
              <tr key={c.name}>
                <td className="cell-strong">{c.name}</td>
                <td>{c.type}</td>
                <td>{c.kind}</td>
                <td className="muted">{c.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {info.subtables.length > 0 ? (
        <p>
          Sub-tables:{" "}
          {info.subtables.map((s, i) => (
            <span key={s}>
              {i > 0 ? ", " : ""}
              <Link to={viewUrl(`${path}/${s}`)}>{s}</Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

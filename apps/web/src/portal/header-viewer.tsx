/**
 * Every HDU's header of one file, one tab per HDU, filtered by a keyword or value search, with the
 * file's facts and a thumbnail when the server renders one.
 */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { type DataFile, type HduHeader, portalApi } from "./portal-api.js";
import { SimpleTable } from "./simple-table.js";

function cardText(v: string | number | boolean | null): string {
  if (v === true) return "T";
  if (v === false) return "F";
  if (v === null) return "";
  return String(v);
}

function Thumbnail({ org, file }: { org: string; file: DataFile }) {
  const [state, setState] = useState<"loading" | "shown" | "none">("loading");
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new file starts again.
  useEffect(() => setState("loading"), [file.id]);
  if (!file.format.startsWith("fits") && file.format !== "fz") return null;
  return (
    <figure className="portal-thumb">
      {state === "none" ? (
        <figcaption className="muted">No thumbnail for this file.</figcaption>
      ) : (
        <img
          src={portalApi.thumbnailUrl(org, file.id)}
          alt={`Thumbnail of ${file.name}`}
          onLoad={() => setState("shown")}
          onError={() => setState("none")}
          hidden={state !== "shown"}
        />
      )}
    </figure>
  );
}

export function HeaderViewer({ org, file, onClose }: { org: string; file: DataFile; onClose(): void }) {
  const [headers, setHeaders] = useState<HduHeader[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [hdu, setHdu] = useState(0);
  const [query, setQuery] = useState("");

  useEffect(() => {
    let live = true;
    setHeaders(null);
    setHdu(0);
    portalApi.headers(org, file.id).then(
      (h) => live && setHeaders(h.headers),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [org, file.id]);

  const current = headers?.[hdu];
  const q = query.trim().toUpperCase();
  const rows = current
    ? Object.entries(current.cards).filter(
        ([k, v]) => q === "" || k.includes(q) || cardText(v).toUpperCase().includes(q),
      )
    : [];
  return (
    <section className="card card-wide" aria-label={`Header of ${file.name}`}>
      <div className="card-header">
        <h2>
          Header of <span data-testid="header-file-name">{file.name}</span>
        </h2>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="portal-header-top">
        <dl className="facts">
          <div>
            <dt>Format</dt>
            <dd>{file.format}</dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd className="portal-mono">{file.sha256}</dd>
          </div>
          <div>
            <dt>Object</dt>
            <dd>{file.object ?? "—"}</dd>
          </div>
          <div>
            <dt>RA, Dec</dt>
            <dd>
              {file.ra === null || file.dec === null
                ? "—"
                : `${file.ra.toFixed(6)}°, ${file.dec.toFixed(6)}°`}
            </dd>
          </div>
          {file.warnings.length > 0 ? (
            <div className="portal-span">
              <dt>Warnings</dt>
              <dd>{file.warnings.join("; ")}</dd>
            </div>
          ) : null}
        </dl>
        <Thumbnail org={org} file={file} />
      </div>
      <ErrorAlert error={error} />
      {headers && headers.length === 0 ? <p className="empty">This file has no FITS header.</p> : null}
      {headers && headers.length > 0 ? (
        <>
          <div className="portal-hdu-tabs" role="tablist" aria-label="HDUs">
            {headers.map((h, i) => (
              <button
                key={h.index}
                type="button"
                role="tab"
                aria-selected={i === hdu}
                className={i === hdu ? "portal-tab portal-tab-active" : "portal-tab"}
                onClick={() => setHdu(i)}
              >
                HDU {h.index} · {h.type}
              </button>
            ))}
          </div>
          <label className="field">
            <span className="field-label">Find a keyword or value</span>
            <input className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <SimpleTable
            label="Header cards"
            className="table-wrap portal-header-table"
            rows={rows}
            rowKey={([k]) => k}
            rowProps={([k]) => ({ "data-keyword": k })}
            columns={[
              { head: "Keyword", cell: ([k]) => k, className: "cell-strong portal-mono" },
              { head: "Value", cell: ([, v]) => cardText(v), className: "portal-mono" },
            ]}
          />
          <p className="muted">
            {rows.length} of {current ? Object.keys(current.cards).length : 0} cards
          </p>
        </>
      ) : null}
    </section>
  );
}

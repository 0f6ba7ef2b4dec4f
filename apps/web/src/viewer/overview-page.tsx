/**
 * The first page of a run: products grouped by kind (or by the sections of meridian-view.json):
 * the last lines of each log with errors and warnings marked, image thumbnails, FITS previews,
 * HTML report cards, tables. Refreshes by itself when files change.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { Link } from "../router.js";
import { fitsPreviewUrl } from "./fits-view.js";
import { formatBytes, formatTime } from "./format-bytes.js";
import { Gallery } from "./gallery.js";
import { KindIcon } from "./kind-icon.js";
import { LogLines } from "./log-lines.js";
import { TableView } from "./table-view.js";
import { browseUrl, entryUrl, parentOf, subscribe, viewerApi, viewUrl } from "./viewer-api.js";
import type { Overview, OverviewItem, OverviewSection } from "./viewer-types.js";

function LogCard({ item }: { item: OverviewItem }) {
  const tail = item.tail;
  const first = tail?.firstLine ?? null;
  return (
    <article className="card log-card">
      <header className="card-header">
        <Link to={viewUrl(item.path)} className="log-card-name" title={item.path}>
          {item.path}
        </Link>
        <span className="chips">
          {tail && tail.errors > 0 ? <span className="badge badge-error">{tail.errors} errors</span> : null}
          {tail && tail.warnings > 0 ? (
            <span className="badge badge-warn">{tail.warnings} warnings</span>
          ) : null}
          <span className="badge">{formatBytes(item.size)}</span>
        </span>
      </header>
      {tail ? (
        <LogLines
          className="log-lines-compact"
          lines={tail.lines.map((text, i) => ({
            n: first === null ? null : first + i,
            text,
            key: String(i),
          }))}
        />
      ) : (
        <p className="muted">(could not read)</p>
      )}
    </article>
  );
}

function FitsCard({ item, section }: { item: OverviewItem; section: OverviewSection }) {
  const [failed, setFailed] = useState(false);
  return (
    <li className="gallery-item">
      <Link to={viewUrl(item.path)} className="gallery-button fits-thumb" title={item.path}>
        {failed ? (
          <span className="fits-placeholder">FITS</span>
        ) : (
          <img
            src={fitsPreviewUrl(item.path, {
              size: 256,
              ...(section.stretch ? { stretch: section.stretch } : {}),
              ...(section.cmap ? { cmap: section.cmap } : {}),
            })}
            alt={item.name}
            loading="lazy"
            onError={() => setFailed(true)}
          />
        )}
      </Link>
      <Link to={viewUrl(item.path)} className="gallery-name">
        {item.name}
      </Link>
    </li>
  );
}

function SectionBody({ section }: { section: OverviewSection }) {
  switch (section.display) {
    case "log-tail":
      return (
        <div className="log-cards">
          {section.items.map((item) => (
            <LogCard key={item.path} item={item} />
          ))}
        </div>
      );
    case "gallery":
      return (
        <Gallery
          images={section.items
            .filter((i) => i.kind === "image")
            .map((i) => ({ path: i.path, name: i.name }))}
        />
      );
    case "fits":
      return (
        <ul className="gallery">
          {section.items.map((item) => (
            <FitsCard key={item.path} item={item} section={section} />
          ))}
        </ul>
      );
    case "reports":
      return (
        <ul className="report-cards">
          {section.items.map((item) => (
            <li key={item.path} className="card report-card">
              <Link to={viewUrl(item.path)} className="report-title">
                {item.title ?? item.name}
              </Link>
              <span className="muted">{item.path}</span>
              <span className="muted">{formatTime(item.mtimeMs)}</span>
            </li>
          ))}
        </ul>
      );
    case "table":
      return (
        <div className="overview-tables">
          {section.items.map((item) =>
            item.kind === "csv" || item.kind === "tsv" ? (
              <div key={item.path} className="overview-table">
                <Link to={viewUrl(item.path)}>{item.path}</Link>
                <TableView path={item.path} pageSize={8} compact />
              </div>
            ) : (
              <Link key={item.path} to={entryUrl(item.path, item.kind)}>
                {item.path}
              </Link>
            ),
          )}
        </div>
      );
    default:
      return (
        <ul className="file-list">
          {section.items.map((item) => (
            <li key={item.path}>
              <KindIcon kind={item.kind} />
              <Link to={entryUrl(item.path, item.kind)}>{item.path}</Link>
              <span className="muted">
                {item.entries !== undefined
                  ? `${item.entries.toLocaleString()} entries`
                  : formatBytes(item.size)}
              </span>
            </li>
          ))}
        </ul>
      );
  }
}

/** Where "browse all" of a section leads: the common directory of its items. */
function commonDir(items: readonly OverviewItem[]): string {
  if (items.length === 0) return "";
  let dir = parentOf(items[0]!.path);
  for (const item of items) while (dir !== "" && !item.path.startsWith(`${dir}/`)) dir = parentOf(dir);
  return dir;
}

export function OverviewPage() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [updated, setUpdated] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setOverview(await viewerApi.overview());
      setUpdated(Date.now());
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    void load();
    return subscribe(
      "/api/events",
      { recursive: true },
      {
        change: () => {
          // Many files at once cause one refresh, not one per file.
          if (timer.current !== null) clearTimeout(timer.current);
          timer.current = setTimeout(() => void load(), 1000);
        },
      },
    );
  }, [load]);

  return (
    <div className="page page-wide overview">
      <div className="page-header">
        <h1>{overview?.title ?? "Overview"}</h1>
        <p className="muted">
          {overview
            ? `${overview.files.toLocaleString()} files${overview.truncated ? " (stopped counting)" : ""}${overview.fromLayout ? " · layout from meridian-view.json" : ""}`
            : "Reading the tree…"}
          {updated ? ` · updated ${new Date(updated).toLocaleTimeString()}` : ""} ·{" "}
          <Link to={browseUrl("")}>browse all files</Link>
        </p>
      </div>
      <ErrorAlert error={error} />
      {overview?.problems.map((p) => (
        <p key={p} className="alert alert-error">
          {p}
        </p>
      ))}
      {overview?.sections.map((section) => (
        <section key={section.title} className="overview-section" aria-label={section.title}>
          <div className="card-header">
            <h2>
              {section.title} <span className="badge">{section.total.toLocaleString()}</span>
            </h2>
            {section.total > section.items.length ? (
              <Link to={browseUrl(commonDir(section.items))}>show all {section.total.toLocaleString()}</Link>
            ) : null}
          </div>
          <SectionBody section={section} />
        </section>
      ))}
      {overview && overview.sections.length === 0 ? <p className="empty">This directory is empty.</p> : null}
    </div>
  );
}

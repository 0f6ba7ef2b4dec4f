/** One file, shown the way its kind calls for. */
import { useEffect, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { navigate } from "../router.js";
import { Breadcrumbs } from "./breadcrumbs.js";
import { CasaView } from "./casa-view.js";
import { prefetchFirstImage } from "./fits/fits-image-view.js";
import { FitsView } from "./fits-view.js";
import { formatBytes, formatTime } from "./format-bytes.js";
import { JsonTree } from "./json-tree.js";
import { Markdown } from "./markdown.js";
import { NotebookView } from "./notebook-view.js";
import { TableView } from "./table-view.js";
import { TextView } from "./text-view.js";
import { browseUrl, fileUrl, parentOf, viewerApi } from "./viewer-api.js";
import type { FileInfo } from "./viewer-types.js";

/** Above this size JSON and Markdown are shown as plain text (parsing would freeze the page). */
const RICH_LIMIT = 20 * 1024 * 1024;

function RawText({ path, render }: { path: string; render: (text: string) => React.ReactNode }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    viewerApi
      .raw(path)
      .then((t) => live && setText(t))
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [path]);
  if (error) return <ErrorAlert error={error} />;
  if (text === null) return <p className="muted">Loading…</p>;
  return <>{render(text)}</>;
}

function JsonView({ path }: { path: string }) {
  return (
    <RawText
      path={path}
      render={(text) => {
        try {
          return <JsonTree value={JSON.parse(text)} />;
        } catch (err) {
          return (
            <>
              <p className="alert alert-error">Not valid JSON: {(err as Error).message}</p>
              <TextView path={path} initialMode="head" />
            </>
          );
        }
      }}
    />
  );
}

function Body({ info }: { info: FileInfo }) {
  const { path, kind, size } = info;
  const dir = parentOf(path);
  switch (kind) {
    case "image":
      return (
        <div className="image-view">
          <img src={fileUrl(path)} alt={info.name} />
        </div>
      );
    case "pdf":
      return <iframe className="doc-frame" title={info.name} src={fileUrl(path)} />;
    case "html":
      return (
        <iframe
          className="doc-frame report-frame"
          title={info.name}
          src={info.reportUrl}
          sandbox="allow-scripts allow-popups"
          referrerPolicy="no-referrer"
        />
      );
    case "csv":
    case "tsv":
      return <TableView path={path} />;
    case "json":
      return size > RICH_LIMIT ? <TextView path={path} initialMode="head" /> : <JsonView path={path} />;
    case "markdown":
      return size > RICH_LIMIT ? (
        <TextView path={path} initialMode="head" />
      ) : (
        <RawText path={path} render={(t) => <Markdown source={t} dir={dir} />} />
      );
    case "notebook":
      return <RawText path={path} render={(t) => <NotebookView source={t} dir={dir} />} />;
    case "fits":
      return <FitsView path={path} />;
    case "casa-table":
      return <CasaView path={path} />;
    case "binary":
      return (
        <p className="empty">
          Binary file ({formatBytes(size)}).{" "}
          <a href={fileUrl(path)} download>
            Download
          </a>
        </p>
      );
    case "log":
      return <TextView path={path} initialMode="tail" />;
    default:
      return <TextView path={path} initialMode={kind === "text" || kind === "unknown" ? "head" : "tail"} />;
  }
}

export function FilePage({ path }: { path: string }) {
  const [info, setInfo] = useState<FileInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setInfo(null);
    setError(null);
    // FITS by name: start the image's pyramid on the server before the file's kind is known.
    if (/\.(fits|fit|fts|fz)(\.gz)?$/i.test(path)) prefetchFirstImage(path);
    viewerApi
      .info(path)
      .then((i) => {
        if (!live) return;
        if (i.kind === "directory") navigate(browseUrl(path), { replace: true });
        else setInfo(i);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [path]);
  return (
    <div className="page page-wide">
      <div className="page-header file-header">
        <Breadcrumbs path={path} file />
        {info ? (
          <p className="muted file-facts">
            <span className="badge">{info.kind}</span> {formatBytes(info.size)} · modified{" "}
            {formatTime(info.mtimeMs)} ·{" "}
            <a href={fileUrl(path)} target="_blank" rel="noreferrer">
              raw
            </a>
          </p>
        ) : null}
      </div>
      <ErrorAlert error={error} />
      {info ? <Body info={info} /> : null}
    </div>
  );
}

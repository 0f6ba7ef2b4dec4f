/**
 * A directory: names at once (one request), then sizes and times in batches of 2,000, merged as
 * they arrive. Only the rows on screen are rendered, so 10,000 entries scroll smoothly. Sort,
 * filter with globs, recursive view, gallery mode for images, and live updates when files change.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { Link, navigate, useLocation } from "../router.js";
import { Breadcrumbs } from "./breadcrumbs.js";
import { formatBytes, formatTime } from "./format-bytes.js";
import { Gallery } from "./gallery.js";
import { KindIcon } from "./kind-icon.js";
import { browseUrl, entryUrl, subscribe, viewerApi } from "./viewer-api.js";
import type { DetailEntry, FileKind, NameEntry } from "./viewer-types.js";

type SortKey = "name" | "time" | "size" | "type";
const ROW = 34;
const BATCH = 2000;

interface Row extends NameEntry {
  size?: number;
  mtimeMs?: number;
}

function compare(a: Row, b: Row, key: SortKey): number {
  const dirFirst = Number(b.kind === "directory") - Number(a.kind === "directory");
  if (dirFirst !== 0 && key !== "time" && key !== "size") return dirFirst;
  switch (key) {
    case "time":
      return (b.mtimeMs ?? -1) - (a.mtimeMs ?? -1);
    case "size":
      return (b.size ?? -1) - (a.size ?? -1);
    case "type":
      return a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path);
    default:
      return a.path.localeCompare(b.path, undefined, { numeric: true });
  }
}

function VirtualRows({ rows, recursive, base }: { rows: readonly Row[]; recursive: boolean; base: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(800);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(top / ROW) - 10);
  const last = Math.min(rows.length, Math.ceil((top + height) / ROW) + 10);
  const prefix = base === "" ? "" : `${base}/`;
  return (
    <div className="listing-box" ref={box} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
      <div className="listing-row listing-head">
        <span>Name</span>
        <span>Type</span>
        <span className="num">Size</span>
        <span>Modified</span>
      </div>
      <div style={{ height: rows.length * ROW, position: "relative" }}>
        {rows.slice(first, last).map((r, i) => (
          <div
            className="listing-row"
            key={r.path}
            style={{ position: "absolute", top: (first + i) * ROW, left: 0, right: 0 }}
          >
            <span className="listing-name">
              <KindIcon kind={r.kind} />
              <Link to={entryUrl(r.path, r.kind)} title={r.path}>
                {recursive ? r.path.slice(prefix.length) : r.name}
                {r.kind === "directory" ? "/" : ""}
              </Link>
            </span>
            <span className="muted">{r.kind}</span>
            <span className="num muted">
              {r.kind === "directory" || r.size === undefined ? "" : formatBytes(r.size)}
            </span>
            <span className="muted">{r.mtimeMs === undefined ? "…" : formatTime(r.mtimeMs)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

export function ListingPage({ path }: { path: string }) {
  const { search } = useLocation();
  const recursive = search.get("recursive") === "1";
  const include = search.get("include") ?? "";
  const exclude = search.get("exclude") ?? "";
  const sort = (search.get("sort") as SortKey | null) ?? "name";
  const gallery = search.get("view") === "gallery";
  const [names, setNames] = useState<NameEntry[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [details, setDetails] = useState<Map<string, DetailEntry>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [loadMs, setLoadMs] = useState<number | null>(null);
  const [includeText, setIncludeText] = useState(include);
  const [excludeText, setExcludeText] = useState(exclude);
  const generation = useRef(0);
  const detailsRef = useRef(details);
  detailsRef.current = details;

  const setParam = useCallback(
    (key: string, value: string | null) => {
      const params = new URLSearchParams(search);
      if (value === null || value === "") params.delete(key);
      else params.set(key, value);
      const qs = params.toString();
      navigate(`${browseUrl(path)}${qs ? `?${qs}` : ""}`, { replace: true });
    },
    [path, search],
  );

  const load = useCallback(
    async (changed: string[] | null) => {
      const gen = ++generation.current;
      const started = performance.now();
      try {
        const listing = await viewerApi.list(path, { recursive, include, exclude });
        if (gen !== generation.current) return;
        setNames(listing.entries);
        setTruncated(listing.truncated);
        setError(null);
        if (changed === null) setLoadMs(Math.round(performance.now() - started));
        // Details: everything on first load; on a change, only what changed or is new.
        const known = changed === null ? new Map<string, DetailEntry>() : detailsRef.current;
        const wanted = listing.entries
          .filter((e) => !known.has(e.path) || changed?.includes(e.name))
          .map((e) => e.path);
        if (changed === null) setDetails(new Map());
        for (let i = 0; i < wanted.length; i += BATCH) {
          const { entries } = await viewerApi.details(wanted.slice(i, i + BATCH));
          if (gen !== generation.current) return;
          setDetails((old) => {
            const next = new Map(old);
            for (const d of entries) next.set(d.path, d);
            return next;
          });
        }
      } catch (err) {
        if (gen === generation.current) setError(err);
      }
    },
    [path, recursive, include, exclude],
  );

  useEffect(() => {
    setNames(null);
    void load(null);
  }, [load]);

  useEffect(
    () =>
      subscribe(
        "/api/events",
        { path, recursive: recursive ? true : undefined },
        {
          change: (data) =>
            void load((data as { names: string[] }).names.map((n) => n.slice(n.lastIndexOf("/") + 1))),
        },
      ),
    [path, recursive, load],
  );

  useEffect(() => {
    const t = setTimeout(() => {
      if (includeText !== include) setParam("include", includeText);
      else if (excludeText !== exclude) setParam("exclude", excludeText);
    }, 350);
    return () => clearTimeout(t);
  }, [includeText, excludeText, include, exclude, setParam]);

  const rows: Row[] = useMemo(() => {
    const merged = (names ?? []).map((n) => {
      const d = details.get(n.path);
      return d === undefined
        ? { ...n }
        : { ...n, size: d.size, mtimeMs: d.mtimeMs, kind: d.kind as FileKind };
    });
    return merged.sort((a, b) => compare(a, b, sort));
  }, [names, details, sort]);
  const images = rows.filter((r) => r.kind === "image");
  const detailed = names === null ? 0 : names.filter((n) => details.has(n.path)).length;

  return (
    <div className="page page-wide">
      <div className="page-header">
        <Breadcrumbs path={path} />
      </div>
      <div className="viewer-toolbar">
        <label className="field-inline">
          Sort
          <select
            className="input input-small"
            value={sort}
            onChange={(e) => setParam("sort", e.target.value === "name" ? null : e.target.value)}
          >
            <option value="name">name</option>
            <option value="time">time (newest first)</option>
            <option value="size">size (largest first)</option>
            <option value="type">type</option>
          </select>
        </label>
        <input
          className="input input-small"
          placeholder="include: *.log *.png"
          aria-label="Include globs"
          value={includeText}
          onChange={(e) => setIncludeText(e.target.value)}
        />
        <input
          className="input input-small"
          placeholder="exclude: tmp/**"
          aria-label="Exclude globs"
          value={excludeText}
          onChange={(e) => setExcludeText(e.target.value)}
        />
        <label className="check-inline">
          <input
            type="checkbox"
            checked={recursive}
            onChange={(e) => setParam("recursive", e.target.checked ? "1" : null)}
          />{" "}
          Recursive
        </label>
        {images.length > 0 ? (
          <label className="check-inline">
            <input
              type="checkbox"
              checked={gallery}
              onChange={(e) => setParam("view", e.target.checked ? "gallery" : null)}
            />{" "}
            Gallery
          </label>
        ) : null}
        <span className="muted listing-count" aria-live="polite">
          {names === null
            ? "Loading…"
            : `${names.length.toLocaleString()} entries${truncated ? " (truncated)" : ""}${detailed < names.length ? ` · details ${detailed.toLocaleString()}/${names.length.toLocaleString()}` : ""}${loadMs !== null ? ` · listed in ${loadMs} ms` : ""}`}
        </span>
      </div>
      <ErrorAlert error={error} />
      {names !== null && names.length === 0 ? (
        <p className="empty">Nothing here{include || exclude ? " matches the filter" : ""}.</p>
      ) : null}
      {gallery && images.length > 0 ? (
        <Gallery images={images.map((r) => ({ path: r.path, name: r.name }))} />
      ) : names !== null && names.length > 0 ? (
        <VirtualRows rows={rows} recursive={recursive} base={path} />
      ) : null}
    </div>
  );
}

/**
 * A text file or log of any size: the tail (or head) first, earlier or later lines on demand,
 * follow mode (new lines appear within a second, over server-sent events), and regex search
 * over the whole file with the match count and a jump to each hit.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert.js";
import { formatBytes } from "./format-bytes.js";
import { LogLines, type NumberedLine } from "./log-lines.js";
import { subscribe, viewerApi } from "./viewer-api.js";
import type { LineRun, SearchResult } from "./viewer-types.js";

const PAGE = 1000;
const KEEP = 20_000;

function toLines(run: LineRun, withPartial: boolean): NumberedLine[] {
  const lines: NumberedLine[] = run.lines.map((text, i) => ({
    n: run.firstLine === null ? null : run.firstLine + i,
    text,
    key: run.firstLine === null ? `o${run.startOffset}-${i}` : `n${run.firstLine + i}`,
  }));
  if (withPartial && run.partial !== "")
    lines.push({ n: null, text: run.partial, key: `p${run.endOffset}`, partial: true });
  return lines;
}

export function TextView({ path, initialMode = "tail" }: { path: string; initialMode?: "head" | "tail" }) {
  const [lines, setLines] = useState<NumberedLine[]>([]);
  const [start, setStart] = useState(0);
  const [end, setEnd] = useState(0);
  const [size, setSize] = useState(0);
  const [firstLine, setFirstLine] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [follow, setFollow] = useState(false);
  const [query, setQuery] = useState("");
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [search, setSearch] = useState<SearchResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [hitIndex, setHitIndex] = useState(0);
  const [current, setCurrent] = useState<number | null>(null);
  const [highlight, setHighlight] = useState<RegExp | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const show = useCallback((run: LineRun, withPartial: boolean) => {
    setLines(toLines(run, withPartial));
    setStart(run.startOffset);
    setEnd(run.endOffset);
    setSize(run.size);
    setFirstLine(run.firstLine);
  }, []);

  const load = useCallback(
    async (mode: "head" | "tail") => {
      setError(null);
      try {
        const run = await viewerApi.text(path, { mode, lines: PAGE });
        show(run, true);
        stick.current = mode === "tail";
        requestAnimationFrame(() => {
          const el = box.current;
          if (el) el.scrollTop = mode === "tail" ? el.scrollHeight : 0;
        });
      } catch (err) {
        setError(err);
      }
    },
    [path, show],
  );

  useEffect(() => {
    void load(initialMode);
  }, [load, initialMode]);

  // Follow: stream lines appended after the last complete line we have.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart only when follow is switched or the file changes, not on every new line.
  useEffect(() => {
    if (!follow) return;
    return subscribe(
      "/api/text/follow",
      { path, offset: end },
      {
        lines: (data) => {
          const { lines: added, endOffset } = data as { lines: string[]; endOffset: number };
          setLines((old) => {
            const base = old.filter((l) => !l.partial);
            const lastN = base.length > 0 ? base[base.length - 1]!.n : null;
            const next = base.concat(
              added.map((text, i) => ({
                n: lastN === null ? null : lastN + 1 + i,
                text,
                key: lastN === null ? `f${endOffset}-${i}` : `n${lastN + 1 + i}`,
              })),
            );
            return next.length > KEEP ? next.slice(next.length - KEEP) : next;
          });
          setEnd(endOffset);
          setSize((s) => Math.max(s, endOffset));
        },
        reset: () => void load("tail"),
      },
    );
  }, [follow, path]);

  // Keep the view at the bottom while following, unless the user scrolled up.
  useEffect(() => {
    const el = box.current;
    if (el && follow && stick.current) el.scrollTop = el.scrollHeight;
  });

  function onScroll(): void {
    const el = box.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  }

  async function earlier(): Promise<void> {
    try {
      const run = await viewerApi.text(path, { mode: "before", offset: start, lines: PAGE });
      setLines((old) => [...toLines(run, false), ...old]);
      setStart(run.startOffset);
      setFirstLine(run.firstLine);
    } catch (err) {
      setError(err);
    }
  }

  async function later(): Promise<void> {
    try {
      const last = lines.filter((l) => !l.partial).at(-1);
      const run = await viewerApi.text(path, {
        mode: "at",
        offset: end,
        lines: PAGE,
        ...(last?.n ? { line: last.n + 1 } : {}),
      });
      setLines((old) => [...old.filter((l) => !l.partial), ...toLines(run, true)]);
      setEnd(run.endOffset);
      setSize(run.size);
    } catch (err) {
      setError(err);
    }
  }

  async function runSearch(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (query === "") return;
    setSearching(true);
    setError(null);
    try {
      const result = await viewerApi.search(path, query, { regex, caseSensitive, max: 1000 });
      setSearch(result);
      try {
        setHighlight(
          new RegExp(
            regex ? query : query.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"),
            caseSensitive ? "u" : "iu",
          ),
        );
      } catch {
        setHighlight(null);
      }
      if (result.hits.length > 0) await jump(result.hits, 0);
    } catch (err) {
      setError(err);
    } finally {
      setSearching(false);
    }
  }

  async function jump(hits: SearchResult["hits"], index: number): Promise<void> {
    const hit = hits[index];
    if (!hit) return;
    setHitIndex(index);
    setCurrent(hit.line);
    setFollow(false);
    const visible = lines.some((l) => l.n === hit.line);
    if (!visible) {
      const [before, after] = await Promise.all([
        viewerApi.text(path, { mode: "before", offset: hit.offset, lines: 200 }),
        viewerApi.text(path, { mode: "at", offset: hit.offset, lines: 400, line: hit.line }),
      ]);
      const numberedBefore: LineRun = { ...before, firstLine: hit.line - before.lines.length };
      setLines([...toLines(numberedBefore, false), ...toLines(after, true)]);
      setStart(before.startOffset);
      setEnd(after.endOffset);
      setFirstLine(numberedBefore.firstLine);
    }
    requestAnimationFrame(() => {
      box.current?.querySelector(`[data-line="${hit.line}"]`)?.scrollIntoView({ block: "center" });
    });
  }

  const hits = search?.hits ?? [];
  return (
    <div className="text-view">
      <div className="viewer-toolbar">
        <div className="button-group">
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => void load("head")}
          >
            Head
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => void load("tail")}
          >
            Tail
          </button>
          <label className="check-inline follow-toggle">
            <input
              type="checkbox"
              checked={follow}
              onChange={(e) => {
                setFollow(e.target.checked);
                if (e.target.checked) void load("tail");
              }}
            />{" "}
            Follow
          </label>
          {follow ? <span className="badge badge-ok live-badge">live</span> : null}
        </div>
        <form className="search-form" onSubmit={(e) => void runSearch(e)}>
          <input
            className="input input-small"
            type="search"
            placeholder={regex ? "Regular expression" : "Search"}
            aria-label="Search in file"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <label className="check-inline">
            <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> .*
          </label>
          <label className="check-inline">
            <input
              type="checkbox"
              checked={caseSensitive}
              onChange={(e) => setCaseSensitive(e.target.checked)}
            />{" "}
            Aa
          </label>
          <button className="button button-small" type="submit" disabled={searching}>
            {searching ? "Searching…" : "Find"}
          </button>
          {search ? (
            <span className="search-count" aria-live="polite">
              {search.matches === 0
                ? "no matches"
                : `${hitIndex + 1} / ${search.matches.toLocaleString()}${search.complete ? "" : "+"} ${search.matches === 1 ? "match" : "matches"}`}
            </span>
          ) : null}
          {hits.length > 1 ? (
            <>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-label="Previous match"
                onClick={() => void jump(hits, (hitIndex - 1 + hits.length) % hits.length)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-label="Next match"
                onClick={() => void jump(hits, (hitIndex + 1) % hits.length)}
              >
                ↓
              </button>
            </>
          ) : null}
        </form>
      </div>
      <ErrorAlert error={error} />
      <div className="text-meta muted">
        {formatBytes(size)}
        {firstLine !== null && lines.length > 0
          ? ` · lines ${firstLine.toLocaleString()}–${(firstLine + lines.length - 1).toLocaleString()}`
          : ""}
        {start > 0 ? ` · from byte ${start.toLocaleString()}` : ""}
      </div>
      <div className="log-box" ref={box} onScroll={onScroll}>
        {start > 0 ? (
          <button type="button" className="button-link load-more" onClick={() => void earlier()}>
            Load earlier lines
          </button>
        ) : null}
        <LogLines lines={lines} highlight={highlight} current={current} />
        {!follow && end < size ? (
          <button type="button" className="button-link load-more" onClick={() => void later()}>
            Load later lines
          </button>
        ) : null}
      </div>
    </div>
  );
}

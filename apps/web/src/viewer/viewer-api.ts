/**
 * Calls to the viewer API. The page was opened through the token exchange, so the http-only
 * cookie authenticates every same-origin request (fetch, EventSource, img, iframe).
 */
import { ApiError } from "../api-error.js";
import type {
  DetailEntry,
  FileInfo,
  LineRun,
  Listing,
  Overview,
  SearchResult,
  TablePage,
} from "./viewer-types.js";

type Query = Record<string, string | number | boolean | undefined>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs === "" ? path : `${path}?${qs}`;
}

async function request<T>(path: string, query: Query = {}, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url(path, query), { credentials: "same-origin", ...init });
  } catch (err) {
    throw new ApiError(
      "NETWORK_ERROR",
      "the viewer server cannot be reached; is `meridian view` still running?",
      0,
      {
        cause: err,
      },
    );
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!res.ok) {
    const b = body as { code?: unknown; message?: unknown } | null;
    throw new ApiError(
      typeof b?.code === "string" ? b.code : "BAD_RESPONSE",
      typeof b?.message === "string" ? b.message : `HTTP ${res.status}`,
      res.status,
    );
  }
  return body as T;
}

export const viewerApi = {
  list: (path: string, options: { recursive?: boolean; include?: string; exclude?: string } = {}) =>
    request<Listing>("/api/list", { path, ...options, recursive: options.recursive ? true : undefined }),
  details: (paths: string[]) =>
    request<{ entries: DetailEntry[] }>(
      "/api/details",
      {},
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ paths }),
      },
    ),
  info: (path: string) => request<FileInfo>("/api/info", { path }),
  text: (
    path: string,
    query: { mode: "head" | "tail" | "at" | "before"; lines?: number; offset?: number; line?: number },
  ) => request<LineRun>("/api/text", { path, ...query }),
  search: (path: string, q: string, options: { regex: boolean; caseSensitive: boolean; max?: number }) =>
    request<SearchResult>("/api/text/search", {
      path,
      q,
      regex: options.regex,
      case: options.caseSensitive,
      max: options.max,
    }),
  table: (path: string, query: { cursor?: string; rows?: number; sort?: number; desc?: boolean }) =>
    request<TablePage>("/api/table", { path, ...query }),
  fitsTable: (
    path: string,
    query: { hdu?: number; cursor?: string; rows?: number; sort?: number; desc?: boolean },
  ) => request<TablePage>("/api/fits/table", { path, ...query }),
  overview: () => request<Overview>("/api/overview"),
  /** Raw file text (for Markdown, JSON and notebooks). */
  async raw(path: string): Promise<string> {
    const res = await fetch(fileUrl(path), { credentials: "same-origin" });
    if (!res.ok)
      throw new ApiError(
        res.status === 404 ? "NOT_FOUND" : "BAD_RESPONSE",
        `cannot read ${path}`,
        res.status,
      );
    return res.text();
  },
};

/** Encode a tree path for a URL, segment by segment. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** URL of a file's raw bytes. */
export function fileUrl(path: string): string {
  return `/files/${encodePath(path)}`;
}

/** URL of a small version of an image (PNG thumbnails are made and cached on the server). */
export function thumbUrl(path: string, size = 320): string {
  return `/api/thumb?${new URLSearchParams({ path, size: String(size) })}`;
}

/** In-app URL of a directory listing. */
export function browseUrl(path: string): string {
  return path === "" ? "/browse" : `/browse/${encodePath(path)}`;
}

/** In-app URL of a file's view. */
export function viewUrl(path: string): string {
  return `/view/${encodePath(path)}`;
}

/** In-app URL for an entry: listing for directories, view for files. */
export function entryUrl(path: string, kind: string): string {
  return kind === "directory" ? browseUrl(path) : viewUrl(path);
}

/** Open an event stream; returns a function that closes it. */
export function subscribe(
  path: string,
  query: Query,
  handlers: Record<string, (data: unknown) => void>,
): () => void {
  const source = new EventSource(url(path, query));
  for (const [event, handler] of Object.entries(handlers)) {
    source.addEventListener(event, (e) => handler(JSON.parse((e as MessageEvent<string>).data)));
  }
  return () => source.close();
}

/** Parent directory of a tree path ("" at the top). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** Resolve `href` (relative to the directory `dir`) to a tree path, or null when it leaves the tree. */
export function resolveRelative(dir: string, href: string): string | null {
  const parts = dir === "" ? [] : dir.split("/");
  for (const seg of href.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

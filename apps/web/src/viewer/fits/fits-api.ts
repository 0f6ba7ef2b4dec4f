/** Calls of the FITS viewer to the viewer API (cookie-authenticated, same origin). */
import { ApiError } from "../../api-error.js";
import { fileUrl } from "../viewer-api.js";
import type { PlaneStats } from "./display-settings.js";
import type { LevelInfo } from "./view-transform.js";

export interface FitsImageInfo {
  readonly path: string;
  readonly hdu: number;
  readonly axes: number[];
  readonly bitpix: number;
  readonly bunit: string | null;
  readonly plane: number[];
  readonly tileSize: number;
  readonly levels: LevelInfo[];
  readonly stats: PlaneStats;
  readonly wcsError: string | null;
  readonly version: string;
  readonly cards: string[];
}

export interface Catalogue {
  readonly path: string;
  readonly raColumn: string;
  readonly decColumn: string;
  readonly labelColumn: string | null;
  readonly ra: number[];
  readonly dec: number[];
  readonly labels: string[] | null;
  readonly rows: number;
  readonly skipped: number;
  readonly truncated: boolean;
  readonly frame: string;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { credentials: "same-origin", ...(signal ? { signal } : {}) });
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok)
    throw new ApiError(body?.code ?? "BAD_RESPONSE", body?.message ?? `HTTP ${res.status}`, res.status);
  return body as T;
}

/** The description of a plane of HDU `hdu` (null: the file's first image HDU). */
export function fetchImageInfo(
  path: string,
  hdu: number | null,
  plane: string,
  signal?: AbortSignal,
): Promise<FitsImageInfo> {
  const q = new URLSearchParams({ path });
  if (hdu !== null) q.set("hdu", String(hdu));
  if (plane !== "") q.set("plane", plane);
  return getJson(`/api/fits/image?${q}`, signal);
}

export function fetchPixel(
  path: string,
  hdu: number,
  plane: string,
  x: number,
  y: number,
  signal?: AbortSignal,
): Promise<{ value: number | null }> {
  const q = new URLSearchParams({ path, hdu: String(hdu), x: String(x), y: String(y) });
  if (plane !== "") q.set("plane", plane);
  return getJson(`/api/fits/pixel?${q}`, signal);
}

export function fetchCatalogue(path: string): Promise<Catalogue> {
  return getJson(`/api/fits/catalog?${new URLSearchParams({ path })}`);
}

export async function fetchText(path: string): Promise<string> {
  const res = await fetch(fileUrl(path), { credentials: "same-origin" });
  if (!res.ok) throw new ApiError("NOT_FOUND", `cannot read ${path}: HTTP ${res.status}`, res.status);
  return res.text();
}

export function fetchProgress(
  path: string,
  hdu: number,
  plane: string,
): Promise<{ building: boolean; fraction: number | null }> {
  const q = new URLSearchParams({ path, hdu: String(hdu) });
  if (plane !== "") q.set("plane", plane);
  return getJson(`/api/fits/progress?${q}`);
}

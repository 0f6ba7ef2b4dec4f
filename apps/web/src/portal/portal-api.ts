/**
 * Calls to the portal API (`/api/portals/...`, docs/portal.md) and the shapes of its answers.
 * Writes send the session's CSRF token; failures are {@link ApiError}s with the server's code.
 */
import { ApiError } from "../api-error.js";

export type OrgRole = "observer" | "member" | "admin" | "owner";
export type PortalRole = OrgRole | "public";

export interface Portal {
  id: string;
  slug: string;
  name: string;
  description: string;
  isPublic: boolean;
  quotaBytes: number | null;
  usedBytes: number;
  createdAt: string;
}

export interface Site {
  id: string;
  name: string;
  longitude: number;
  latitude: number;
  elevation: number;
  timeZone: string;
  iauCode: string | null;
}

export interface Telescope {
  id: string;
  siteId: string | null;
  name: string;
  apertureM: number | null;
  focalLengthM: number | null;
}

export interface PublicPackage {
  id: string;
  title: string;
  description: string;
  authors: string[];
  licence: string;
  frozenAt: string | null;
  createdAt: string;
}

export interface PortalPage {
  portal: Portal;
  role: PortalRole;
  sites: Site[];
  telescopes: Telescope[];
  publicPackages: PublicPackage[];
}

export interface Member {
  userId: string;
  username: string;
  displayName: string;
  role: OrgRole;
  since: string;
}

export interface Dataset {
  id: string;
  telescopeId: string | null;
  name: string;
  description: string;
  tags: string[];
  createdAt: string;
}

export interface DataFile {
  id: string;
  datasetId: string;
  name: string;
  size: number;
  sha256: string;
  format: string;
  object: string | null;
  ra: number | null;
  dec: number | null;
  dateObs: string | null;
  exptime: number | null;
  filter: string | null;
  instrument: string | null;
  telescope: string | null;
  imageType: string | null;
  frameType: string | null;
  airmass: number | null;
  nightLogId: string | null;
  warnings: string[];
  createdAt: string;
}

export interface HduHeader {
  index: number;
  type: string;
  cards: Record<string, string | number | boolean | null>;
}

export interface NightLog {
  id: string;
  telescopeId: string;
  night: string;
  observers: string[];
  weather: string;
  notes: string;
  updatedAt: string;
}

export interface NightEntry {
  id: string;
  nightLogId: string;
  at: string;
  authorUserId: string | null;
  text: string;
}

export interface TimelineBlock {
  kind: "science" | "calibration" | "other";
  frameType: string;
  object: string | null;
  filter: string | null;
  instrument: string | null;
  start: string;
  end: string;
  frames: number;
  exposureSeconds: number;
  fileIds: string[];
}

export interface Timeline {
  nightLog: NightLog;
  telescope: { id: string; name: string };
  site: { id: string; name: string; timeZone: string } | null;
  start: string | null;
  end: string | null;
  blocks: TimelineBlock[];
  gaps: { start: string; end: string; seconds: number }[];
  targets: { object: string; frames: number; exposureSeconds: number; filters: string[] }[];
  filters: string[];
  calibrations: Record<string, number>;
  scienceSeconds: number;
  undated: number;
  entries: NightEntry[];
  observations: {
    id: string;
    targetName: string | null;
    filter: string | null;
    startAt: string | null;
    endAt: string | null;
    notes: string;
  }[];
  declaredCalibrations: {
    id: string;
    kind: string;
    filter: string | null;
    startAt: string | null;
    endAt: string | null;
    notes: string;
  }[];
}

export type Visibility = "private" | "organisation" | "public";

export interface DataPackage {
  id: string;
  title: string;
  description: string;
  authors: string[];
  licence: string;
  visibility: Visibility;
  embargoUntil: string | null;
  frozenAt: string | null;
  manifestSha256: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface PackageFile {
  fileId: string;
  name: string;
  size: number;
  sha256: string;
}

/** The search fields of `GET /:org/files` (and of a package's `search`). */
export interface FileSearch {
  object?: string;
  ra?: number;
  dec?: number;
  radius?: number;
  from?: string;
  to?: string;
  filter?: string;
  exptimeMin?: number;
  exptimeMax?: number;
  instrument?: string;
  telescope?: string;
  frameType?: string;
  dataset?: string;
  nightLog?: string;
  header?: string[];
}

export type SortKey = "date" | "name" | "exptime" | "object" | "created" | "size";

export interface SearchPage {
  items: DataFile[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | readonly string[] | undefined>;

/** `/api/portals/<org><path>?<query>`, repeated keys for arrays. */
export function portalUrl(org: string, path = "", query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  const q = params.toString();
  return `/api/portals/${encodeURIComponent(org)}${path}${q ? `?${q}` : ""}`;
}

/** Turns a non-2xx answer into an {@link ApiError} carrying the server's `{code, message}`. */
export async function failure(response: Response, what: string): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  if (body && typeof body.code === "string" && typeof body.message === "string")
    return new ApiError(body.code, body.message, response.status);
  return new ApiError(
    "BAD_RESPONSE",
    `The server answered ${what} with HTTP ${response.status}.`,
    response.status,
  );
}

/** A JSON call; `csrf` is sent on writes (null for reads). */
export async function call<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  url: string,
  csrf: string | null,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError("NETWORK_ERROR", `Could not reach the server for ${method} ${url}.`, 0, { cause });
  }
  if (!response.ok) throw await failure(response, `${method} ${url}`);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Query parameters of a search (drops empty fields). */
export function searchQuery(search: FileSearch): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(search)) {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    q[k] = v as Query[string];
  }
  return q;
}

export const portalApi = {
  list: (signal?: AbortSignal) =>
    call<{ items: { portal: Portal; role: OrgRole }[] }>("GET", "/api/portals", null, undefined, signal),
  create: (
    csrf: string | null,
    body: { slug: string; name: string; description?: string; isPublic?: boolean },
  ) => call<{ portal: Portal }>("POST", "/api/portals", csrf, body),
  page: (org: string, signal?: AbortSignal) =>
    call<PortalPage>("GET", portalUrl(org), null, undefined, signal),
  update: (
    csrf: string | null,
    org: string,
    body: { name?: string; description?: string; isPublic?: boolean },
  ) => call<{ portal: Portal }>("PATCH", portalUrl(org), csrf, body),

  members: (org: string, signal?: AbortSignal) =>
    call<{ items: Member[] }>("GET", portalUrl(org, "/members"), null, undefined, signal),
  addMember: (csrf: string | null, org: string, username: string, role: OrgRole) =>
    call<{ member: Member }>("POST", portalUrl(org, "/members"), csrf, { username, role }),
  setRole: (csrf: string | null, org: string, userId: string, role: OrgRole) =>
    call<unknown>("PATCH", portalUrl(org, `/members/${userId}`), csrf, { role }),
  removeMember: (csrf: string | null, org: string, userId: string) =>
    call<void>("DELETE", portalUrl(org, `/members/${userId}`), csrf),

  datasets: (org: string, signal?: AbortSignal) =>
    call<{ items: Dataset[] }>("GET", portalUrl(org, "/datasets"), null, undefined, signal),
  search: (
    org: string,
    search: FileSearch,
    sort: SortKey,
    order: "asc" | "desc",
    limit: number,
    cursor?: string,
  ) =>
    call<SearchPage>(
      "GET",
      portalUrl(org, "/files", { ...searchQuery(search), sort, order, limit, cursor }),
      null,
    ),
  headers: (org: string, fileId: string) =>
    call<{ fileId: string; name: string; headers: HduHeader[] }>(
      "GET",
      portalUrl(org, `/files/${fileId}/headers`),
      null,
    ),
  thumbnailUrl: (org: string, fileId: string) => portalUrl(org, `/files/${fileId}/thumbnail`, { size: 256 }),

  nightLogs: (org: string, signal?: AbortSignal) =>
    call<{ items: NightLog[] }>("GET", portalUrl(org, "/night-logs"), null, undefined, signal),
  createNightLog: (csrf: string | null, org: string, body: { telescopeId: string; night: string }) =>
    call<{ nightLog: NightLog }>("POST", portalUrl(org, "/night-logs"), csrf, body),
  updateNightLog: (
    csrf: string | null,
    org: string,
    id: string,
    body: { observers: string[]; weather: string; notes: string },
  ) => call<{ nightLog: NightLog }>("PATCH", portalUrl(org, `/night-logs/${id}`), csrf, body),
  timeline: (org: string, id: string, gapSeconds: number) =>
    call<Timeline>("GET", portalUrl(org, `/night-logs/${id}/timeline`, { gapSeconds }), null),
  addEntry: (csrf: string | null, org: string, id: string, body: { at?: string; text: string }) =>
    call<{ entry: NightEntry }>("POST", portalUrl(org, `/night-logs/${id}/entries`), csrf, body),
  deleteEntry: (csrf: string | null, org: string, id: string, entryId: string) =>
    call<void>("DELETE", portalUrl(org, `/night-logs/${id}/entries/${entryId}`), csrf),

  packages: (org: string, signal?: AbortSignal) =>
    call<{ packages: DataPackage[] }>("GET", portalUrl(org, "/packages"), null, undefined, signal),
  package: (org: string, id: string) =>
    call<{ package: DataPackage; files: PackageFile[] }>("GET", portalUrl(org, `/packages/${id}`), null),
  createPackage: (
    csrf: string | null,
    org: string,
    body: {
      title: string;
      description?: string;
      authors?: string[];
      licence?: string;
      fileIds?: string[];
      search?: Omit<FileSearch, "header"> & { header?: string[] };
    },
  ) => call<{ package: DataPackage; files: number }>("POST", portalUrl(org, "/packages"), csrf, body),
  updatePackage: (
    csrf: string | null,
    org: string,
    id: string,
    body: { visibility?: Visibility; embargoUntil?: string | null },
  ) => call<{ package: DataPackage }>("PATCH", portalUrl(org, `/packages/${id}`), csrf, body),
  freeze: (csrf: string | null, org: string, id: string) =>
    call<unknown>("POST", portalUrl(org, `/packages/${id}/freeze`), csrf, {}),
  deletePackage: (csrf: string | null, org: string, id: string) =>
    call<void>("DELETE", portalUrl(org, `/packages/${id}`), csrf),
  downloadUrl: (org: string, id: string) => portalUrl(org, `/packages/${id}/download`),
};

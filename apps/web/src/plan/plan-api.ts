/**
 * Calls to the tools API (`/api/tools/...`) and the shapes of their answers (see docs/plan.md and
 * the OpenAPI document). Times are ISO 8601 UTC strings, angles degrees.
 */
import type { TargetDoc, TargetSampleDoc } from "@meridian/plan";
import { ApiError } from "../api-error.js";

/** One per-step sample of a target, and a planned target, as in `meridian plan --json`. */
export type TargetSample = TargetSampleDoc & { time: string };
export type PlannedTarget = Omit<TargetDoc, "series"> & { series?: TargetSample[] };

export interface PlanSite {
  latitude: number;
  longitude: number;
  elevation: number;
  name?: string;
  source: string;
  utcOffsetHours?: number;
  timeZone?: string;
}

export interface PlanResponse {
  site: PlanSite;
  telescope?: { id: string; name: string; limits: Record<string, number> };
  constraints: Record<string, unknown>;
  night: {
    start: string;
    end: string;
    moonIllumination: number;
    events: Record<string, string | null>;
    series: { time: string; sunAltitude: number; moonAltitude: number; moonAzimuth: number }[];
  };
  targets: PlannedTarget[];
}

export interface YearlyResponse {
  site: PlanSite;
  nights: string[];
  darkHours: number[];
  targets: { name: string; hours: number[]; monthly: { month: string; meanHours: number }[] }[];
}

export interface PlanConstraints {
  maxAirmass?: number;
  minAltitude?: number;
  minMoonSeparation?: number;
  twilight?: "sunset" | "civil" | "nautical" | "astronomical" | null;
  hourAngle?: { min: number; max: number };
  horizon?: string;
  windows?: { start: string; end: string }[];
}

export interface PlanRequest {
  site?: string;
  telescope?: string;
  date: string;
  targets: string[];
  /** A portal target list: name, org-slug/name or id. */
  targetList?: string;
  /** CSV text `name,ra,dec`. */
  targetsCsv?: string;
  constraints?: PlanConstraints;
}

export interface TrackPoint {
  time: string;
  ra: number;
  dec: number;
  alt: number;
  az: number;
  rangeKm: number;
}

export interface SatCrossing {
  name: string;
  satnum: string;
  entry: TrackPoint;
  exit: TrackPoint;
  inFieldAtStart: boolean;
  inFieldAtEnd: boolean;
  angularRate: number;
  rangeKm: number;
  sunlit: boolean;
  track: TrackPoint[];
  elements: { line1?: string; line2?: string; epoch: string; ageDays: number; stale: boolean };
}

export interface SatcheckResponse {
  site: PlanSite;
  source: string;
  problems: { line: number; code: string; message: string }[];
  stats: { objects: number; afterGeometry: number; milliseconds: number };
  crossings: SatCrossing[];
}

export type Pointing = { ra: number | string; dec: number | string } | { alt: number; az: number };
export type Field = { radius: number } | { width: number; height: number; pa?: number };

export interface SatcheckRequest {
  site: string;
  pointing: Pointing;
  field: Field;
  start: string;
  duration: number;
  elements?: { text: string } | { url: string } | { catalogue: true };
  sunlitOnly?: boolean;
  maxAgeDays?: number;
}

async function call<T>(
  method: "GET" | "POST",
  path: string,
  csrfToken: string | null,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method === "POST" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiError("NETWORK_ERROR", `Could not reach the server for ${path}.`, 0, { cause });
  }
  const parsed = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) {
    throw new ApiError(
      parsed?.code ?? "BAD_RESPONSE",
      parsed?.message ?? `The server answered ${path} with HTTP ${res.status}.`,
      res.status,
    );
  }
  return parsed as T;
}

/** `POST /api/tools/plan` for one night. */
export function fetchPlan(csrfToken: string | null, req: PlanRequest): Promise<PlanResponse> {
  return call("POST", "/api/tools/plan", csrfToken, req);
}

/** `POST /api/tools/plan/yearly`: hours per night through a year. */
export function fetchYearly(csrfToken: string | null, req: PlanRequest): Promise<YearlyResponse> {
  return call("POST", "/api/tools/plan/yearly", csrfToken, { ...req, nights: 365 });
}

/** `POST /api/tools/satcheck`. */
export function fetchSatcheck(csrfToken: string | null, req: SatcheckRequest): Promise<SatcheckResponse> {
  return call("POST", "/api/tools/satcheck", csrfToken, req);
}

/** The server's satellite catalogue. */
export interface CatalogueInfo {
  objects: number;
  elementSets: number;
  newestEpoch: string | null;
  oldestEpoch: string | null;
}

/** `GET /api/tools/satellites`. */
export function fetchCatalogueInfo(): Promise<CatalogueInfo> {
  return call("GET", "/api/tools/satellites", null);
}

/** `POST /api/tools/satellites`: add element sets (text or a URL); every epoch is kept. */
export function addToCatalogue(
  csrfToken: string | null,
  source: { text: string } | { url: string },
): Promise<{ added: number; objects: number; problems: { line: number; message: string }[] }> {
  return call("POST", "/api/tools/satellites", csrfToken, source);
}

/** A site to plan from (`key` is what to send as `site`). */
export interface SiteChoice {
  name: string;
  key: string;
  source: string;
  latitude: number;
  longitude: number;
  elevation: number;
}

/** `GET /api/tools/sites`: portal sites you can see, then the bundled observatories. */
export async function fetchSites(): Promise<SiteChoice[]> {
  return (await call<{ items: SiteChoice[] }>("GET", "/api/tools/sites", null)).items;
}

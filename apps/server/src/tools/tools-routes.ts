/**
 * The tools API: observability of targets (`/api/tools/plan`, `/api/tools/plan/yearly`), name
 * resolution (`/api/tools/targets/resolve`) and satellite checks (`/api/tools/satcheck`) with the
 * server's element-set catalogue (`/api/tools/satellites/...`). Logged-in users only.
 */
import { join } from "node:path";
import {
  type Constraints,
  constraintsDocument,
  type ElementSet,
  type ElementsUsed,
  type FieldShape,
  isPlanError,
  makeHorizonProfile,
  nightDocument,
  nightSpan,
  type Pointing,
  parseElements,
  parseHorizonProfile,
  parseTargetList,
  parseTime,
  planNight,
  resolveTarget,
  SatelliteCatalogue,
  satcheck,
  satcheckDocument,
  type Target,
  type TimeSpan,
  targetDocument,
  yearlyDocument,
  yearlyObservability,
} from "@meridian/plan";
import { Type } from "typebox";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import { requirePrincipal } from "../http/authenticate.js";
import type { AppContext } from "../http/context.js";
import { USER_READ, USER_WRITE } from "../http/policy.js";
import { closed, ErrorSchema, errorResponses } from "../http/schemas.js";
import { ElementStore } from "./element-store.js";
import { type FetchLimits, fetchElementsText, fetchLimitsFromEnv } from "./fetch-elements.js";
import { asClientErrors } from "./plan-errors.js";
import {
  listToolSites,
  loadTargetList,
  type ResolvedSite,
  type ResolvedTelescope,
  resolveTelescope,
  resolveToolSite,
  type SiteInput,
  siteHorizon,
  telescopeSite,
  withTelescopeLimits,
  zoneOffsetHours,
} from "./site-lookup.js";
import {
  CatalogueInfoSchema,
  ElementHistorySchema,
  ElementsAddedSchema,
  ElementsUploadSchema,
  PlanBodySchema,
  PlanResponseSchema,
  ResolvedTargetSchema,
  SatcheckBodySchema,
  SatcheckResponseSchema,
  SiteChoicesSchema,
  UnknownTargetSchema,
  YearlyBodySchema,
  YearlyResponseSchema,
} from "./tools-schemas.js";

/** Options of {@link toolsRoutes}. */
export interface ToolsOptions {
  /** Where the satellite catalogue keeps its files (default `$MERIDIAN_HOME/tools/elements`). */
  readonly elementsDir?: string;
  /** Limits for element sets fetched from user URLs (default from the environment). */
  readonly fetchLimits?: FetchLimits;
}

/** Largest number of target × time samples one plan answers (with series / without). */
const MAX_SAMPLES_WITH_SERIES = 400_000;
const MAX_SAMPLES = 4_000_000;
const MAX_RANGE_DAYS = 14;
/** Request bodies that carry element-set text (a whole CelesTrak catalogue in OMM JSON is ~15 MB). */
const ELEMENTS_BODY_LIMIT = 24 * 1024 * 1024;

type TargetInput =
  | string
  | { name?: string; ra: number | string; dec: number | string; pmRa?: number; pmDec?: number };

function toTarget(t: TargetInput): Target {
  if (typeof t === "string") return resolveTarget(t);
  const coords =
    typeof t.ra === "number" && typeof t.dec === "number"
      ? { ra: t.ra, dec: t.dec }
      : (() => {
          const r = resolveTarget(`${t.ra} ${t.dec}`);
          if (r.kind !== "fixed") throw new ServerError("BAD_REQUEST", `"${t.ra} ${t.dec}" is not RA Dec`);
          return { ra: r.ra, dec: r.dec };
        })();
  return {
    kind: "fixed",
    name: t.name ?? `${t.ra} ${t.dec}`,
    ...coords,
    ...(t.pmRa !== undefined ? { pmRa: t.pmRa } : {}),
    ...(t.pmDec !== undefined ? { pmDec: t.pmDec } : {}),
    aliases: [],
    source: "coordinates",
    type: "coordinates",
  };
}

interface ConstraintsInput {
  maxAirmass?: number;
  minAltitude?: number;
  maxAltitude?: number;
  minMoonSeparation?: number;
  twilight?: "sunset" | "civil" | "nautical" | "astronomical" | number | null;
  hourAngle?: { min: number; max: number };
  declination?: { min: number; max: number };
  windows?: { start: string; end: string }[];
  horizon?: [number, number][] | string;
}

function toConstraints(c: ConstraintsInput | undefined): Constraints {
  if (!c) return {};
  const { horizon, windows, ...rest } = c;
  return {
    ...rest,
    ...(windows
      ? { windows: windows.map((w) => ({ start: parseTime(w.start), end: parseTime(w.end) })) }
      : {}),
    ...(horizon === undefined
      ? {}
      : {
          horizon: typeof horizon === "string" ? parseHorizonProfile(horizon) : makeHorizonProfile(horizon),
        }),
  };
}

function siteDocument(r: ResolvedSite) {
  return {
    latitude: r.site.latitude,
    longitude: r.site.longitude,
    elevation: r.site.elevation,
    ...(r.site.name !== undefined ? { name: r.site.name } : {}),
    source: r.source,
    ...(r.utcOffsetHours !== undefined ? { utcOffsetHours: r.utcOffsetHours } : {}),
    ...(r.timeZone !== undefined ? { timeZone: r.timeZone } : {}),
  };
}

function telescopeDocument(t: ResolvedTelescope) {
  return { id: t.id, name: t.name, limits: t.limits };
}

interface PlanCommonInput {
  site?: SiteInput;
  telescope?: string;
  utcOffsetHours?: number;
  targets?: TargetInput[];
  targetList?: string;
  targetsCsv?: string;
  constraints?: ConstraintsInput;
  weather?: {
    pressureHpa: number;
    temperatureC?: number;
    relativeHumidity?: number;
    wavelengthMicron?: number;
  };
  ut1MinusUtc?: number;
}

/** Site, telescope, targets and constraints of a planning request. */
async function planInputs(context: AppContext, userId: string, body: PlanCommonInput, at: number) {
  const telescope = body.telescope ? await resolveTelescope(context.db, userId, body.telescope) : undefined;
  let site: ResolvedSite | undefined;
  if (body.site !== undefined) site = await resolveToolSite(context.db, userId, body.site, at);
  else if (telescope) site = telescopeSite(telescope, at);
  if (!site) {
    throw new ServerError(
      "BAD_REQUEST",
      telescope
        ? `telescope "${telescope.name}" has no site; give one`
        : "give a site (or a telescope that has one)",
    );
  }
  const listed = body.targetList ? await loadTargetList(context.db, userId, body.targetList) : [];
  return asClientErrors(() => {
    const targets = [
      ...(body.targets ?? []).map(toTarget),
      ...listed,
      ...(body.targetsCsv ? parseTargetList(body.targetsCsv) : []),
    ];
    if (targets.length === 0)
      throw new ServerError("BAD_REQUEST", "give targets, a targetList or targetsCsv");
    if (targets.length > 500)
      throw new ServerError("BAD_REQUEST", `${targets.length} targets is more than 500`);
    let constraints = siteHorizon(site, toConstraints(body.constraints));
    if (telescope) constraints = withTelescopeLimits(constraints, telescope.limits);
    const options = {
      constraints,
      ...(body.weather ? { weather: body.weather } : {}),
      ...(body.ut1MinusUtc !== undefined ? { ut1MinusUtc: body.ut1MinusUtc } : {}),
    };
    const utcOffsetHours = body.utcOffsetHours ?? site.utcOffsetHours;
    return { site, telescope, targets, constraints, options, utcOffsetHours };
  });
}

async function elementsFrom(
  input: { text: string } | { url: string } | { catalogue: true } | undefined,
  store: ElementStore,
  limits: FetchLimits,
  mid: number,
  maxAgeDays: number,
): Promise<{
  source: string;
  used: (ElementsUsed | ElementSet)[];
  problems: ReturnType<typeof parseElements>["problems"];
}> {
  if (input === undefined || "catalogue" in input) {
    const cat = await store.catalogue();
    const used = cat.allAt(mid).map((u) => {
      const ageDays = u.ageDays;
      return { ...u, stale: Math.abs(ageDays) > maxAgeDays };
    });
    if (used.length === 0) {
      throw new ServerError(
        "BAD_REQUEST",
        "the server's satellite catalogue is empty; send element sets as text or a URL",
      );
    }
    return { source: "catalogue", used, problems: [] };
  }
  const text = "text" in input ? input.text : await fetchElementsText(input.url, limits);
  const parsed = await asClientErrors(() => parseElements(text));
  if (parsed.records.length === 0) {
    const first = parsed.problems[0];
    throw new ServerError(
      "BAD_REQUEST",
      `no element set could be read${first ? `; line ${first.line}: ${first.message}` : ""}`,
    );
  }
  const cat = new SatelliteCatalogue(parsed.records, { maxAgeDays });
  return { source: "text" in input ? "text" : "url", used: cat.allAt(mid), problems: parsed.problems };
}

/** Register the tools routes. */
export function toolsRoutes(app: App, context: AppContext, options: ToolsOptions = {}): void {
  const store = new ElementStore(options.elementsDir ?? join(context.config.home, "tools", "elements"));
  const limits = options.fetchLimits ?? fetchLimitsFromEnv(process.env);
  const tags = ["tools"];

  app.post(
    "/api/tools/plan",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary: "Observability of targets from a site over a night, a date range or at one instant",
        description:
          "Per target: altitude, azimuth, airmass (sec z and Kasten & Young), hour angle and Moon separation at each step; rise, transit, set; observable windows under the constraints (a telescope's limits merged in). Per night: Sun and Moon altitude, Moon illumination, twilights.",
        body: PlanBodySchema,
        response: { 200: PlanResponseSchema, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const user = requirePrincipal(request).user;
      const given = [body.date, body.start, body.at].filter((x) => x !== undefined).length;
      if (given !== 1 || (body.start !== undefined) !== (body.end !== undefined)) {
        throw new ServerError("BAD_REQUEST", "give exactly one of: date, start and end, at");
      }
      const anchor = await asClientErrors(() =>
        body.at !== undefined
          ? parseTime(body.at)
          : body.start !== undefined
            ? parseTime(body.start)
            : parseTime(body.date ?? "") + 12 * 3600000,
      );
      const inputs = await planInputs(context, user.id, body, anchor);
      return asClientErrors(() => {
        let span: TimeSpan;
        let step = body.stepMinutes ?? 1;
        if (body.at !== undefined) {
          span = { start: anchor, end: anchor + 60000 };
          step = 1;
        } else if (body.start !== undefined) {
          span = { start: anchor, end: parseTime(body.end ?? "") };
          if (!(span.end > span.start)) throw new ServerError("BAD_REQUEST", "end must be after start");
          if (span.end - span.start > MAX_RANGE_DAYS * 86400000) {
            throw new ServerError("BAD_REQUEST", `a date range may span at most ${MAX_RANGE_DAYS} days`);
          }
        } else {
          span = nightSpan(body.date ?? "", inputs.site.site.longitude, inputs.utcOffsetHours);
        }
        const series = body.series ?? true;
        const samples = inputs.targets.length * ((span.end - span.start) / (step * 60000) + 1);
        const max = series ? MAX_SAMPLES_WITH_SERIES : MAX_SAMPLES;
        if (samples > max) {
          throw new ServerError(
            "BAD_REQUEST",
            `${Math.round(samples)} target×time samples is more than ${max}; use a larger stepMinutes${series ? " or series: false" : ""}`,
          );
        }
        const plan = planNight(inputs.targets, inputs.site.site, span, {
          ...inputs.options,
          stepMinutes: step,
          keepSeries: series,
        });
        return {
          site: siteDocument(inputs.site),
          ...(inputs.telescope ? { telescope: telescopeDocument(inputs.telescope) } : {}),
          constraints: constraintsDocument(inputs.constraints),
          night: nightDocument(plan, span),
          targets: plan.targets.map((t) => targetDocument(t, plan.night.times, series)),
        };
      });
    },
  );

  app.post(
    "/api/tools/plan/yearly",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary: "Hours each target is observable on each night through a year (best months)",
        body: YearlyBodySchema,
        response: { 200: YearlyResponseSchema, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const user = requirePrincipal(request).user;
      const anchor = await asClientErrors(() => parseTime(body.date) + 12 * 3600000);
      const inputs = await planInputs(context, user.id, body, anchor);
      if (inputs.targets.length > 50)
        throw new ServerError("BAD_REQUEST", "at most 50 targets per yearly plan");
      const zone = inputs.site.timeZone;
      return asClientErrors(() => {
        const y = yearlyObservability(inputs.targets, inputs.site.site, body.date, {
          ...inputs.options,
          nNights: body.nights ?? 365,
          stepMinutes: body.stepMinutes ?? 10,
          ...(inputs.utcOffsetHours !== undefined ? { utcOffsetHours: inputs.utcOffsetHours } : {}),
          // A portal site's zone: each night's own offset (daylight saving), unless one was given.
          ...(body.utcOffsetHours === undefined && zone !== undefined && zone !== "UTC"
            ? { utcOffsetAt: (ms: number) => zoneOffsetHours(zone, ms) }
            : {}),
        });
        return {
          site: siteDocument(inputs.site),
          ...(inputs.telescope ? { telescope: telescopeDocument(inputs.telescope) } : {}),
          ...yearlyDocument(
            y,
            inputs.targets.map((t) => t.name),
          ),
        };
      });
    },
  );

  app.get(
    "/api/tools/targets/resolve",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary: "Resolve a target name (or RA Dec) offline; unknown names get suggestions",
        querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, closed),
        response: { 200: ResolvedTargetSchema, ...errorResponses, 404: UnknownTargetSchema },
      },
    },
    async (request, reply) => {
      try {
        const t = resolveTarget(request.query.name);
        const jdIso = (jd: number) => new Date((jd - 2440587.5) * 86400000).toISOString();
        if (t.kind === "orbit") {
          const { elements, epoch, ...rest } = t;
          return {
            ...rest,
            aliases: [...t.aliases],
            orbit: {
              e: elements.e,
              q: elements.q,
              i: elements.i,
              node: elements.node,
              peri: elements.peri,
              perihelion: jdIso(elements.tp),
              epoch: jdIso(epoch),
            },
          };
        }
        return { ...t, aliases: [...t.aliases] };
      } catch (err) {
        if (isPlanError(err, "UNKNOWN_TARGET")) {
          return reply
            .status(404)
            .send({ code: "NOT_FOUND", message: err.message, suggestions: [...err.suggestions] });
        }
        throw await asClientErrors(() => err);
      }
    },
  );

  app.get(
    "/api/tools/sites",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary:
          "Sites you can plan from: portal sites you can see (your organisations first), then the bundled observatories",
        response: { 200: SiteChoicesSchema, ...errorResponses },
      },
    },
    async (request) => ({ items: await listToolSites(context.db, requirePrincipal(request).user.id) }),
  );

  app.post(
    "/api/tools/satcheck",
    {
      config: { policy: USER_READ },
      bodyLimit: ELEMENTS_BODY_LIMIT,
      schema: {
        tags,
        summary: "Satellites crossing a field of view during an exposure",
        description:
          "Element sets from the request (TLE or OMM text, or a URL the server fetches within size and time limits) or from the server's catalogue (the set nearest in time for each object). Each crossing carries the element set used, its age and a stale flag.",
        body: SatcheckBodySchema,
        response: { 200: SatcheckResponseSchema, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const user = requirePrincipal(request).user;
      const start = await asClientErrors(() => parseTime(body.start));
      const mid = start + (body.duration * 1000) / 2;
      const site = await resolveToolSite(context.db, user.id, body.site, mid);
      const maxAgeDays = body.maxAgeDays ?? 3;
      const elements = await elementsFrom(body.elements, store, limits, mid, maxAgeDays);
      return asClientErrors(() => {
        const p = body.pointing;
        let pointing: Pointing;
        if ("alt" in p) pointing = { alt: p.alt, az: p.az };
        else if (typeof p.ra === "number" && typeof p.dec === "number") pointing = { ra: p.ra, dec: p.dec };
        else {
          const c = resolveTarget(`${p.ra} ${p.dec}`);
          if (c.kind !== "fixed") throw new ServerError("BAD_REQUEST", "pointing: RA and Dec expected");
          pointing = { ra: c.ra, dec: c.dec };
        }
        const f = body.field;
        const field: FieldShape =
          "radius" in f
            ? { kind: "circle", radius: f.radius }
            : { kind: "rectangle", width: f.width, height: f.height, pa: f.pa ?? 0 };
        const res = satcheck({
          site: site.site,
          pointing,
          field,
          start,
          duration: body.duration,
          elements: elements.used,
          maxAgeDays,
          ...(body.sunlitOnly ? { sunlitOnly: true } : {}),
          ...(body.ut1MinusUtc !== undefined ? { ut1MinusUtc: body.ut1MinusUtc } : {}),
        });
        return {
          site: siteDocument(site),
          source: elements.source,
          ...satcheckDocument(res, elements.problems),
        };
      });
    },
  );

  app.get(
    "/api/tools/satellites",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary: "The server's satellite catalogue: objects, element sets and epoch range",
        response: { 200: CatalogueInfoSchema, ...errorResponses },
      },
    },
    async () => {
      const cat = await store.catalogue();
      let sets = 0;
      let oldest = Number.POSITIVE_INFINITY;
      let newest = Number.NEGATIVE_INFINITY;
      for (const id of cat.ids()) {
        for (const s of cat.history(id)) {
          sets++;
          oldest = Math.min(oldest, s.epoch);
          newest = Math.max(newest, s.epoch);
        }
      }
      const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
      return { objects: cat.size, elementSets: sets, newestEpoch: iso(newest), oldestEpoch: iso(oldest) };
    },
  );

  app.post(
    "/api/tools/satellites",
    {
      config: { policy: USER_WRITE },
      bodyLimit: ELEMENTS_BODY_LIMIT,
      schema: {
        tags,
        summary:
          "Add element sets (TLE or OMM text, or a URL) to the server's catalogue; every epoch is kept",
        body: ElementsUploadSchema,
        response: { 200: ElementsAddedSchema, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      const text = "text" in body ? body.text : await fetchElementsText(body.url, limits);
      return asClientErrors(() => store.add(text));
    },
  );

  app.get(
    "/api/tools/satellites/:satnum",
    {
      config: { policy: USER_READ },
      schema: {
        tags,
        summary: "Every element set held for one object, oldest epoch first",
        params: Type.Object({ satnum: Type.String({ minLength: 1, maxLength: 9 }) }, closed),
        response: { 200: ElementHistorySchema, ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request) => {
      const cat = await store.catalogue();
      const history = cat.history(request.params.satnum);
      if (history.length === 0)
        throw new ServerError("NOT_FOUND", `no element sets for ${request.params.satnum}`);
      return {
        satnum: request.params.satnum.trim(),
        name: store.name(request.params.satnum) ?? request.params.satnum,
        history: history.map((s) => ({
          epoch: new Date(s.epoch).toISOString(),
          ...(s.line1 !== undefined ? { line1: s.line1 } : {}),
          ...(s.line2 !== undefined ? { line2: s.line2 } : {}),
        })),
      };
    },
  );
}

/** TypeBox schemas of the tools API (planning and satellite checks); they also make its OpenAPI part. */
import { Type } from "typebox";
import { closed } from "../http/schemas.js";

const Iso = Type.String({ format: "date-time", description: "ISO 8601 UTC" });
const IsoOrNull = Type.Union([Iso, Type.Null()]);
const Num = (description: string, extra: Record<string, number> = {}) =>
  Type.Number({ description, ...extra });

export const SiteSchema = Type.Union(
  [
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        '"lat,lon[,elevation_m]" (degrees, east positive, metres), a site of your organisations or a public one by name, "org-slug/name" or id, or a bundled observatory ("ctio", "paranal")',
    }),
    Type.Object(
      {
        latitude: Num("degrees", { minimum: -90, maximum: 90 }),
        longitude: Num("degrees, east positive", { minimum: -360, maximum: 360 }),
        elevation: Type.Optional(Num("metres above the WGS84 ellipsoid", { minimum: -500, maximum: 10000 })),
        name: Type.Optional(Type.String({ maxLength: 200 })),
      },
      closed,
    ),
  ],
  { description: "Observing site" },
);

export const TargetInputSchema = Type.Union([
  Type.String({
    minLength: 1,
    maxLength: 200,
    description:
      'A name ("M 31", "Vega", "Jupiter", "1P/Halley", "Ceres") or "RA Dec" ("12:30:00 -30:00:00", "187.5 -30")',
  }),
  Type.Object(
    {
      name: Type.Optional(Type.String({ maxLength: 200 })),
      ra: Type.Union([Num("degrees (ICRS)", { minimum: 0, maximum: 360 }), Type.String({ maxLength: 40 })]),
      dec: Type.Union([Num("degrees (ICRS)", { minimum: -90, maximum: 90 }), Type.String({ maxLength: 40 })]),
      pmRa: Type.Optional(Num("proper motion μα* = μα cos δ, mas/yr")),
      pmDec: Type.Optional(Num("proper motion μδ, mas/yr")),
    },
    closed,
  ),
]);

const Range = (unit: string, lo: number, hi: number) =>
  Type.Object(
    { min: Num(unit, { minimum: lo, maximum: hi }), max: Num(unit, { minimum: lo, maximum: hi }) },
    closed,
  );

export const ConstraintsSchema = Type.Object(
  {
    maxAirmass: Type.Optional(Num("maximum airmass (sec z)", { minimum: 1, maximum: 100 })),
    minAltitude: Type.Optional(Num("degrees", { minimum: -90, maximum: 90 })),
    maxAltitude: Type.Optional(Num("degrees", { minimum: -90, maximum: 90 })),
    minMoonSeparation: Type.Optional(Num("degrees (while the Moon is up)", { minimum: 0, maximum: 180 })),
    twilight: Type.Optional(
      Type.Union(
        [
          Type.Literal("sunset"),
          Type.Literal("civil"),
          Type.Literal("nautical"),
          Type.Literal("astronomical"),
          Num("Sun altitude limit, degrees", { minimum: -90, maximum: 90 }),
          Type.Null(),
        ],
        { description: "Sun below this twilight (default astronomical); null: no Sun limit" },
      ),
    ),
    hourAngle: Type.Optional(Range("hours", -12, 12)),
    declination: Type.Optional(Range("degrees", -90, 90)),
    windows: Type.Optional(
      Type.Array(Type.Object({ start: Iso, end: Iso }, closed), {
        maxItems: 100,
        description: "Only these time windows count",
      }),
    ),
    horizon: Type.Optional(
      Type.Union([
        Type.Array(Type.Tuple([Type.Number(), Type.Number()]), {
          minItems: 1,
          maxItems: 3600,
          description: "[azimuth, minimum altitude] pairs in degrees",
        }),
        Type.String({ maxLength: 200_000, description: 'horizon file text: "azimuth altitude" per line' }),
      ]),
    ),
  },
  closed,
);

export const WeatherSchema = Type.Object(
  {
    pressureHpa: Num("pressure at the site, hPa (refracted altitudes)", { minimum: 0, maximum: 1200 }),
    temperatureC: Type.Optional(Num("°C", { minimum: -80, maximum: 60 })),
    relativeHumidity: Type.Optional(Num("0–1", { minimum: 0, maximum: 1 })),
    wavelengthMicron: Type.Optional(Num("µm", { minimum: 0.3, maximum: 30 })),
  },
  closed,
);

const PlanCommon = {
  site: Type.Optional(SiteSchema),
  telescope: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "A telescope (name, org-slug/name or id): its limits apply, and its site when none is given",
    }),
  ),
  utcOffsetHours: Type.Optional(
    Num("local time offset for noon-to-noon nights (default: the site's zone, else longitude/15)", {
      minimum: -14,
      maximum: 14,
    }),
  ),
  targets: Type.Optional(Type.Array(TargetInputSchema, { maxItems: 500 })),
  targetList: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "a portal target list (name, org-slug/name or id) whose targets are added, in list order",
    }),
  ),
  targetsCsv: Type.Optional(
    Type.String({
      maxLength: 1_000_000,
      description: "a CSV target list: name,ra,dec (ra/dec may be empty to resolve the name)",
    }),
  ),
  constraints: Type.Optional(ConstraintsSchema),
  weather: Type.Optional(WeatherSchema),
  ut1MinusUtc: Type.Optional(Num("seconds", { minimum: -1, maximum: 1 })),
};

export const PlanBodySchema = Type.Object(
  {
    ...PlanCommon,
    date: Type.Optional(
      Type.String({
        pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        description: "the night starting at local noon of this date",
      }),
    ),
    start: Type.Optional(
      Type.String({ maxLength: 40, description: "a date range instead of a night: start (ISO 8601 UTC)" }),
    ),
    end: Type.Optional(
      Type.String({ maxLength: 40, description: "end of the range (at most 14 days after start)" }),
    ),
    at: Type.Optional(Type.String({ maxLength: 40, description: "positions at one instant (ISO 8601 UTC)" })),
    stepMinutes: Type.Optional(Num("grid step, minutes (default 1)", { minimum: 0.25, maximum: 60 })),
    series: Type.Optional(Type.Boolean({ description: "include per-step series (default true)" })),
  },
  closed,
);

export const YearlyBodySchema = Type.Object(
  {
    ...PlanCommon,
    date: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "first night" }),
    nights: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: "default 365" })),
    stepMinutes: Type.Optional(Num("grid step, minutes (default 10)", { minimum: 1, maximum: 60 })),
  },
  closed,
);

const ResolvedSiteSchema = Type.Object(
  {
    latitude: Type.Number(),
    longitude: Type.Number(),
    elevation: Type.Number(),
    name: Type.Optional(Type.String()),
    source: Type.String({ description: "database, bundled or coordinates" }),
    utcOffsetHours: Type.Optional(Type.Number()),
    timeZone: Type.Optional(Type.String()),
  },
  closed,
);

const TelescopeSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    limits: Type.Object(
      {
        minAltitudeDeg: Type.Optional(Type.Number()),
        maxAirmass: Type.Optional(Type.Number()),
        hourAngleMinH: Type.Optional(Type.Number()),
        hourAngleMaxH: Type.Optional(Type.Number()),
        minDeclinationDeg: Type.Optional(Type.Number()),
        maxDeclinationDeg: Type.Optional(Type.Number()),
      },
      closed,
    ),
  },
  closed,
);

const Window = Type.Object({ start: IsoOrNull, end: IsoOrNull }, closed);
const MaybeNum = Type.Union([Type.Number(), Type.Null()]);

const TargetDocSchema = Type.Object(
  {
    name: Type.String(),
    ra: Type.Optional(Type.Number()),
    dec: Type.Optional(Type.Number()),
    body: Type.Optional(Type.String()),
    source: Type.String(),
    type: Type.String(),
    rise: IsoOrNull,
    transit: IsoOrNull,
    set: IsoOrNull,
    maxAltitude: Type.Number(),
    maxAltitudeTime: IsoOrNull,
    observableHours: Type.Number(),
    windows: Type.Array(Window),
    bestWindow: Type.Union([Window, Type.Null()]),
    moonSeparation: Type.Number({ description: "degrees, at the middle of the best window" }),
    series: Type.Optional(
      Type.Array(
        Type.Object(
          {
            time: IsoOrNull,
            altitude: Type.Number(),
            azimuth: Type.Number(),
            airmass: MaybeNum,
            airmassKastenYoung: MaybeNum,
            hourAngle: Type.Number(),
            moonSeparation: Type.Number(),
            observable: Type.Boolean(),
          },
          closed,
        ),
      ),
    ),
  },
  closed,
);

const EventsSchema = Type.Record(Type.String(), IsoOrNull);

export const PlanResponseSchema = Type.Object(
  {
    site: ResolvedSiteSchema,
    telescope: Type.Optional(TelescopeSchema),
    constraints: Type.Record(Type.String(), Type.Unknown(), {
      description: "the constraints applied (telescope limits merged)",
    }),
    night: Type.Object(
      {
        start: IsoOrNull,
        end: IsoOrNull,
        moonIllumination: Type.Number(),
        events: EventsSchema,
        series: Type.Array(
          Type.Object(
            {
              time: IsoOrNull,
              sunAltitude: Type.Number(),
              moonAltitude: Type.Number(),
              moonAzimuth: Type.Number(),
            },
            closed,
          ),
        ),
      },
      closed,
    ),
    targets: Type.Array(TargetDocSchema),
  },
  closed,
);

export const YearlyResponseSchema = Type.Object(
  {
    site: ResolvedSiteSchema,
    telescope: Type.Optional(TelescopeSchema),
    nights: Type.Array(Type.String({ description: "YYYY-MM-DD" })),
    starts: Type.Array(IsoOrNull, { description: "start of each night (local noon), UTC" }),
    darkHours: Type.Array(Type.Number(), { description: "hours of astronomical darkness each night" }),
    targets: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          hours: Type.Array(Type.Number()),
          monthly: Type.Array(Type.Object({ month: Type.String(), meanHours: Type.Number() }, closed)),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const ResolvedTargetSchema = Type.Object(
  {
    name: Type.String(),
    kind: Type.String({ description: "fixed, body (Sun, Moon, planets) or orbit (comet, asteroid)" }),
    ra: Type.Optional(Type.Number()),
    dec: Type.Optional(Type.Number()),
    pmRa: Type.Optional(Type.Number()),
    pmDec: Type.Optional(Type.Number()),
    aliases: Type.Array(Type.String()),
    source: Type.String(),
    type: Type.String(),
    magnitude: Type.Optional(Type.Number()),
    orbit: Type.Optional(
      Type.Object(
        {
          e: Type.Number({ description: "eccentricity" }),
          q: Type.Number({ description: "perihelion distance, AU" }),
          i: Type.Number({ description: "inclination, degrees (ecliptic J2000)" }),
          node: Type.Number({ description: "longitude of the ascending node, degrees" }),
          peri: Type.Number({ description: "argument of perihelion, degrees" }),
          perihelion: Type.String({ description: "time of perihelion (TDB), ISO 8601" }),
          epoch: Type.String({ description: "epoch of the osculating elements (TDB), ISO 8601" }),
        },
        { ...closed, description: "comets and asteroids: the two-body orbit used" },
      ),
    ),
  },
  closed,
);

export const UnknownTargetSchema = Type.Object(
  {
    code: Type.String({ examples: ["NOT_FOUND"] }),
    message: Type.String(),
    suggestions: Type.Array(Type.String()),
  },
  closed,
);

const ElementsInput = Type.Union(
  [
    Type.Object(
      {
        text: Type.String({
          minLength: 1,
          maxLength: 20_000_000,
          description: "TLE (2/3-line) or OMM (JSON, XML, CSV)",
        }),
      },
      closed,
    ),
    Type.Object(
      { url: Type.String({ minLength: 8, maxLength: 2000, description: "http(s) URL of TLE or OMM text" }) },
      closed,
    ),
    Type.Object(
      {
        catalogue: Type.Literal(true, {
          description: "the server's catalogue (newest set of each object nearest in time)",
        }),
      },
      closed,
    ),
  ],
  { description: "Element sets to check" },
);

export const SatcheckBodySchema = Type.Object(
  {
    site: SiteSchema,
    pointing: Type.Union([
      Type.Object(
        {
          ra: Type.Union([Num("degrees", { minimum: 0, maximum: 360 }), Type.String({ maxLength: 40 })]),
          dec: Type.Union([Num("degrees", { minimum: -90, maximum: 90 }), Type.String({ maxLength: 40 })]),
        },
        closed,
      ),
      Type.Object(
        {
          alt: Num("degrees", { minimum: -90, maximum: 90 }),
          az: Num("degrees", { minimum: 0, maximum: 360 }),
        },
        closed,
      ),
    ]),
    field: Type.Union([
      Type.Object({ radius: Num("degrees", { exclusiveMinimum: 0, exclusiveMaximum: 45 }) }, closed),
      Type.Object(
        {
          width: Num("degrees", { exclusiveMinimum: 0, exclusiveMaximum: 90 }),
          height: Num("degrees", { exclusiveMinimum: 0, exclusiveMaximum: 90 }),
          pa: Type.Optional(Num("position angle of the height side, east of north, degrees")),
        },
        closed,
      ),
    ]),
    start: Type.String({ maxLength: 40, description: "exposure start, ISO 8601 UTC" }),
    duration: Num("exposure length, seconds", { exclusiveMinimum: 0, maximum: 86400 }),
    elements: Type.Optional(ElementsInput),
    maxAgeDays: Type.Optional(
      Num("flag element sets older than this (default 3)", { minimum: 0, maximum: 3650 }),
    ),
    sunlitOnly: Type.Optional(Type.Boolean()),
    ut1MinusUtc: Type.Optional(Num("seconds", { minimum: -1, maximum: 1 })),
  },
  closed,
);

const TrackPointSchema = Type.Object(
  {
    time: Type.String({ description: "ISO 8601 UTC with milliseconds" }),
    ra: Type.Number(),
    dec: Type.Number(),
    alt: Type.Number(),
    az: Type.Number(),
    rangeKm: Type.Number(),
  },
  closed,
);

export const ProblemSchema = Type.Object(
  { line: Type.Number(), code: Type.String(), message: Type.String() },
  { additionalProperties: true },
);

export const SatcheckResponseSchema = Type.Object(
  {
    site: ResolvedSiteSchema,
    source: Type.String({ description: "text, url or catalogue" }),
    problems: Type.Array(ProblemSchema),
    stats: Type.Object(
      {
        objects: Type.Number(),
        propagationErrors: Type.Number(),
        afterGeometry: Type.Number(),
        coarseCalls: Type.Number(),
        fineCalls: Type.Number(),
        milliseconds: Type.Number(),
      },
      closed,
    ),
    crossings: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          satnum: Type.String(),
          entry: TrackPointSchema,
          exit: TrackPointSchema,
          inFieldAtStart: Type.Boolean(),
          inFieldAtEnd: Type.Boolean(),
          angularRate: Type.Number({ description: "degrees per second" }),
          rangeKm: Type.Number(),
          sunlit: Type.Boolean(),
          track: Type.Array(TrackPointSchema),
          elements: Type.Object(
            {
              line1: Type.Optional(Type.String()),
              line2: Type.Optional(Type.String()),
              epoch: Type.String(),
              ageDays: Type.Number({ description: "exposure mid-time minus epoch, days" }),
              stale: Type.Boolean({ description: "older than maxAgeDays" }),
            },
            closed,
          ),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const ElementsUploadSchema = Type.Union([
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000_000 }) }, closed),
  Type.Object({ url: Type.String({ minLength: 8, maxLength: 2000 }) }, closed),
]);

export const ElementsAddedSchema = Type.Object(
  {
    added: Type.Number({ description: "element sets read" }),
    objects: Type.Number({ description: "objects in the catalogue now" }),
    problems: Type.Array(ProblemSchema),
  },
  closed,
);

export const ElementHistorySchema = Type.Object(
  {
    satnum: Type.String(),
    name: Type.String(),
    history: Type.Array(
      Type.Object(
        { epoch: Iso, line1: Type.Optional(Type.String()), line2: Type.Optional(Type.String()) },
        closed,
      ),
    ),
  },
  closed,
);

export const CatalogueInfoSchema = Type.Object(
  {
    objects: Type.Number(),
    elementSets: Type.Number(),
    newestEpoch: IsoOrNull,
    oldestEpoch: IsoOrNull,
  },
  closed,
);

export const SiteChoicesSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          key: Type.String({ description: "what to send as `site`" }),
          source: Type.String({ description: "database (a portal site you can see) or bundled" }),
          latitude: Type.Number(),
          longitude: Type.Number(),
          elevation: Type.Number(),
        },
        closed,
      ),
    ),
  },
  closed,
);

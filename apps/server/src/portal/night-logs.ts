/**
 * Night logs: one night (local noon to noon) at one telescope, with observers, weather, notes,
 * timestamped entries, observation and calibration blocks, and the night rebuilt from its files.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte } from "drizzle-orm";
import { type Static, Type } from "typebox";
import {
  calibrations,
  dataFiles,
  type FrameType,
  nightLogEntries,
  nightLogs,
  observations,
  observingSites,
  telescopes,
} from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { type CrudParent, checkReference, crudRoutes, findOrgRow } from "./crud.js";
import { buildTimeline } from "./night-timeline.js";
import { requirePortal } from "./org-access.js";
import { closed, DateTime, FrameTypeSchema, Nullable, orgParamsWith, TextSchema, Uuid } from "./schemas.js";

const NightDate = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}$",
  description: "local date on which the night begins",
});
const Observers = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 });

export const NightLogSchema = Type.Object(
  {
    id: Uuid,
    telescopeId: Uuid,
    night: Type.String(),
    observers: Type.Array(Type.String()),
    weather: Type.String(),
    notes: Type.String(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  closed,
);
const NightLogCreate = Type.Object(
  {
    telescopeId: Uuid,
    night: NightDate,
    observers: Type.Optional(Observers),
    weather: Type.Optional(TextSchema),
    notes: Type.Optional(TextSchema),
  },
  closed,
);
const NightLogPatch = Type.Object(
  {
    observers: Type.Optional(Observers),
    weather: Type.Optional(TextSchema),
    notes: Type.Optional(TextSchema),
  },
  closed,
);

export function nightLogView(r: typeof nightLogs.$inferSelect) {
  return {
    id: r.id,
    telescopeId: r.telescopeId,
    night: r.night,
    observers: r.observers,
    weather: r.weather,
    notes: r.notes,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function checkNight(night: string): void {
  const d = new Date(`${night}T12:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== night)
    throw new ServerError("VALIDATION_FAILED", `night "${night}" is not a calendar date`);
}

const EntrySchema = Type.Object(
  {
    id: Uuid,
    nightLogId: Uuid,
    at: DateTime,
    authorUserId: Nullable(Uuid),
    text: Type.String(),
    createdAt: DateTime,
  },
  closed,
);
const EntryCreate = Type.Object(
  { at: Type.Optional(DateTime), text: Type.String({ minLength: 1, maxLength: 20_000 }) },
  closed,
);
const EntryPatch = Type.Partial(EntryCreate, closed);
const entryView = (r: typeof nightLogEntries.$inferSelect) => ({
  id: r.id,
  nightLogId: r.nightLogId,
  at: r.at.toISOString(),
  authorUserId: r.authorUserId,
  text: r.text,
  createdAt: r.createdAt.toISOString(),
});

const ObservationSchema = Type.Object(
  {
    id: Uuid,
    nightLogId: Uuid,
    targetName: Nullable(Type.String()),
    ra: Nullable(Type.Number()),
    dec: Nullable(Type.Number()),
    filter: Nullable(Type.String()),
    startAt: Nullable(DateTime),
    endAt: Nullable(DateTime),
    notes: Type.String(),
    createdAt: DateTime,
  },
  closed,
);
const ObservationCreate = Type.Object(
  {
    targetName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    ra: Type.Optional(Nullable(Type.Number({ minimum: 0, exclusiveMaximum: 360 }))),
    dec: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    filter: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    startAt: Type.Optional(Nullable(DateTime)),
    endAt: Type.Optional(Nullable(DateTime)),
    notes: Type.Optional(TextSchema),
  },
  closed,
);
const ObservationPatch = Type.Partial(ObservationCreate, closed);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const observationView = (r: typeof observations.$inferSelect) => ({
  id: r.id,
  nightLogId: r.nightLogId,
  targetName: r.targetName,
  ra: r.ra,
  dec: r.dec,
  filter: r.filter,
  startAt: iso(r.startAt),
  endAt: iso(r.endAt),
  notes: r.notes,
  createdAt: r.createdAt.toISOString(),
});

const CalibrationSchema = Type.Object(
  {
    id: Uuid,
    nightLogId: Uuid,
    kind: Type.String(),
    filter: Nullable(Type.String()),
    startAt: Nullable(DateTime),
    endAt: Nullable(DateTime),
    notes: Type.String(),
    createdAt: DateTime,
  },
  closed,
);
const CalibrationCreate = Type.Object(
  {
    kind: FrameTypeSchema,
    filter: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    startAt: Type.Optional(Nullable(DateTime)),
    endAt: Type.Optional(Nullable(DateTime)),
    notes: Type.Optional(TextSchema),
  },
  closed,
);
const CalibrationPatch = Type.Partial(CalibrationCreate, closed);
const calibrationView = (r: typeof calibrations.$inferSelect) => ({
  id: r.id,
  nightLogId: r.nightLogId,
  kind: r.kind,
  filter: r.filter,
  startAt: iso(r.startAt),
  endAt: iso(r.endAt),
  notes: r.notes,
  createdAt: r.createdAt.toISOString(),
});

/** Dates of a body as Date objects (columns are timestamptz). */
function withDates<T extends Record<string, unknown>>(
  body: T,
  keys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const k of keys) {
    const v = body[k];
    if (typeof v === "string") out[k] = new Date(v);
  }
  if (out.startAt instanceof Date && out.endAt instanceof Date && out.endAt < out.startAt)
    throw new ServerError("VALIDATION_FAILED", "endAt is before startAt");
  return out;
}

/** What the timeline reads of each file. */
const FRAME_COLUMNS = {
  id: dataFiles.id,
  dateObs: dataFiles.dateObs,
  exptime: dataFiles.exptime,
  frameType: dataFiles.frameType,
  object: dataFiles.object,
  filter: dataFiles.filter,
  instrument: dataFiles.instrument,
};

const TimelineBlockSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal("science"), Type.Literal("calibration"), Type.Literal("other")]),
    frameType: Type.String(),
    object: Nullable(Type.String()),
    filter: Nullable(Type.String()),
    instrument: Nullable(Type.String()),
    start: DateTime,
    end: DateTime,
    frames: Type.Integer(),
    exposureSeconds: Type.Number(),
    fileIds: Type.Array(Uuid),
  },
  closed,
);

export function nightLogRoutes(app: App, context: AppContext): void {
  const { db } = context;
  crudRoutes(app, context, {
    table: nightLogs,
    path: "night-logs",
    idParam: "nightLogId",
    noun: "nightLog",
    tag: "night logs",
    schema: NightLogSchema,
    create: NightLogCreate,
    patch: NightLogPatch,
    view: nightLogView,
    orderBy: [desc(nightLogs.night), asc(nightLogs.id)],
    listQuery: {
      schema: Type.Object(
        {
          from: Type.Optional(
            Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "first night (inclusive)" }),
          ),
          to: Type.Optional(
            Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "last night (inclusive)" }),
          ),
          telescopeId: Type.Optional(Uuid),
        },
        closed,
      ),
      where: (q) => [
        ...(typeof q.from === "string" ? [gte(nightLogs.night, q.from)] : []),
        ...(typeof q.to === "string" ? [lte(nightLogs.night, q.to)] : []),
        ...(typeof q.telescopeId === "string" ? [eq(nightLogs.telescopeId, q.telescopeId)] : []),
      ],
    },
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    async toInsert(body: Static<typeof NightLogCreate>, access) {
      checkNight(body.night);
      await checkReference(db, telescopes, access.org.id, body.telescopeId, "telescope");
      return { ...body };
    },
    async toUpdate(body: Static<typeof NightLogPatch>) {
      return { ...body, updatedAt: new Date() };
    },
    conflict: (body) =>
      `the telescope already has a night log for ${"night" in body ? body.night : "that night"}`,
  });

  const parent: Omit<CrudParent, "column" | "property"> = {
    table: nightLogs,
    path: "night-logs",
    idParam: "nightLogId",
    noun: "night log",
  };
  crudRoutes(app, context, {
    table: nightLogEntries,
    parent: { ...parent, column: nightLogEntries.nightLogId, property: "nightLogId" },
    path: "entries",
    idParam: "entryId",
    noun: "entry",
    tag: "night logs",
    schema: EntrySchema,
    create: EntryCreate,
    patch: EntryPatch,
    view: entryView,
    orderBy: [asc(nightLogEntries.at), asc(nightLogEntries.id)],
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    async toInsert(body: Static<typeof EntryCreate>, access) {
      return {
        text: body.text,
        at: body.at === undefined ? new Date() : new Date(body.at),
        authorUserId: access.user?.id ?? null,
      };
    },
    async toUpdate(body: Static<typeof EntryPatch>) {
      return withDates(body, ["at"]);
    },
    conflict: () => "entry conflict",
  });
  crudRoutes(app, context, {
    table: observations,
    parent: { ...parent, column: observations.nightLogId, property: "nightLogId" },
    path: "observations",
    idParam: "observationId",
    noun: "observation",
    tag: "night logs",
    schema: ObservationSchema,
    create: ObservationCreate,
    patch: ObservationPatch,
    view: observationView,
    orderBy: [asc(observations.startAt), asc(observations.id)],
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    toInsert: async (body: Static<typeof ObservationCreate>) => withDates(body, ["startAt", "endAt"]),
    toUpdate: async (body: Static<typeof ObservationPatch>) => withDates(body, ["startAt", "endAt"]),
    conflict: () => "observation conflict",
  });
  crudRoutes(app, context, {
    table: calibrations,
    parent: { ...parent, column: calibrations.nightLogId, property: "nightLogId" },
    path: "calibrations",
    idParam: "calibrationId",
    noun: "calibration",
    tag: "night logs",
    schema: CalibrationSchema,
    create: CalibrationCreate,
    patch: CalibrationPatch,
    view: calibrationView,
    orderBy: [asc(calibrations.startAt), asc(calibrations.id)],
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    toInsert: async (body: Static<typeof CalibrationCreate>) => withDates(body, ["startAt", "endAt"]),
    toUpdate: async (body: Static<typeof CalibrationPatch>) => withDates(body, ["startAt", "endAt"]),
    conflict: () => "calibration conflict",
  });

  app.get(
    "/:org/night-logs/:nightLogId/timeline",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["night logs"],
        summary:
          "The night rebuilt from its files (blocks of targets and calibrations, filters, gaps) beside the log's entries",
        params: orgParamsWith("nightLogId"),
        querystring: Type.Object(
          {
            gapSeconds: Type.Optional(
              Type.Number({
                minimum: 1,
                maximum: 86_400,
                default: 300,
                description: "smallest pause reported as a gap",
              }),
            ),
          },
          closed,
        ),
        response: {
          200: Type.Object(
            {
              nightLog: NightLogSchema,
              telescope: Type.Object({ id: Uuid, name: Type.String() }, closed),
              site: Nullable(Type.Object({ id: Uuid, name: Type.String(), timeZone: Type.String() }, closed)),
              start: Nullable(DateTime),
              end: Nullable(DateTime),
              blocks: Type.Array(TimelineBlockSchema),
              gaps: Type.Array(
                Type.Object({ start: DateTime, end: DateTime, seconds: Type.Number() }, closed),
              ),
              targets: Type.Array(
                Type.Object(
                  {
                    object: Type.String(),
                    frames: Type.Integer(),
                    exposureSeconds: Type.Number(),
                    filters: Type.Array(Type.String()),
                  },
                  closed,
                ),
              ),
              filters: Type.Array(Type.String()),
              calibrations: Type.Record(Type.String(), Type.Integer()),
              scienceSeconds: Type.Number(),
              undated: Type.Integer(),
              entries: Type.Array(EntrySchema),
              observations: Type.Array(ObservationSchema),
              declaredCalibrations: Type.Array(CalibrationSchema),
            },
            closed,
          ),
          ...errorResponses,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const log = await findOrgRow(db, nightLogs, org.id, request.params.nightLogId, "night log");
      const [frames, entries, obs, cals, scopeRows] = await Promise.all([
        db
          .select(FRAME_COLUMNS)
          .from(dataFiles)
          .where(and(eq(dataFiles.orgId, org.id), eq(dataFiles.nightLogId, log.id)))
          .orderBy(asc(dataFiles.dateObs), asc(dataFiles.id)),
        db
          .select()
          .from(nightLogEntries)
          .where(eq(nightLogEntries.nightLogId, log.id))
          .orderBy(asc(nightLogEntries.at), asc(nightLogEntries.id)),
        db
          .select()
          .from(observations)
          .where(eq(observations.nightLogId, log.id))
          .orderBy(asc(observations.startAt)),
        db
          .select()
          .from(calibrations)
          .where(eq(calibrations.nightLogId, log.id))
          .orderBy(asc(calibrations.startAt)),
        db
          .select({ telescope: telescopes, site: observingSites })
          .from(telescopes)
          .leftJoin(observingSites, eq(observingSites.id, telescopes.siteId))
          .where(eq(telescopes.id, log.telescopeId)),
      ]);
      const timeline = buildTimeline(frames, request.query.gapSeconds ?? 300);
      const scope = scopeRows[0]!;
      return {
        nightLog: nightLogView(log),
        telescope: { id: scope.telescope.id, name: scope.telescope.name },
        site:
          scope.site === null
            ? null
            : { id: scope.site.id, name: scope.site.name, timeZone: scope.site.timeZone },
        ...timeline,
        entries: entries.map(entryView),
        observations: obs.map(observationView),
        declaredCalibrations: cals.map(calibrationView),
      };
    },
  );
}

/** Routes tying files to observation and calibration blocks, by hand or rebuilt from the files. */
export function nightLogFileRoutes(app: App, context: AppContext): void {
  const { db } = context;
  for (const kind of ["observations", "calibrations"] as const) {
    const table = kind === "observations" ? observations : calibrations;
    const column = kind === "observations" ? dataFiles.observationId : dataFiles.calibrationId;
    const param = kind === "observations" ? "observationId" : "calibrationId";
    const noun = kind === "observations" ? "observation" : "calibration";
    app.put(
      `/:org/night-logs/:nightLogId/${kind}/:${param}/files`,
      {
        config: { policy: orgPolicy("member") },
        schema: {
          tags: ["night logs"],
          summary: `Set the files of a${noun === "observation" ? "n" : ""} ${noun} (they join the night log too)`,
          params: orgParamsWith("nightLogId", param),
          body: Type.Object({ fileIds: Type.Array(Uuid, { maxItems: 10_000, uniqueItems: true }) }, closed),
          response: {
            200: Type.Object({ count: Type.Integer() }, closed),
            ...errorResponses,
            404: ErrorSchema,
          },
        },
      },
      async (request) => {
        const { org } = requirePortal(request);
        const params = request.params as Record<string, string>;
        const log = await findOrgRow(db, nightLogs, org.id, params.nightLogId!, "night log");
        const block = await findOrgRow(db, table, org.id, params[param]!, noun);
        if (block.nightLogId !== log.id)
          throw new ServerError("NOT_FOUND", `no ${noun} with id "${block.id}" in this night log`);
        const ids = request.body.fileIds;
        const count = await db.transaction(async (tx) => {
          await tx
            .update(dataFiles)
            .set({ [kind === "observations" ? "observationId" : "calibrationId"]: null })
            .where(and(eq(dataFiles.orgId, org.id), eq(column, block.id)));
          if (ids.length === 0) return 0;
          const updated = await tx
            .update(dataFiles)
            .set({
              [kind === "observations" ? "observationId" : "calibrationId"]: block.id,
              nightLogId: log.id,
            })
            .where(and(eq(dataFiles.orgId, org.id), inArray(dataFiles.id, ids)))
            .returning({ id: dataFiles.id });
          if (updated.length !== ids.length) {
            const known = new Set(updated.map((u) => u.id));
            throw new ServerError(
              "BAD_REQUEST",
              `no file with id "${ids.find((i) => !known.has(i))}" in this portal`,
            );
          }
          return updated.length;
        });
        await recordPortalAudit(db, request, {
          action: `${noun}.files_set`,
          target: block.id,
          details: { count },
        });
        return { count };
      },
    );
  }

  app.post(
    "/:org/night-logs/:nightLogId/reconstruct",
    {
      config: { policy: orgPolicy("member") },
      schema: {
        tags: ["night logs"],
        summary: "Turn the rebuilt timeline into observation and calibration blocks with their files",
        description:
          "Files of the night not yet in an observation or calibration are grouped as in the timeline; each science block becomes an observation (object, filter, times, position of its first file) and each calibration block a calibration, with the files attached. Running it again adds nothing for files already attached.",
        params: orgParamsWith("nightLogId"),
        body: Type.Object(
          { gapSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 86_400, default: 300 })) },
          closed,
        ),
        response: {
          200: Type.Object(
            { observations: Type.Integer(), calibrations: Type.Integer(), files: Type.Integer() },
            closed,
          ),
          ...errorResponses,
          404: ErrorSchema,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const log = await findOrgRow(db, nightLogs, org.id, request.params.nightLogId, "night log");
      const files = await db
        .select({ ...FRAME_COLUMNS, ra: dataFiles.ra, dec: dataFiles.dec })
        .from(dataFiles)
        .where(
          and(
            eq(dataFiles.orgId, org.id),
            eq(dataFiles.nightLogId, log.id),
            isNull(dataFiles.observationId),
            isNull(dataFiles.calibrationId),
          ),
        );
      const byId = new Map(files.map((f) => [f.id, f]));
      const timeline = buildTimeline(files, request.body?.gapSeconds ?? 300);
      const made = await db.transaction(async (tx) => {
        let obs = 0;
        let cals = 0;
        let attached = 0;
        for (const block of timeline.blocks) {
          if (block.kind === "other") continue;
          const first = byId.get(block.fileIds[0]!)!;
          const times = { startAt: new Date(block.start), endAt: new Date(block.end) };
          if (block.kind === "science") {
            const [row] = await tx
              .insert(observations)
              .values({
                orgId: org.id,
                nightLogId: log.id,
                targetName: block.object,
                ra: first.ra,
                dec: first.dec,
                filter: block.filter,
                ...times,
                notes: `rebuilt from ${block.frames} files`,
              })
              .returning({ id: observations.id });
            await tx
              .update(dataFiles)
              .set({ observationId: row!.id })
              .where(inArray(dataFiles.id, block.fileIds));
            obs++;
          } else {
            const [row] = await tx
              .insert(calibrations)
              .values({
                orgId: org.id,
                nightLogId: log.id,
                kind: block.frameType as FrameType,
                filter: block.filter,
                ...times,
                notes: `rebuilt from ${block.frames} files`,
              })
              .returning({ id: calibrations.id });
            await tx
              .update(dataFiles)
              .set({ calibrationId: row!.id })
              .where(inArray(dataFiles.id, block.fileIds));
            cals++;
          }
          attached += block.fileIds.length;
        }
        return { observations: obs, calibrations: cals, files: attached };
      });
      await recordPortalAudit(db, request, {
        action: "nightLog.reconstructed",
        target: log.id,
        details: made,
      });
      return made;
    },
  );
}

/**
 * Data files: search (the query language of docs/portal.md), one file, the headers of every HDU,
 * delete; and the dataset search (datasets holding matching files). Files are created by uploads.
 */
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { type Static, Type } from "typebox";
import { dataFiles, organisations } from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { findOrgRow } from "./crud.js";
import { DatasetSchema, datasetView } from "./datasets.js";
import { requirePortal } from "./org-access.js";
import { closed, DateTime, Nullable, OrgParams, orgParamsWith, Uuid } from "./schemas.js";
import {
  type DataFileRow,
  FILE_SORTS,
  type FileQuery,
  searchDatasets,
  searchFiles,
} from "./search/file-search.js";
import { fileThumbnail } from "./thumbnail.js";

export const DataFileSchema = Type.Object(
  {
    id: Uuid,
    datasetId: Uuid,
    name: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    format: Type.String(),
    object: Nullable(Type.String()),
    ra: Nullable(Type.Number()),
    dec: Nullable(Type.Number()),
    healpix29: Nullable(Type.String({ description: "NESTED order-29 HEALPix index of (ra, dec), decimal" })),
    footprint: Nullable(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
    radiusDeg: Nullable(Type.Number()),
    dateObs: Nullable(DateTime),
    exptime: Nullable(Type.Number()),
    filter: Nullable(Type.String()),
    instrument: Nullable(Type.String()),
    telescope: Nullable(Type.String()),
    imageType: Nullable(Type.String()),
    frameType: Nullable(Type.String()),
    airmass: Nullable(Type.Number()),
    nightLogId: Nullable(Uuid),
    observationId: Nullable(Uuid),
    calibrationId: Nullable(Uuid),
    warnings: Type.Array(Type.String()),
    uploadedBy: Nullable(Uuid),
    createdAt: DateTime,
    distanceDeg: Type.Optional(
      Nullable(
        Type.Number({ description: "in a cone search: the centre's distance from the cone centre, degrees" }),
      ),
    ),
  },
  closed,
);

export function dataFileView(r: DataFileRow) {
  return {
    id: r.id,
    datasetId: r.datasetId,
    name: r.name,
    size: r.size,
    sha256: r.sha256,
    format: r.format,
    object: r.object,
    ra: r.ra,
    dec: r.dec,
    healpix29: r.healpix29 === null ? null : r.healpix29.toString(),
    footprint: r.footprint,
    radiusDeg: r.radiusDeg,
    dateObs: r.dateObs?.toISOString() ?? null,
    exptime: r.exptime,
    filter: r.filter,
    instrument: r.instrument,
    telescope: r.telescope,
    imageType: r.imageType,
    frameType: r.frameType,
    airmass: r.airmass,
    nightLogId: r.nightLogId,
    observationId: r.observationId,
    calibrationId: r.calibrationId,
    warnings: r.warnings,
    uploadedBy: r.uploadedBy,
    createdAt: r.createdAt.toISOString(),
  };
}

const Str = (maxLength: number, description: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength, description }));

/** Search parameters shared by the file and dataset searches (and package creation from a search). */
export const searchProperties = {
  object: Str(200, "object name, any case; * matches any characters"),
  ra: Type.Optional(Type.Number({ description: "cone centre RA, degrees (ICRS)" })),
  dec: Type.Optional(Type.Number({ description: "cone centre Dec, degrees" })),
  radius: Type.Optional(Type.Number({ description: "cone radius, degrees" })),
  from: Str(40, "DATE-OBS at or after (ISO 8601 date or date-time, UTC)"),
  to: Str(40, "DATE-OBS before (ISO 8601)"),
  filter: Str(64, "FILTER, any case"),
  exptimeMin: Type.Optional(Type.Number({ minimum: 0, description: "seconds" })),
  exptimeMax: Type.Optional(Type.Number({ minimum: 0, description: "seconds" })),
  instrument: Str(200, "INSTRUME, any case"),
  telescope: Str(200, "TELESCOP, any case"),
  frameType: Type.Optional(
    Type.String({
      pattern: "^(light|bias|dark|flat|arc|other)(,(light|bias|dark|flat|arc|other))*$",
      description: "comma-separated",
    }),
  ),
  dataset: Type.Optional(Uuid),
  nightLog: Type.Optional(Uuid),
  header: Type.Optional(
    Type.Union(
      [Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })],
      {
        description: "header condition, repeatable: KEY=value, KEY!=value, KEY>n, KEY>=n, KEY<n, KEY<=n",
      },
    ),
  ),
};

/** The search fields alone, as a closed object (for bodies that carry a search). */
export const FileSearchFilter = Type.Object(searchProperties, closed);

const FileSearchQuery = Type.Object(
  {
    ...searchProperties,
    sort: Type.Optional(Type.Union(FILE_SORTS.map((s) => Type.Literal(s)))),
    order: Type.Optional(Type.Union([Type.Literal("asc"), Type.Literal("desc")])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 2000, description: "nextCursor of the previous page" })),
  },
  closed,
);

const DatasetSearchQuery = Type.Object(
  {
    ...searchProperties,
    name: Str(200, "dataset name or tag, any case; * matches any characters"),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  closed,
);

/** The parsed search of a query string. */
export function toFileQuery(q: Partial<Static<typeof FileSearchFilter>>): FileQuery {
  const coneParts = [q.ra, q.dec, q.radius].filter((v) => v !== undefined).length;
  if (coneParts !== 0 && coneParts !== 3)
    throw new ServerError("BAD_REQUEST", "a cone needs ra, dec and radius together");
  const header = q.header === undefined ? undefined : Array.isArray(q.header) ? q.header : [q.header];
  return {
    ...(q.object === undefined ? {} : { object: q.object }),
    ...(coneParts === 3 ? { cone: { ra: q.ra!, dec: q.dec!, radius: q.radius! } } : {}),
    ...(q.from === undefined ? {} : { from: q.from }),
    ...(q.to === undefined ? {} : { to: q.to }),
    ...(q.filter === undefined ? {} : { filter: q.filter }),
    ...(q.exptimeMin === undefined ? {} : { exptimeMin: q.exptimeMin }),
    ...(q.exptimeMax === undefined ? {} : { exptimeMax: q.exptimeMax }),
    ...(q.instrument === undefined ? {} : { instrument: q.instrument }),
    ...(q.telescope === undefined ? {} : { telescope: q.telescope }),
    ...(q.frameType === undefined
      ? {}
      : { frameTypes: q.frameType.split(",") as FileQuery["frameTypes"] & string[] }),
    ...(q.dataset === undefined ? {} : { datasetId: q.dataset }),
    ...(q.nightLog === undefined ? {} : { nightLogId: q.nightLog }),
    ...(header === undefined ? {} : { header }),
  };
}

export function fileRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.get(
    "/:org/files",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["files"],
        summary:
          "Search the portal's data files; sorted (also by distance from a cone's centre), paged with a cursor",
        description:
          "Every parameter is optional and they combine with AND. A cone matches files whose footprint touches it (HEALPix index, then the footprint circle, then the footprint polygon). Pages: pass `nextCursor` back as `cursor` until it is null.",
        params: OrgParams,
        querystring: FileSearchQuery,
        response: {
          200: Type.Object(
            { items: Type.Array(DataFileSchema), nextCursor: Nullable(Type.String()) },
            closed,
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const q = request.query;
      const result = await searchFiles(db, org.id, toFileQuery(q), {
        ...(q.sort === undefined ? {} : { sort: q.sort }),
        ...(q.order === undefined ? {} : { order: q.order }),
        limit: q.limit ?? 100,
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
      return {
        items: result.items.map((f) => ({ ...dataFileView(f), distanceDeg: f.distanceDeg })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.get(
    "/:org/datasets/search",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["datasets"],
        summary: "Datasets holding files that match a file search, with how many match; by name",
        params: OrgParams,
        querystring: DatasetSearchQuery,
        response: {
          200: Type.Object(
            {
              items: Type.Array(
                Type.Object({ dataset: DatasetSchema, matchingFiles: Type.Integer() }, closed),
              ),
            },
            closed,
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const q = request.query;
      const hits = await searchDatasets(
        db,
        org.id,
        { ...toFileQuery(q), ...(q.name === undefined ? {} : { name: q.name }) },
        { limit: q.limit ?? 100, offset: q.offset ?? 0 },
      );
      return {
        items: hits.map((h) => ({ dataset: datasetView(h.dataset), matchingFiles: h.matchingFiles })),
      };
    },
  );

  app.get(
    "/:org/files/:fileId",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["files"],
        summary: "One data file's metadata",
        params: orgParamsWith("fileId"),
        response: { 200: Type.Object({ file: DataFileSchema }, closed), ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      return { file: dataFileView(await findOrgRow(db, dataFiles, org.id, request.params.fileId, "file")) };
    },
  );

  app.get(
    "/:org/files/:fileId/headers",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["files"],
        summary: "The header of every HDU of a FITS file, in file order",
        params: orgParamsWith("fileId"),
        response: {
          200: Type.Object(
            {
              fileId: Uuid,
              name: Type.String(),
              headers: Type.Array(
                Type.Object(
                  {
                    index: Type.Integer(),
                    type: Type.String(),
                    cards: Type.Record(
                      Type.String(),
                      Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
                    ),
                  },
                  closed,
                ),
              ),
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
      const [row] = await db
        .select({ id: dataFiles.id, name: dataFiles.name, headers: dataFiles.headers })
        .from(dataFiles)
        .where(and(eq(dataFiles.orgId, org.id), eq(dataFiles.id, request.params.fileId)));
      if (row === undefined) throw new ServerError("NOT_FOUND", `no file with id "${request.params.fileId}"`);
      return { fileId: row.id, name: row.name, headers: row.headers };
    },
  );

  app.get(
    "/:org/files/:fileId/thumbnail",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["files"],
        summary: "A PNG thumbnail of a file's first image (FITS: zscale, asinh, grey; PNG files shrunk)",
        params: orgParamsWith("fileId"),
        querystring: Type.Object(
          {
            size: Type.Optional(
              Type.Integer({ minimum: 16, maximum: 1024, default: 256, description: "longer side, pixels" }),
            ),
          },
          closed,
        ),
        response: {
          200: Type.Unknown({ description: "image/png" }),
          ...errorResponses,
          404: ErrorSchema,
          503: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { org } = requirePortal(request);
      if (context.storage === null)
        throw new ServerError("SERVICE_UNAVAILABLE", "this server has no file storage");
      const file = await findOrgRow(db, dataFiles, org.id, request.params.fileId, "file");
      const size = request.query.size ?? 256;
      const png = await fileThumbnail(context.storage, join(context.config.home, "cache"), file, size);
      return reply
        .type("image/png")
        .header("cache-control", "private, max-age=86400")
        .header("etag", `"${file.sha256.slice(0, 32)}-${size}"`)
        .send(Buffer.from(png));
    },
  );

  app.delete(
    "/:org/files/:fileId",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["files"],
        summary: "Delete a data file (admins); refused while a data package holds it",
        params: orgParamsWith("fileId"),
        response: { 204: Type.Null(), ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { org } = requirePortal(request);
      const file = await findOrgRow(db, dataFiles, org.id, request.params.fileId, "file");
      let blobStillUsed = false;
      try {
        await db.transaction(async (tx) => {
          await tx.delete(dataFiles).where(eq(dataFiles.id, file.id));
          await tx
            .update(organisations)
            .set({ usedBytes: sql`greatest(0, ${organisations.usedBytes} - ${file.size})` })
            .where(eq(organisations.id, org.id));
          const [other] = await tx
            .select({ id: dataFiles.id })
            .from(dataFiles)
            .where(eq(dataFiles.storageKey, file.storageKey))
            .limit(1);
          blobStillUsed = other !== undefined;
        });
      } catch (err) {
        if (isForeignKeyViolation(err))
          throw new ServerError("CONFLICT", `file "${file.name}" is in a data package; it cannot be deleted`);
        throw err;
      }
      // The row is gone first: a crash here leaves an orphan blob (swept by storage cleanup), never a row without bytes.
      if (!blobStillUsed && context.storage !== null) await context.storage.delete(file.storageKey);
      await recordPortalAudit(db, request, {
        action: "file.deleted",
        target: file.id,
        details: { name: file.name, sha256: file.sha256, size: file.size },
      });
      return reply.status(204).send(null);
    },
  );
}

function isForeignKeyViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === "23503") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

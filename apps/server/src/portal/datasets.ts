/** Datasets of a portal: named collections of data files (members create them, admins delete them). */
import { and, eq, sql } from "drizzle-orm";
import { type Static, Type } from "typebox";
import { dataFiles, datasets, telescopes } from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { checkReference, crudRoutes } from "./crud.js";
import { closed, DateTime, NameSchema, Nullable, TextSchema, Uuid } from "./schemas.js";

export const DatasetSchema = Type.Object(
  {
    id: Uuid,
    telescopeId: Nullable(Uuid),
    name: Type.String(),
    description: Type.String(),
    tags: Type.Array(Type.String()),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
  },
  closed,
);

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100, uniqueItems: true });
const DatasetCreate = Type.Object(
  {
    name: NameSchema,
    telescopeId: Type.Optional(Nullable(Uuid)),
    description: Type.Optional(TextSchema),
    tags: Type.Optional(Tags),
  },
  closed,
);
const DatasetPatch = Type.Partial(DatasetCreate, closed);

export function datasetView(r: typeof datasets.$inferSelect) {
  return {
    id: r.id,
    telescopeId: r.telescopeId,
    name: r.name,
    description: r.description,
    tags: r.tags,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  };
}

export function datasetRoutes(app: App, context: AppContext): void {
  const { db } = context;
  crudRoutes(app, context, {
    table: datasets,
    path: "datasets",
    idParam: "datasetId",
    noun: "dataset",
    tag: "datasets",
    schema: DatasetSchema,
    create: DatasetCreate,
    patch: DatasetPatch,
    view: datasetView,
    read: orgPolicy("observer"),
    write: orgPolicy("member"),
    remove: orgPolicy("admin"),
    async toInsert(body: Static<typeof DatasetCreate>, access) {
      await checkReference(db, telescopes, access.org.id, body.telescopeId, "telescope");
      return { ...body, createdBy: access.user?.id ?? null };
    },
    async toUpdate(body: Static<typeof DatasetPatch>, access) {
      await checkReference(db, telescopes, access.org.id, body.telescopeId, "telescope");
      return { ...body };
    },
    // Files have blobs in storage: delete them one by one (DELETE .../files/:fileId) first.
    async beforeDelete(row) {
      const [n] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(dataFiles)
        .where(and(eq(dataFiles.orgId, row.orgId), eq(dataFiles.datasetId, row.id)));
      if ((n?.n ?? 0) > 0)
        throw new ServerError(
          "CONFLICT",
          `dataset "${row.name}" still holds ${n!.n} files; delete them first`,
        );
    },
    conflict: (body) => `a dataset named "${body.name}" exists in this portal`,
  });
}

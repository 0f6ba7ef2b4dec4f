/**
 * Data package routes: list, create (from file ids), add files, freeze, share (visibility and
 * embargo), delete, and download as one streamed tar. Anonymous visitors of a public portal see and
 * download public packages once their embargo has passed.
 */
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { type Static, Type } from "typebox";
import { dataPackages } from "../../db/portal-schema.js";
import { ServerError } from "../../errors.js";
import type { App } from "../../http/app-type.js";
import type { AppContext } from "../../http/context.js";
import { orgPolicy } from "../../http/policy.js";
import { recordPortalAudit } from "../audit.js";
import { FileSearchFilter, toFileQuery } from "../files.js";
import { requirePortal, requirePortalUser } from "../org-access.js";
import {
  closed,
  DateTime,
  NameSchema,
  Nullable,
  OrgParams,
  orgParamsWith,
  TextSchema,
  Uuid,
} from "../schemas.js";
import { searchFiles } from "../search/file-search.js";
import { packageArchive } from "./package-archive.js";
import {
  addPackageFiles,
  checkVisibility,
  findPackage,
  freezePackage,
  listPackages,
  MAX_PACKAGE_FILES,
  type PackageRow,
  packageEntries,
  requireEditor,
} from "./package-store.js";

const VisibilitySchema = Type.Union([
  Type.Literal("private"),
  Type.Literal("organisation"),
  Type.Literal("public"),
]);
const Authors = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 });
const Licence = Type.String({ minLength: 1, maxLength: 100 });
const FileIds = Type.Array(Uuid, { maxItems: MAX_PACKAGE_FILES });

/** Ids of every file matching `search`, page by page (at most MAX_PACKAGE_FILES). */
async function searchIds(
  db: AppContext["db"],
  orgId: string,
  search: Static<typeof FileSearchFilter>,
): Promise<string[]> {
  const query = toFileQuery(search);
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await searchFiles(db, orgId, query, {
      sort: "name",
      limit: 1000,
      ...(cursor === null ? {} : { cursor }),
    });
    ids.push(...page.items.map((f) => f.id));
    if (ids.length > MAX_PACKAGE_FILES)
      throw new ServerError("BAD_REQUEST", `the search matches more than ${MAX_PACKAGE_FILES} files`);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

export const PackageSchema = Type.Object(
  {
    id: Uuid,
    title: Type.String(),
    description: Type.String(),
    authors: Type.Array(Type.String()),
    licence: Type.String(),
    visibility: VisibilitySchema,
    embargoUntil: Nullable(DateTime),
    frozenAt: Nullable(DateTime),
    manifestSha256: Nullable(Type.String()),
    createdBy: Nullable(Uuid),
    createdAt: DateTime,
  },
  closed,
);
type PackageView = Static<typeof PackageSchema>;

const PackageFileSchema = Type.Object(
  { fileId: Uuid, name: Type.String(), size: Type.Integer(), sha256: Type.String() },
  closed,
);

function view(p: PackageRow): PackageView {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    authors: p.authors,
    licence: p.licence,
    visibility: p.visibility,
    embargoUntil: p.embargoUntil?.toISOString() ?? null,
    frozenAt: p.frozenAt?.toISOString() ?? null,
    manifestSha256: p.manifestSha256,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
  };
}

const PackageParams = orgParamsWith("packageId");
const READ = orgPolicy("observer", { anonymous: "public-portal" });
const WRITE = orgPolicy("member");

/** The package routes (registered under /api/portals). */
export function packageRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.get(
    "/:org/packages",
    {
      config: { policy: READ },
      schema: {
        tags: ["packages"],
        summary: "Data packages you may see",
        params: OrgParams,
        response: { 200: Type.Object({ packages: Type.Array(PackageSchema) }, closed) },
      },
    },
    async (request) => {
      const { org, role, user } = requirePortal(request);
      return { packages: (await listPackages(db, org.id, { role, userId: user?.id ?? null })).map(view) };
    },
  );

  app.post(
    "/:org/packages",
    {
      config: { policy: WRITE },
      schema: {
        tags: ["packages"],
        summary: "Create a data package (optionally with files: by id and/or every file a search finds)",
        params: OrgParams,
        body: Type.Object(
          {
            title: NameSchema,
            description: Type.Optional(TextSchema),
            authors: Type.Optional(Authors),
            licence: Type.Optional(Licence),
            fileIds: Type.Optional(FileIds),
            search: Type.Optional(FileSearchFilter),
          },
          closed,
        ),
        response: { 201: Type.Object({ package: PackageSchema, files: Type.Integer() }, closed) },
      },
    },
    async (request, reply) => {
      const { org, user } = requirePortalUser(request);
      const b = request.body;
      const fileIds = [
        ...(b.fileIds ?? []),
        ...(b.search === undefined ? [] : await searchIds(db, org.id, b.search)),
      ];
      const created = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(dataPackages)
          .values({
            orgId: org.id,
            title: b.title,
            description: b.description ?? "",
            authors: b.authors ?? [],
            ...(b.licence === undefined ? {} : { licence: b.licence }),
            createdBy: user.id,
          })
          .returning();
        const pkg = row as PackageRow;
        const files = fileIds.length === 0 ? 0 : await addPackageFiles(tx as typeof db, pkg, fileIds);
        return { pkg, files };
      });
      await recordPortalAudit(db, request, {
        action: "package.created",
        target: created.pkg.id,
        details: { title: b.title, files: created.files },
      });
      return reply.code(201).send({ package: view(created.pkg), files: created.files });
    },
  );

  app.get(
    "/:org/packages/:packageId",
    {
      config: { policy: READ },
      schema: {
        tags: ["packages"],
        summary: "A data package and its files",
        params: PackageParams,
        response: {
          200: Type.Object({ package: PackageSchema, files: Type.Array(PackageFileSchema) }, closed),
        },
      },
    },
    async (request) => {
      const { org, role, user } = requirePortal(request);
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user?.id ?? null });
      return { package: view(pkg), files: await packageEntries(db, pkg.id) };
    },
  );

  app.patch(
    "/:org/packages/:packageId",
    {
      config: { policy: WRITE },
      schema: {
        tags: ["packages"],
        summary: "Edit or share a data package (visibility, embargo)",
        description:
          "Public visibility needs a frozen package; anonymous visitors see it from `embargoUntil` on.",
        params: PackageParams,
        body: Type.Object(
          {
            title: Type.Optional(NameSchema),
            description: Type.Optional(TextSchema),
            authors: Type.Optional(Authors),
            licence: Type.Optional(Licence),
            visibility: Type.Optional(VisibilitySchema),
            embargoUntil: Type.Optional(Nullable(DateTime)),
          },
          closed,
        ),
        response: { 200: Type.Object({ package: PackageSchema }, closed) },
      },
    },
    async (request) => {
      const { org, role, user } = requirePortalUser(request);
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user.id });
      requireEditor(pkg, role, user.id);
      const b = request.body;
      checkVisibility(pkg, b.visibility);
      if (
        b.embargoUntil !== undefined &&
        b.embargoUntil !== null &&
        Number.isNaN(Date.parse(b.embargoUntil))
      ) {
        throw new ServerError("BAD_REQUEST", `embargoUntil "${b.embargoUntil}" is not a date-time`);
      }
      const [row] = await db
        .update(dataPackages)
        .set({
          ...(b.title === undefined ? {} : { title: b.title }),
          ...(b.description === undefined ? {} : { description: b.description }),
          ...(b.authors === undefined ? {} : { authors: b.authors }),
          ...(b.licence === undefined ? {} : { licence: b.licence }),
          ...(b.visibility === undefined ? {} : { visibility: b.visibility }),
          ...(b.embargoUntil === undefined
            ? {}
            : { embargoUntil: b.embargoUntil === null ? null : new Date(b.embargoUntil) }),
        })
        .where(eq(dataPackages.id, pkg.id))
        .returning();
      await recordPortalAudit(db, request, { action: "package.updated", target: pkg.id, details: { ...b } });
      return { package: view(row as PackageRow) };
    },
  );

  app.delete(
    "/:org/packages/:packageId",
    {
      config: { policy: WRITE },
      schema: { tags: ["packages"], summary: "Delete a data package (not its files)", params: PackageParams },
    },
    async (request, reply) => {
      const { org, role, user } = requirePortalUser(request);
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user.id });
      requireEditor(pkg, role, user.id);
      await db.delete(dataPackages).where(eq(dataPackages.id, pkg.id));
      await recordPortalAudit(db, request, {
        action: "package.deleted",
        target: pkg.id,
        details: { title: pkg.title },
      });
      return reply.code(204).send();
    },
  );

  app.post(
    "/:org/packages/:packageId/files",
    {
      config: { policy: WRITE },
      schema: {
        tags: ["packages"],
        summary: "Add files to an unfrozen package",
        params: PackageParams,
        body: Type.Object({ fileIds: FileIds }, closed),
        response: { 200: Type.Object({ added: Type.Integer() }, closed) },
      },
    },
    async (request) => {
      const { org, role, user } = requirePortalUser(request);
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user.id });
      requireEditor(pkg, role, user.id);
      const added = await addPackageFiles(db, pkg, request.body.fileIds);
      await recordPortalAudit(db, request, {
        action: "package.files_added",
        target: pkg.id,
        details: { added },
      });
      return { added };
    },
  );

  app.post(
    "/:org/packages/:packageId/freeze",
    {
      config: { policy: WRITE },
      schema: {
        tags: ["packages"],
        summary: "Freeze the manifest (name, size, sha256 of every file) and record its sha256",
        params: PackageParams,
        body: Type.Object({}, closed),
        response: { 200: Type.Object({ package: PackageSchema }, closed) },
      },
    },
    async (request) => {
      const { org, role, user } = requirePortalUser(request);
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user.id });
      requireEditor(pkg, role, user.id);
      const frozen = await freezePackage(db, pkg);
      await recordPortalAudit(db, request, {
        action: "package.frozen",
        target: pkg.id,
        details: { manifestSha256: frozen.manifestSha256 },
      });
      return { package: view(frozen) };
    },
  );

  app.get(
    "/:org/packages/:packageId/download",
    {
      config: { policy: READ },
      schema: {
        tags: ["packages"],
        summary:
          "Download a frozen package as one streamed tar (or ?format=zip) with PACKAGE.json, MANIFEST and SHA256SUMS",
        params: PackageParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Union([Type.Literal("tar"), Type.Literal("zip")])) },
          closed,
        ),
      },
    },
    async (request, reply) => {
      const { org, role, user } = requirePortal(request);
      const storage = context.storage;
      if (storage === null) throw new ServerError("SERVICE_UNAVAILABLE", "this server has no file storage");
      const pkg = await findPackage(db, org.id, request.params.packageId, { role, userId: user?.id ?? null });
      if (pkg.frozenAt === null)
        throw new ServerError("CONFLICT", "freeze the package before downloading it");
      const archive = await packageArchive(
        db,
        storage,
        pkg,
        await packageEntries(db, pkg.id),
        request.query.format ?? "tar",
      );
      const stream = Readable.from(archive.stream(), { objectMode: false });
      stream.on("error", (err) => request.log.error({ err, packageId: pkg.id }, "package download aborted"));
      return reply
        .header("content-type", archive.contentType)
        .header("content-length", String(archive.length))
        .header("content-disposition", `attachment; filename="${archive.fileName}"`)
        .header("meridian-manifest-sha256", pkg.manifestSha256 ?? "")
        .send(stream);
    },
  );
}

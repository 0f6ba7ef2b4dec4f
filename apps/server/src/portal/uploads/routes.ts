/**
 * The tus 1.0.0 endpoints (core + creation + termination + checksum with sha256) of a portal, plus
 * JSON helpers: the caller's uploads in progress, a pre-upload check by checksum, and cleanup.
 * Implemented here rather than with @tus/server: its data stores append to files they own, while
 * our Storage holds immutable objects written atomically; parts per PATCH keep that contract.
 */

import { and, asc, eq } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { Database } from "../../db/database.js";
import { uploads } from "../../db/portal-schema.js";
import { ServerError } from "../../errors.js";
import type { App } from "../../http/app-type.js";
import type { AppContext } from "../../http/context.js";
import { orgPolicy } from "../../http/policy.js";
import type { Storage } from "../../storage/storage.js";
import { recordPortalAudit } from "../audit.js";
import { orgRoleAtLeast, requirePortalUser } from "../org-access.js";
import { closed, OrgParams, orgParamsWith } from "../schemas.js";
import {
  parseByteCount,
  parseUploadChecksum,
  parseUploadMetadata,
  TUS_CONTENT_TYPE,
  TUS_EXTENSIONS,
  TUS_VERSION,
} from "./tus-headers.js";
import { isUploadError, UploadError } from "./upload-errors.js";
import {
  type AppendResult,
  abandonUpload,
  appendToUpload,
  type CommittedFile,
  checkFiles,
  checkUploader,
  cleanupUploads,
  createUpload,
  findUpload,
  MAX_UPLOAD_BYTES,
  terminateUpload,
  type UploadDeps,
} from "./upload-store.js";
import { storeWholeFile, WHOLE_FILE_MAX_BYTES } from "./whole-file.js";

const UPLOAD = orgPolicy("member", { scope: "upload" });
const CLEANUP_EVERY_MS = 3600_000;
const UploadParams = orgParamsWith("uploadId");

function deps(context: AppContext): UploadDeps {
  const storage: Storage | null = context.storage;
  if (storage === null) throw new ServerError("SERVICE_UNAVAILABLE", "this server has no file storage");
  return { db: context.db, storage };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function requireTus(request: FastifyRequest): void {
  if (header(request, "tus-resumable") !== TUS_VERSION) {
    throw new UploadError(
      "TUS_VERSION",
      `send the header Tus-Resumable: ${TUS_VERSION} (this server speaks tus ${TUS_VERSION})`,
    );
  }
}

/** Answer an upload error as tus clients expect (status, Tus-Resumable) with a JSON body. */
function sendError(reply: FastifyReply, err: UploadError): FastifyReply {
  reply.header("tus-resumable", TUS_VERSION);
  if (err.code === "TUS_VERSION") reply.header("tus-version", TUS_VERSION);
  const offset = err.details?.offset;
  if (typeof offset === "number") reply.header("upload-offset", String(offset));
  return reply.code(err.status).send({ code: err.code, message: err.message, ...(err.details ?? {}) });
}

async function guarded(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (isUploadError(err)) return sendError(reply, err);
    throw err;
  }
}

/**
 * The body of a creation-with-upload POST, or null when the POST carries none. A body must be
 * sent as application/offset+octet-stream (else 415).
 */
function creationBody(request: FastifyRequest): { contentLength?: number } | null {
  const lengthHeader = header(request, "content-length");
  const chunked = header(request, "transfer-encoding") !== undefined;
  const contentLength =
    lengthHeader === undefined ? undefined : parseByteCount("Content-Length", lengthHeader);
  if (!chunked && (contentLength === undefined || contentLength === 0)) return null;
  const type = (header(request, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== TUS_CONTENT_TYPE) {
    throw new UploadError(
      "UNSUPPORTED_MEDIA_TYPE",
      `bytes sent with the creation (creation-with-upload) must be Content-Type: ${TUS_CONTENT_TYPE}`,
    );
  }
  return contentLength === undefined ? {} : { contentLength };
}

/** The headers that tell a client its file is stored. */
function fileHeaders(reply: FastifyReply, f: CommittedFile): void {
  reply
    .header("meridian-file-id", f.fileId)
    .header("meridian-file-sha256", f.sha256)
    .header("meridian-file-format", f.format);
  if (f.duplicateOf.length > 0) reply.header("meridian-duplicate-of", f.duplicateOf.join(","));
}

/** The audit entry of a stored file, written in the transaction that stores it. */
function auditCompleted(tx: Database, request: FastifyRequest, f: CommittedFile): Promise<void> {
  return recordPortalAudit(tx, request, {
    action: "upload.completed",
    target: f.fileId,
    details: {
      name: f.name,
      datasetId: f.datasetId,
      size: f.size,
      sha256: f.sha256,
      warnings: f.warnings.length,
    },
  });
}

function uploadUrl(slug: string, id: string): string {
  return `/api/portals/${slug}/uploads/${id}`;
}

/** The upload routes (registered under /api/portals). */
export function uploadRoutes(app: App, context: AppContext): void {
  // PATCH bodies are read by the handler as a stream, never buffered.
  app.addContentTypeParser(TUS_CONTENT_TYPE, (_request, _payload, done) => done(null, undefined));

  if (context.storage !== null) {
    const timer = setInterval(() => {
      cleanupUploads(deps(context)).catch((err: unknown) => app.log.error({ err }, "upload cleanup failed"));
    }, CLEANUP_EVERY_MS);
    timer.unref();
    app.addHook("onClose", async () => clearInterval(timer));
  }

  app.options(
    "/:org/uploads",
    {
      config: { policy: UPLOAD },
      schema: { tags: ["uploads"], summary: "tus capabilities", params: OrgParams },
    },
    async (_request, reply) =>
      reply
        .code(204)
        .header("tus-resumable", TUS_VERSION)
        .header("tus-version", TUS_VERSION)
        .header("tus-extension", TUS_EXTENSIONS)
        .header("tus-checksum-algorithm", "sha256")
        .header("tus-max-size", String(MAX_UPLOAD_BYTES))
        .send(),
  );

  app.post(
    "/:org/uploads",
    {
      config: { policy: UPLOAD },
      schema: {
        tags: ["uploads"],
        summary: "Create a resumable upload (tus creation)",
        description:
          "Headers: Tus-Resumable: 1.0.0, Upload-Length, Upload-Metadata with `name` (path in the dataset; or `relativePath`/`filename`), `dataset` (name, created if missing) or `datasetId`, and optionally `sha256` (hex) checked on completion. 201 with Location; 409 when the name is taken or being uploaded; 413 when the portal's quota cannot hold it.",
        params: OrgParams,
      },
    },
    async (request, reply) =>
      guarded(reply, async () => {
        requireTus(request);
        const { org, role, user } = requirePortalUser(request);
        if (header(request, "upload-defer-length") !== undefined) {
          throw new UploadError("BAD_REQUEST", "Upload-Defer-Length is not supported: send Upload-Length");
        }
        const size = parseByteCount("Upload-Length", header(request, "upload-length"));
        const metadata = parseUploadMetadata(header(request, "upload-metadata"));
        // creation-with-upload: the first bytes (a small file: all of them) come in this request.
        const body = creationBody(request);
        const checksumHex =
          body === null ? undefined : parseUploadChecksum(header(request, "upload-checksum"));
        const input = { orgId: org.id, userId: user.id, size, metadata };
        if (body?.contentLength === size && size > 0 && size <= WHOLE_FILE_MAX_BYTES) {
          // The whole (small) file is here: one transaction stores it, no upload row.
          const whole = await storeWholeFile(deps(context), input, request.raw, {
            ...(checksumHex === undefined ? {} : { checksumHex }),
            onCommit: (tx, file) => auditCompleted(tx, request, file),
          });
          reply
            .code(201)
            .header("tus-resumable", TUS_VERSION)
            .header("location", uploadUrl(org.slug, whole.id))
            .header("upload-offset", String(whole.offset));
          if (whole.upload !== null) reply.header("upload-expires", whole.upload.expiresAt.toUTCString());
          if (whole.file !== null) fileHeaders(reply, whole.file);
          return reply.send({
            id: whole.id,
            datasetId: whole.file?.datasetId ?? whole.upload?.datasetId,
            name: whole.file?.name ?? whole.upload?.name,
            size,
            offset: whole.offset,
            ...(whole.file === null ? {} : { fileId: whole.file.fileId }),
          });
        }
        const row = await createUpload(deps(context), input);
        reply
          .header("tus-resumable", TUS_VERSION)
          .header("location", uploadUrl(org.slug, row.id))
          .header("upload-expires", row.expiresAt.toUTCString());
        let result: AppendResult = { offset: 0, file: null };
        if (size === 0 || body !== null) {
          try {
            result = await appendToUpload(
              deps(context),
              org.id,
              row.id,
              0,
              body === null ? (async function* () {})() : request.raw,
              {
                row,
                actor: { userId: user.id, admin: orgRoleAtLeast(role, "admin") },
                ...(checksumHex === undefined ? {} : { checksumHex }),
                ...(body?.contentLength === undefined ? {} : { contentLength: body.contentLength }),
                onCommit: (tx, file) => auditCompleted(tx, request, file),
              },
            );
          } catch (err) {
            // Nothing kept (bad checksum, body too long, …): no upload is left to block the name.
            await abandonUpload(deps(context), row.id);
            throw err;
          }
          // A body cut short with nothing kept: the same, the client starts again with a POST.
          if (result.file === null && result.offset === 0 && size > 0)
            await abandonUpload(deps(context), row.id);
        }
        reply.code(201).header("upload-offset", String(result.offset));
        if (result.file !== null) fileHeaders(reply, result.file);
        return reply.send({
          id: row.id,
          datasetId: row.datasetId,
          name: row.name,
          size: row.size,
          offset: result.offset,
          ...(result.file === null ? {} : { fileId: result.file.fileId }),
        });
      }),
  );

  app.route({
    method: "HEAD",
    url: "/:org/uploads/:uploadId",
    config: { policy: UPLOAD },
    schema: { tags: ["uploads"], summary: "Offset of an upload (tus)", params: UploadParams },
    handler: async (request, reply) =>
      guarded(reply, async () => {
        requireTus(request);
        const { org, role, user } = requirePortalUser(request);
        const { uploadId } = request.params as { uploadId: string };
        const row = await findUpload(deps(context), org.id, uploadId);
        checkUploader(row, { userId: user.id, admin: orgRoleAtLeast(role, "admin") });
        return reply
          .code(200)
          .header("tus-resumable", TUS_VERSION)
          .header("cache-control", "no-store")
          .header("upload-offset", String(row.offset))
          .header("upload-length", String(row.size))
          .header("upload-expires", row.expiresAt.toUTCString())
          .send();
      }),
  });

  app.patch(
    "/:org/uploads/:uploadId",
    {
      config: { policy: UPLOAD },
      schema: {
        tags: ["uploads"],
        summary: "Send bytes of an upload (tus)",
        description:
          "Headers: Tus-Resumable, Upload-Offset (must equal the upload's offset), Content-Type: application/offset+octet-stream, optionally Upload-Checksum: sha256 <base64>. 204 with the new Upload-Offset; when the last byte arrives the file is verified and committed (Meridian-File-Id header). 409 offset mismatch, 460 checksum mismatch, 507 quota exceeded at commit.",
        params: UploadParams,
      },
    },
    async (request, reply) =>
      guarded(reply, async () => {
        requireTus(request);
        const { org, role, user } = requirePortalUser(request);
        const { uploadId } = request.params;
        const type = (header(request, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
        if (type !== TUS_CONTENT_TYPE) {
          throw new UploadError(
            "UNSUPPORTED_MEDIA_TYPE",
            `PATCH bodies must be sent as Content-Type: ${TUS_CONTENT_TYPE}`,
          );
        }
        const offset = parseByteCount("Upload-Offset", header(request, "upload-offset"));
        const checksumHex = parseUploadChecksum(header(request, "upload-checksum"));
        const lengthHeader = header(request, "content-length");
        const result = await appendToUpload(deps(context), org.id, uploadId, offset, request.raw, {
          actor: { userId: user.id, admin: orgRoleAtLeast(role, "admin") },
          ...(checksumHex === undefined ? {} : { checksumHex }),
          ...(lengthHeader === undefined
            ? {}
            : { contentLength: parseByteCount("Content-Length", lengthHeader) }),
          onCommit: (tx, file) => auditCompleted(tx, request, file),
        });
        reply.code(204).header("tus-resumable", TUS_VERSION).header("upload-offset", String(result.offset));
        if (result.file !== null) fileHeaders(reply, result.file);
        return reply.send();
      }),
  );

  app.delete(
    "/:org/uploads/:uploadId",
    {
      config: { policy: UPLOAD },
      schema: { tags: ["uploads"], summary: "Terminate an upload (tus termination)", params: UploadParams },
    },
    async (request, reply) =>
      guarded(reply, async () => {
        requireTus(request);
        const { org, role, user } = requirePortalUser(request);
        const { uploadId } = request.params;
        const row = await findUpload(deps(context), org.id, uploadId);
        if (row.userId !== user.id && !orgRoleAtLeast(role, "admin")) {
          throw new ServerError("FORBIDDEN", "only the uploader or a portal admin may terminate an upload");
        }
        await terminateUpload(deps(context), org.id, uploadId);
        await recordPortalAudit(context.db, request, {
          action: "upload.terminated",
          target: uploadId,
          details: { name: row.name },
        });
        return reply.code(204).header("tus-resumable", TUS_VERSION).send();
      }),
  );

  app.get(
    "/:org/uploads",
    {
      config: { policy: orgPolicy("member", { scope: "upload" }) },
      schema: { tags: ["uploads"], summary: "Your uploads in progress", params: OrgParams },
    },
    async (request) => {
      const { org, user } = requirePortalUser(request);
      const rows = await context.db
        .select()
        .from(uploads)
        .where(and(eq(uploads.orgId, org.id), eq(uploads.userId, user.id)))
        .orderBy(asc(uploads.createdAt));
      return {
        uploads: rows.map((r) => ({
          id: r.id,
          url: uploadUrl(org.slug, r.id),
          datasetId: r.datasetId,
          name: r.name,
          size: r.size,
          offset: r.offset,
          sha256: r.expectedSha256,
          expiresAt: r.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    "/:org/uploads/check",
    {
      config: { policy: UPLOAD },
      schema: {
        tags: ["uploads"],
        summary: "Which files are already uploaded (by name and sha256)",
        params: OrgParams,
        body: Type.Object(
          {
            dataset: Type.String({ minLength: 1, maxLength: 200 }),
            files: Type.Array(
              Type.Object(
                {
                  name: Type.String({ minLength: 1, maxLength: 1000 }),
                  sha256: Type.String({ pattern: "^[0-9a-fA-F]{64}$" }),
                },
                closed,
              ),
              { maxItems: 10_000 },
            ),
          },
          closed,
        ),
      },
    },
    async (request) => {
      const { org } = requirePortalUser(request);
      return { files: await checkFiles(context.db, org.id, request.body.dataset, request.body.files) };
    },
  );

  app.post(
    "/:org/uploads/cleanup",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["uploads"],
        summary: "Remove expired uploads and orphan blobs of this portal now",
        params: OrgParams,
        body: Type.Object({}, closed),
      },
    },
    async (request) => {
      const { org } = requirePortalUser(request);
      const result = await cleanupUploads(deps(context), { orgId: org.id });
      await recordPortalAudit(context.db, request, {
        action: "upload.cleanup",
        target: org.id,
        details: { ...result },
      });
      return result;
    },
  );
}

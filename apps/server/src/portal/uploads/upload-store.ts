/**
 * Resumable uploads (the state behind the tus routes). Bytes go to storage as parts under
 * `uploads/<orgId>/<uploadId>/p<offset>`; each PATCH adds one part (an interrupted PATCH keeps the
 * bytes that arrived). When the last byte is in, the parts are joined (a single part is used as
 * is), the sha256 is checked, the headers are extracted, and in ONE transaction the data_files row
 * is inserted (its id is the upload's id), the organisation's used_bytes raised within its quota
 * and the uploads row deleted. Until then nothing is visible; `cleanupUploads` removes expired
 * uploads and any blob that neither an upload nor a data file owns.
 */
import { createHash } from "node:crypto";
import { and, eq, lte, notInArray, sql } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { dataFiles, datasets, organisations, uploads } from "../../db/portal-schema.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import type { Storage } from "../../storage/storage.js";
import { attachNightLog } from "../ingest/attach-night-log.js";
import { inspectStoredFile } from "../ingest/inspect-file.js";
import { defaultQuotaBytes, formatBytes } from "./quota.js";
import { UploadError } from "./upload-errors.js";

/** What the upload functions need. */
export interface UploadDeps {
  readonly db: Database;
  readonly storage: Storage;
  /** Quota for organisations without their own (default: MERIDIAN_ORG_QUOTA_BYTES). */
  readonly defaultQuotaBytes?: number | null;
  /** How long an idle upload is kept, milliseconds (default 24 h). */
  readonly expiresAfterMs?: number;
}

/** An upload row. */
export type UploadRow = typeof uploads.$inferSelect;

/** Largest file accepted (Tus-Max-Size). */
export const MAX_UPLOAD_BYTES = 2 ** 40;
const DEFAULT_EXPIRY_MS = 24 * 3600_000;
const MAX_NAME_LENGTH = 1000;

/**
 * Storage prefix of an upload's blobs: `uploads/<org>/<upload>.` (parts `….p<offset>`, joined
 * `….data`), all in the portal's one folder, so that a new upload creates no directory (a new
 * directory costs an fsync of its parent besides its own). Uploads created before this layout
 * keep their `uploads/<org>/<upload>/` prefix (the row's temp_key), which works the same way.
 */
export function uploadPrefix(orgId: string, uploadId: string): string {
  return `uploads/${orgId}/${uploadId}.`;
}

/** The upload id a blob key under `uploads/<org>/` belongs to (either layout), or null. */
export function uploadIdOfKey(key: string): string | null {
  const m = /^uploads\/[^/]+\/([0-9a-f-]{36})[./]/i.exec(key);
  return m === null ? null : (m[1] as string);
}

/** Key of the part of an upload that starts at `offset`. */
export function partKey(prefix: string, offset: number): string {
  return `${prefix}p${String(offset).padStart(16, "0")}`;
}

/** Check a file name (a path within its dataset): relative, `/`-separated, no `.`/`..`/empty segments. */
export function checkFileName(name: string): string {
  const bad = (why: string) => new UploadError("BAD_REQUEST", `file name "${name.slice(0, 200)}" ${why}`);
  if (name.length === 0) throw bad("is empty");
  if (name.length > MAX_NAME_LENGTH) throw bad(`is longer than ${MAX_NAME_LENGTH} characters`);
  if (name.startsWith("/")) throw bad("must be relative (no leading /)");
  if (name.includes("\\")) throw bad("must use / between folders, not \\");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw bad(`has a control character at position ${i}`);
  }
  for (const seg of name.split("/")) {
    if (seg === "" || seg === "." || seg === "..") throw bad('has an empty, "." or ".." folder');
  }
  return name;
}

function quotaOf(deps: UploadDeps, org: { quotaBytes: number | null }): number | null {
  return (
    org.quotaBytes ?? (deps.defaultQuotaBytes === undefined ? defaultQuotaBytes() : deps.defaultQuotaBytes)
  );
}

/** Find a dataset by id or by name (created when missing and `create`). */
export async function resolveDataset(
  db: Database,
  orgId: string,
  ref: { id?: string; name?: string },
  options: { create: boolean; userId: string | null },
): Promise<{ id: string; name: string }> {
  if (ref.id !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(ref.id)) throw new UploadError("BAD_REQUEST", "datasetId must be a uuid");
    const [row] = await db
      .select({ id: datasets.id, name: datasets.name })
      .from(datasets)
      .where(and(eq(datasets.orgId, orgId), eq(datasets.id, ref.id)));
    if (row === undefined) throw new UploadError("NOT_FOUND", `no dataset ${ref.id} in this portal`);
    return row;
  }
  const name = ref.name?.trim() ?? "";
  if (name === "" || name.length > 200) {
    throw new UploadError(
      "BAD_REQUEST",
      "name the dataset: Upload-Metadata `dataset` (1 to 200 characters) or `datasetId`",
    );
  }
  const find = async () =>
    (
      await db
        .select({ id: datasets.id, name: datasets.name })
        .from(datasets)
        .where(and(eq(datasets.orgId, orgId), sql`lower(${datasets.name}) = lower(${name})`))
    )[0];
  const found = await find();
  if (found !== undefined) return found;
  if (!options.create) throw new UploadError("NOT_FOUND", `no dataset "${name}" in this portal`);
  await db.insert(datasets).values({ orgId, name, createdBy: options.userId }).onConflictDoNothing();
  const created = await find();
  if (created === undefined) throw new UploadError("CONFLICT", `dataset "${name}" could not be created`);
  return created;
}

/** Input of {@link createUpload}. */
export interface NewUpload {
  readonly orgId: string;
  readonly userId: string | null;
  readonly size: number;
  /** Decoded Upload-Metadata: `name` (or `relativePath`, `filename`), `dataset` or `datasetId`, `sha256`. */
  readonly metadata: Record<string, string>;
}

/** An upload's checked name, announced sha256 and dataset (found or created). */
export interface PreparedUpload {
  readonly name: string;
  readonly expected: string | undefined;
  readonly dataset: { id: string; name: string };
}

/** Check an upload's size, name and sha256, and find (or create) its dataset. */
export async function prepareUpload(deps: UploadDeps, input: NewUpload): Promise<PreparedUpload> {
  if (input.size > MAX_UPLOAD_BYTES) {
    throw new UploadError(
      "TOO_LARGE",
      `Upload-Length ${input.size} exceeds the largest file accepted (${MAX_UPLOAD_BYTES} bytes)`,
    );
  }
  const md = input.metadata;
  const name = checkFileName(md.name ?? md.relativePath ?? md.filename ?? "");
  const expected = md.sha256?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) {
    throw new UploadError("BAD_REQUEST", "Upload-Metadata sha256 must be 64 hex digits");
  }
  const dataset = await resolveDataset(
    deps.db,
    input.orgId,
    {
      ...(md.datasetId === undefined ? {} : { id: md.datasetId }),
      ...(md.dataset === undefined ? {} : { name: md.dataset }),
    },
    { create: true, userId: input.userId },
  );
  return { name, expected, dataset };
}

/**
 * Create an upload (tus creation): checks the name, the dataset, that no file or upload of that
 * name exists in the dataset (409), and the quota with the bytes already reserved (413); nothing
 * is written to storage yet.
 */
export async function createUpload(
  deps: UploadDeps,
  input: NewUpload,
  options: { prepared?: PreparedUpload; id?: string; offset?: number } = {},
): Promise<UploadRow> {
  const { db } = deps;
  const { name, expected, dataset } = options.prepared ?? (await prepareUpload(deps, input));
  const md = input.metadata;
  const id = options.id ?? crypto.randomUUID();
  const now = new Date();
  return await db.transaction(async (tx) => {
    // Serialise creations of the same name in the same dataset (two uploads at once: one wins).
    // The lock is its own statement: the checks below must see what the previous holder committed.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${dataset.id}/${name}`}))`);
    // One round trip for every check: a file of that name, an upload of it, the quota.
    const [state] = await tx
      .select({
        quotaBytes: organisations.quotaBytes,
        usedBytes: organisations.usedBytes,
        existing: sql<{
          id: string;
          sha256: string;
        } | null>`(select json_build_object('id', ${dataFiles.id}, 'sha256', ${dataFiles.sha256}) from ${dataFiles} where ${dataFiles.datasetId} = ${dataset.id} and ${dataFiles.name} = ${name})`,
        running: sql<{
          id: string;
          userId: string | null;
        } | null>`(select json_build_object('id', ${uploads.id}, 'userId', ${uploads.userId}) from ${uploads} where ${uploads.datasetId} = ${dataset.id} and ${uploads.name} = ${name} and ${uploads.expiresAt} > ${now.toISOString()} limit 1)`,
        reserved: sql<string>`(select coalesce(sum(${uploads.size}), 0) from ${uploads} where ${uploads.orgId} = ${input.orgId} and ${uploads.expiresAt} > ${now.toISOString()})`,
      })
      .from(organisations)
      .where(eq(organisations.id, input.orgId));
    if (state === undefined) throw new UploadError("NOT_FOUND", "the portal no longer exists");
    if (state.existing !== null) throw nameTaken(name, dataset.name, state.existing, expected);
    if (state.running !== null) throw nameInProgress(name, dataset.name, state.running, input.userId);
    const quota = quotaOf(deps, state);
    if (quota !== null) {
      const pending = Number(state.reserved ?? 0);
      if (state.usedBytes + pending + input.size > quota) {
        throw new UploadError(
          "QUOTA_EXCEEDED",
          `quota exceeded: this portal may store ${formatBytes(quota)}; ${formatBytes(state.usedBytes)} are used and ${formatBytes(pending)} reserved by uploads in progress, so "${name}" (${formatBytes(input.size)}) does not fit`,
          {
            details: {
              quotaBytes: quota,
              usedBytes: state.usedBytes,
              reservedBytes: pending,
              size: input.size,
            },
          },
        );
      }
    }
    const [row] = await tx
      .insert(uploads)
      .values({
        id,
        orgId: input.orgId,
        datasetId: dataset.id,
        userId: input.userId,
        name,
        size: input.size,
        offset: options.offset ?? 0,
        expectedSha256: expected ?? null,
        tempKey: uploadPrefix(input.orgId, id),
        metadata: md,
        expiresAt: new Date(now.getTime() + (deps.expiresAfterMs ?? DEFAULT_EXPIRY_MS)),
      })
      .returning();
    return row as UploadRow;
  });
}

/** The live upload `uploadId` of `orgId` (expired ones count as gone). */
export async function findUpload(deps: UploadDeps, orgId: string, uploadId: string): Promise<UploadRow> {
  if (!/^[0-9a-f-]{36}$/i.test(uploadId)) throw new UploadError("NOT_FOUND", `no upload ${uploadId}`);
  const [row] = await deps.db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.orgId, orgId)));
  if (row === undefined || row.expiresAt.getTime() <= Date.now()) {
    throw new UploadError("NOT_FOUND", `no upload ${uploadId} in progress (finished, terminated or expired)`);
  }
  return row;
}

/** Only the uploader or a portal admin may touch an upload (others get 403). */
export function checkUploader(row: UploadRow, actor: { userId: string; admin: boolean } | undefined): void {
  if (actor === undefined || actor.admin || row.userId === actor.userId) return;
  throw new UploadError("FORBIDDEN", `upload ${row.id} belongs to another user`);
}

/** A file committed by an upload. */
export interface CommittedFile {
  readonly fileId: string;
  readonly datasetId: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly format: string;
  readonly warnings: string[];
  /** Other files of the organisation with the same bytes. */
  readonly duplicateOf: string[];
}

/** Result of {@link appendToUpload}. */
export interface AppendResult {
  readonly offset: number;
  readonly file: CommittedFile | null;
}

/**
 * Store the bytes of `body` that arrive under `key` (at most `room`; more is 413 with nothing
 * kept). A body that breaks off keeps what arrived: `interrupted` says so.
 */
export async function putArrived(
  storage: Storage,
  key: string,
  body: AsyncIterable<Uint8Array>,
  room: number,
): Promise<{ put: { size: number; sha256: string }; interrupted: boolean }> {
  let interrupted = false;
  const keepArrived = async function* (): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) yield chunk;
    } catch {
      interrupted = true;
    }
  };
  try {
    const put = await storage.put(key, keepArrived(), { maxBytes: room });
    return { put, interrupted };
  } catch (err) {
    if ((err as { code?: string }).code === "TOO_LARGE") {
      throw new UploadError("TOO_LARGE", `the body runs past Upload-Length (${room} bytes left)`, {
        cause: err,
      });
    }
    throw err;
  }
}

/** Uploads a request of this process is writing (their blobs are not orphans). */
const writers = new Set<string>();

/** Run `work` with `id` marked as being written (cleanup leaves its blobs alone). */
export async function whileWriting<T>(id: string, work: () => Promise<T>): Promise<T> {
  writers.add(id);
  try {
    return await work();
  } finally {
    writers.delete(id);
  }
}

/** Blobs younger than this are never swept as orphans (a writer may be between two steps). */
const ORPHAN_GRACE_MS = 3600_000;

/**
 * Append `body` at `offset` (tus PATCH). An interrupted body keeps the bytes that arrived (unless a
 * checksum was announced for it); the last byte commits the file.
 */
export async function appendToUpload(
  deps: UploadDeps,
  orgId: string,
  uploadId: string,
  offset: number,
  body: AsyncIterable<Uint8Array>,
  options: {
    checksumHex?: string;
    contentLength?: number;
    /** Who sends: only the uploader (or a portal admin) may write an upload. */
    actor?: { userId: string; admin: boolean };
    /** The upload's row when the caller just read or created it (saves a lookup). */
    row?: UploadRow;
    /** Extra writes (the audit entry) made in the transaction that commits the file. */
    onCommit?: (tx: Database, file: CommittedFile) => Promise<void>;
  } = {},
): Promise<AppendResult> {
  if (writers.has(uploadId)) {
    throw new UploadError(
      "LOCKED",
      `upload ${uploadId} is being written by another request; retry when it ends`,
    );
  }
  writers.add(uploadId);
  try {
    const row = options.row ?? (await findUpload(deps, orgId, uploadId));
    checkUploader(row, options.actor);
    if (offset !== row.offset) {
      throw new UploadError(
        "OFFSET_MISMATCH",
        `Upload-Offset ${offset} does not match the upload's offset ${row.offset}`,
        {
          details: { offset: row.offset },
        },
      );
    }
    const room = row.size - row.offset;
    if (options.contentLength !== undefined && options.contentLength > room) {
      throw new UploadError(
        "TOO_LARGE",
        `the body of ${options.contentLength} bytes runs past Upload-Length (${room} bytes left)`,
      );
    }
    let newOffset = row.offset;
    let whole: WholePart | undefined;
    if (room > 0) {
      const key = partKey(row.tempKey, row.offset);
      const { put, interrupted } = await putArrived(deps.storage, key, body, room);
      if (options.checksumHex !== undefined && (interrupted || put.sha256 !== options.checksumHex)) {
        await deps.storage.delete(key);
        throw new UploadError(
          "CHECKSUM_MISMATCH",
          interrupted
            ? "the body was interrupted, so its Upload-Checksum cannot hold; send it again from the same offset"
            : `Upload-Checksum mismatch: the body's sha256 is ${put.sha256}, the header says ${options.checksumHex}; send it again`,
        );
      }
      if (put.size === 0) {
        await deps.storage.delete(key);
      } else if (row.offset + put.size === row.size) {
        // The last byte: the commit below deletes the row; a crash before it leaves the offset
        // behind, and the client sends the same bytes again to the same part key.
        newOffset = row.size;
        if (row.offset === 0) whole = { key, sha256: put.sha256 };
      } else {
        const moved = await deps.db
          .update(uploads)
          .set({
            offset: row.offset + put.size,
            updatedAt: new Date(),
            expiresAt: new Date(Date.now() + (deps.expiresAfterMs ?? DEFAULT_EXPIRY_MS)),
          })
          .where(and(eq(uploads.id, uploadId), eq(uploads.offset, row.offset)))
          .returning({ offset: uploads.offset });
        if (moved.length === 0) {
          throw new UploadError(
            "OFFSET_MISMATCH",
            "the upload moved on while this body was written; ask its offset (HEAD)",
          );
        }
        newOffset = row.offset + put.size;
      }
      if (interrupted && newOffset < row.size) return { offset: newOffset, file: null };
    }
    if (newOffset < row.size) return { offset: newOffset, file: null };
    const file = await commitUpload(deps, { ...row, offset: newOffset }, whole, options.onCommit);
    return { offset: newOffset, file };
  } finally {
    writers.delete(uploadId);
  }
}

async function hashStored(storage: Storage, key: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of await storage.get(key)) h.update(chunk as Uint8Array);
  return h.digest("hex");
}

/** The whole file received in one body at offset 0: its part's key and sha256. */
interface WholePart {
  readonly key: string;
  readonly sha256: string;
}

/** The upload's bytes as one object: its single part, or the parts joined into `data`. */
async function assemble(
  deps: UploadDeps,
  row: UploadRow,
  whole: WholePart | undefined,
): Promise<{ key: string; sha256: string; parts: string[] }> {
  // Sent in one body: that part is the file (no listing, no second read).
  if (whole !== undefined && row.size > 0) return { key: whole.key, sha256: whole.sha256, parts: [] };
  const parts: { key: string; size: number }[] = [];
  for await (const o of deps.storage.list(`${row.tempKey}p`)) parts.push({ key: o.key, size: o.size });
  let at = 0;
  const chain: string[] = [];
  for (const p of parts) {
    if (p.key === partKey(row.tempKey, at)) {
      chain.push(p.key);
      at += p.size;
    }
  }
  if (at !== row.size) {
    throw new UploadError(
      "CONFLICT",
      `upload ${row.id}: stored parts hold ${at} of ${row.size} bytes; upload it again`,
    );
  }
  if (row.size === 0) {
    const put = await deps.storage.put(`${row.tempKey}data`, (async function* () {})(), { expectedSize: 0 });
    return { key: put.key, sha256: put.sha256, parts: [] };
  }
  if (chain.length === 1) {
    const key = chain[0] as string;
    return { key, sha256: await hashStored(deps.storage, key), parts: [] };
  }
  const storage = deps.storage;
  const joined = async function* (): AsyncGenerator<Uint8Array> {
    for (const key of chain) for await (const chunk of await storage.get(key)) yield chunk as Uint8Array;
  };
  const put = await storage.put(`${row.tempKey}data`, joined(), { expectedSize: row.size });
  return { key: put.key, sha256: put.sha256, parts: chain };
}

/** Delete every blob whose key starts with `prefix` (but `keep`); returns how many. */
export async function deletePrefix(storage: Storage, prefix: string, keep?: string): Promise<number> {
  const keys: string[] = [];
  for await (const o of storage.list(prefix)) if (o.key !== keep) keys.push(o.key);
  for (const k of keys) await storage.delete(k);
  return keys.length;
}

/** The upload row went away during a commit (another request committed or terminated it). */
class UploadGone extends Error {
  constructor(id: string) {
    super(`upload ${id} was finished or terminated by another request`);
  }
}

/** Finish a complete upload: verify, extract, and commit the data file in one transaction. */
export async function commitUpload(
  deps: UploadDeps,
  row: UploadRow,
  whole?: WholePart,
  onCommit?: (tx: Database, file: CommittedFile) => Promise<void>,
): Promise<CommittedFile> {
  const { db, storage } = deps;
  const fail = async (err: UploadError): Promise<never> => {
    await db.delete(uploads).where(eq(uploads.id, row.id));
    await deletePrefix(storage, row.tempKey);
    throw err;
  };
  const blob = await assemble(deps, row, whole);
  if (row.expectedSha256 !== null && blob.sha256 !== row.expectedSha256) {
    return fail(
      new UploadError(
        "CHECKSUM_MISMATCH",
        `"${row.name}": the bytes received have sha256 ${blob.sha256} but the upload announced ${row.expectedSha256}; nothing was stored`,
      ),
    );
  }
  const inspection = await inspectStoredFile(storage, blob.key, row.name);
  let committed: CommittedFile;
  try {
    committed = await db.transaction(async (tx) => {
      const gone = await tx.delete(uploads).where(eq(uploads.id, row.id)).returning({ id: uploads.id });
      if (gone.length === 0) throw new UploadGone(row.id);
      const file = await insertDataFile(tx as unknown as Database, deps, {
        id: row.id,
        orgId: row.orgId,
        datasetId: row.datasetId,
        name: row.name,
        size: row.size,
        sha256: blob.sha256,
        key: blob.key,
        userId: row.userId,
        inspection,
        quotaStatus: 507,
      });
      if (onCommit !== undefined) await onCommit(tx as unknown as Database, file);
      return file;
    });
  } catch (err) {
    // Committed or terminated by another request: its bytes are not ours to delete.
    if (err instanceof UploadGone) throw new UploadError("NOT_FOUND", err.message);
    if (err instanceof UploadError) return fail(err);
    if (isUniqueViolation(err)) {
      return fail(
        new UploadError(
          "CONFLICT",
          `a file named "${row.name}" was added to the dataset meanwhile; nothing was stored`,
        ),
      );
    }
    throw err;
  }
  for (const p of blob.parts) await storage.delete(p);
  return committed;
}

/** What {@link insertDataFile} stores. */
export interface NewDataFile {
  readonly id: string;
  readonly orgId: string;
  readonly datasetId: string;
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly key: string;
  readonly userId: string | null;
  readonly inspection: Awaited<ReturnType<typeof inspectStoredFile>>;
  /** HTTP status of a quota overrun (507 at the end of an upload, 413 for a file sent whole). */
  readonly quotaStatus: number;
  /**
   * Check here, under the name's lock, that no file or live upload holds the name and count the
   * bytes reserved by uploads in progress (a file sent whole had no upload row doing that).
   */
  readonly checkName?: { readonly datasetName: string; readonly expectedSha256: string | undefined };
}

/**
 * Insert a verified file inside transaction `tx`: raise the organisation's used_bytes within its
 * quota (one statement that also returns the files with the same bytes and, with `checkName`,
 * the name's holders and the reserved bytes), attach the night log, insert the data_files row.
 * Throws UploadError (the caller's transaction then rolls back).
 */
export async function insertDataFile(tx: Database, deps: UploadDeps, f: NewDataFile): Promise<CommittedFile> {
  const nowIso = new Date().toISOString();
  const check = f.checkName;
  const [state] = await tx
    .update(organisations)
    .set({ usedBytes: sql`${organisations.usedBytes} + ${f.size}` })
    .where(eq(organisations.id, f.orgId))
    .returning({
      used: organisations.usedBytes,
      quotaBytes: organisations.quotaBytes,
      dups: sql<
        { id: string; name: string }[]
      >`(select coalesce(json_agg(json_build_object('id', d.id, 'name', d.name)), '[]'::json) from (select ${dataFiles.id} as id, ${dataFiles.name} as name from ${dataFiles} where ${dataFiles.orgId} = ${f.orgId} and ${dataFiles.sha256} = ${f.sha256} limit 10) d)`,
      existing:
        check === undefined
          ? sql<null>`null`
          : sql<{
              id: string;
              sha256: string;
            } | null>`(select json_build_object('id', ${dataFiles.id}, 'sha256', ${dataFiles.sha256}) from ${dataFiles} where ${dataFiles.datasetId} = ${f.datasetId} and ${dataFiles.name} = ${f.name})`,
      running:
        check === undefined
          ? sql<null>`null`
          : sql<{
              id: string;
              userId: string | null;
            } | null>`(select json_build_object('id', ${uploads.id}, 'userId', ${uploads.userId}) from ${uploads} where ${uploads.datasetId} = ${f.datasetId} and ${uploads.name} = ${f.name} and ${uploads.expiresAt} > ${nowIso} limit 1)`,
      reserved:
        check === undefined
          ? sql<string>`0`
          : sql<string>`(select coalesce(sum(${uploads.size}), 0) from ${uploads} where ${uploads.orgId} = ${f.orgId} and ${uploads.expiresAt} > ${nowIso})`,
    });
  if (state === undefined) throw new UploadError("NOT_FOUND", "the portal no longer exists");
  if (check !== undefined) {
    if (state.existing !== null) {
      throw nameTaken(f.name, check.datasetName, state.existing, check.expectedSha256);
    }
    if (state.running !== null) throw nameInProgress(f.name, check.datasetName, state.running, f.userId);
  }
  const quota = quotaOf(deps, state);
  const reserved = Number(state.reserved ?? 0);
  if (quota !== null && state.used + reserved > quota) {
    throw new UploadError(
      "QUOTA_EXCEEDED",
      `quota exceeded: "${f.name}" (${formatBytes(f.size)}) does not fit in this portal's quota of ${formatBytes(quota)}${reserved > 0 ? ` (${formatBytes(reserved)} reserved by uploads in progress)` : ""}; nothing was stored`,
      { status: f.quotaStatus },
    );
  }
  const { inspection } = f;
  const warnings = [...inspection.warnings];
  const fits = inspection.fits;
  const dups = state.dups ?? [];
  if (dups.length > 0) {
    warnings.push(`same content as ${dups.map((d) => `"${d.name}" (${d.id})`).join(", ")}`);
  }
  let nightLogId: string | null = null;
  if (fits !== null) {
    const night = await attachNightLog(tx, {
      orgId: f.orgId,
      datasetId: f.datasetId,
      telescope: fits.telescope,
      dateObs: fits.dateObs,
    });
    if (night.nightLogId === null) warnings.push(night.reason);
    nightLogId = night.nightLogId;
  }
  await tx.insert(dataFiles).values({
    id: f.id,
    orgId: f.orgId,
    datasetId: f.datasetId,
    name: f.name,
    size: f.size,
    sha256: f.sha256,
    storageKey: f.key,
    format: inspection.format,
    headers: fits?.headers ?? [],
    keywords: fits?.keywords ?? {},
    object: fits?.object ?? null,
    ra: fits?.ra ?? null,
    dec: fits?.dec ?? null,
    healpix29: fits?.healpix29 ?? null,
    footprint: fits?.footprint ?? null,
    radiusDeg: fits?.radiusDeg ?? null,
    dateObs: fits?.dateObs ?? null,
    exptime: fits?.exptime ?? null,
    filter: fits?.filter ?? null,
    instrument: fits?.instrument ?? null,
    telescope: fits?.telescope ?? null,
    imageType: fits?.imageType ?? null,
    frameType: inspection.frameType,
    airmass: fits?.airmass ?? null,
    nightLogId,
    warnings,
    uploadedBy: f.userId,
  });
  return {
    fileId: f.id,
    datasetId: f.datasetId,
    name: f.name,
    size: f.size,
    sha256: f.sha256,
    format: inspection.format,
    warnings,
    duplicateOf: dups.map((d) => d.id),
  };
}

/** 409: the name is taken in the dataset (`sameContent` when the announced sha256 is the file's). */
export function nameTaken(
  name: string,
  datasetName: string,
  existing: { id: string; sha256: string },
  expected: string | undefined,
): UploadError {
  const same = expected !== undefined && existing.sha256 === expected;
  return new UploadError(
    "CONFLICT",
    same
      ? `"${name}" is already in dataset "${datasetName}" with the same sha256 (file ${existing.id}); nothing to upload`
      : `a file named "${name}" already exists in dataset "${datasetName}" (file ${existing.id}); delete it or choose another name`,
    { details: { fileId: existing.id, sameContent: same } },
  );
}

/** 409: an upload of the name is in progress (its id is given to its own uploader, to resume). */
export function nameInProgress(
  name: string,
  datasetName: string,
  running: { id: string; userId: string | null },
  userId: string | null,
): UploadError {
  const mine = running.userId !== null && running.userId === userId;
  return new UploadError(
    "CONFLICT",
    `an upload of "${name}" into dataset "${datasetName}" is already in progress${mine ? ` (upload ${running.id}: resume it)` : ""}`,
    { details: mine ? { uploadId: running.id } : {} },
  );
}

/** Terminate an upload (tus termination): its row and its blobs go. */
export async function terminateUpload(deps: UploadDeps, orgId: string, uploadId: string): Promise<void> {
  const row = await findUpload(deps, orgId, uploadId);
  if (writers.has(uploadId))
    throw new UploadError("LOCKED", `upload ${uploadId} is being written; retry when that request ends`);
  await deps.db.delete(uploads).where(eq(uploads.id, row.id));
  await deletePrefix(deps.storage, row.tempKey);
}

/**
 * Remove an upload that holds no byte (a creation-with-upload whose body failed before any was
 * kept), with any blob under its prefix; an upload that moved on is left alone.
 */
export async function abandonUpload(deps: UploadDeps, uploadId: string): Promise<void> {
  const gone = await deps.db
    .delete(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.offset, 0)))
    .returning({ tempKey: uploads.tempKey });
  for (const g of gone) await deletePrefix(deps.storage, g.tempKey);
}

/** Result of {@link cleanupUploads}. */
export interface UploadCleanup {
  /** Expired uploads removed. */
  readonly expired: number;
  /** Blobs removed that no upload or data file owned. */
  readonly orphanBlobs: number;
}

/**
 * Remove expired uploads (rows and blobs) and every blob under `uploads/` that neither a live
 * upload nor a data file owns (left by a crash between steps). Safe while uploads run: a blob is
 * owned by its upload row until the transaction that inserts its data file deletes that row.
 */
export async function cleanupUploads(
  deps: UploadDeps,
  options: { orgId?: string; now?: Date } = {},
): Promise<UploadCleanup> {
  const { db, storage } = deps;
  const now = options.now ?? new Date();
  const busy = [...writers];
  const expired = await db
    .delete(uploads)
    .where(
      and(
        lte(uploads.expiresAt, now),
        options.orgId === undefined ? sql`true` : eq(uploads.orgId, options.orgId),
        busy.length === 0 ? sql`true` : notInArray(uploads.id, busy),
      ),
    )
    .returning({ id: uploads.id, tempKey: uploads.tempKey });
  let orphanBlobs = 0;
  for (const e of expired) orphanBlobs += await deletePrefix(storage, e.tempKey);
  const groups = new Map<string, string[]>();
  for await (const o of storage.list(
    options.orgId === undefined ? "uploads/" : `uploads/${options.orgId}/`,
  )) {
    const id = uploadIdOfKey(o.key);
    if (id === null || writers.has(id) || o.modifiedAt.getTime() > now.getTime() - ORPHAN_GRACE_MS) continue;
    const list = groups.get(id) ?? [];
    list.push(o.key);
    groups.set(id, list);
  }
  for (const [id, keys] of groups) {
    const [live] = await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.id, id));
    if (live !== undefined) continue;
    const [file] = await db.select({ key: dataFiles.storageKey }).from(dataFiles).where(eq(dataFiles.id, id));
    for (const k of keys) {
      if (k === file?.key) continue;
      if (await storage.delete(k)) orphanBlobs++;
    }
  }
  await storage.cleanupTemp();
  return { expired: expired.length, orphanBlobs };
}

/** What {@link checkFiles} says about one file. */
export type FileCheck =
  | { name: string; status: "present"; fileId: string }
  | { name: string; status: "conflict"; fileId: string }
  | { name: string; status: "new"; duplicateOf: string[] };

/**
 * For each (name, sha256): already in the dataset with the same content (`present`), a different
 * file under that name (`conflict`), or `new` (with other files of the portal holding the same bytes).
 */
export async function checkFiles(
  db: Database,
  orgId: string,
  datasetName: string,
  files: readonly { name: string; sha256: string }[],
): Promise<FileCheck[]> {
  const [ds] = await db
    .select({ id: datasets.id })
    .from(datasets)
    .where(and(eq(datasets.orgId, orgId), sql`lower(${datasets.name}) = lower(${datasetName})`));
  const out: FileCheck[] = [];
  for (const f of files) {
    const sha = f.sha256.toLowerCase();
    if (ds !== undefined) {
      const [byName] = await db
        .select({ id: dataFiles.id, sha256: dataFiles.sha256 })
        .from(dataFiles)
        .where(and(eq(dataFiles.datasetId, ds.id), eq(dataFiles.name, f.name)));
      if (byName !== undefined) {
        out.push({ name: f.name, status: byName.sha256 === sha ? "present" : "conflict", fileId: byName.id });
        continue;
      }
    }
    const dups = await db
      .select({ id: dataFiles.id })
      .from(dataFiles)
      .where(and(eq(dataFiles.orgId, orgId), eq(dataFiles.sha256, sha)))
      .limit(10);
    out.push({ name: f.name, status: "new", duplicateOf: dups.map((d) => d.id) });
  }
  return out;
}

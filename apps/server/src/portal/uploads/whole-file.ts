/**
 * A small file sent whole in its creation request (tus creation-with-upload with Content-Length
 * equal to Upload-Length) is stored without an upload row: its bytes go to storage, are checked
 * and inspected, and ONE transaction checks the name (409) and the quota (413) under the name's
 * lock and inserts the data_files row. Nothing is visible before that commit; a failure deletes
 * the blob. A body cut short keeps the bytes that arrived as a resumable upload (its row is
 * created then), so the client can resume with HEAD and PATCH like any other upload.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import { inspectStoredFile } from "../ingest/inspect-file.js";
import { UploadError } from "./upload-errors.js";
import {
  type CommittedFile,
  createUpload,
  deletePrefix,
  insertDataFile,
  type NewUpload,
  partKey,
  prepareUpload,
  putArrived,
  type UploadDeps,
  type UploadRow,
  uploadPrefix,
  whileWriting,
} from "./upload-store.js";

/** Largest file stored this way; larger ones get an upload row before their bytes. */
export const WHOLE_FILE_MAX_BYTES = 16 * 1024 * 1024;

/** Result of {@link storeWholeFile}: the file, or the resumable upload a cut body left. */
export interface WholeFileResult {
  readonly id: string;
  readonly offset: number;
  readonly file: CommittedFile | null;
  readonly upload: UploadRow | null;
}

/** Store `body` (announced as the whole file of `input.size` bytes) as one file. */
export async function storeWholeFile(
  deps: UploadDeps,
  input: NewUpload,
  body: AsyncIterable<Uint8Array>,
  options: {
    checksumHex?: string;
    onCommit?: (tx: Database, file: CommittedFile) => Promise<void>;
  } = {},
): Promise<WholeFileResult> {
  const prepared = await prepareUpload(deps, input);
  const { name, expected, dataset } = prepared;
  const id = crypto.randomUUID();
  const prefix = uploadPrefix(input.orgId, id);
  const key = partKey(prefix, 0);
  const { db, storage } = deps;
  return whileWriting(id, async () => {
    const { put, interrupted } = await putArrived(storage, key, body, input.size);
    const drop = async (err: UploadError): Promise<never> => {
      await deletePrefix(storage, prefix);
      throw err;
    };
    if (put.size < input.size) {
      if (options.checksumHex !== undefined || put.size === 0 || !interrupted) {
        return drop(
          new UploadError(
            interrupted ? "CHECKSUM_MISMATCH" : "BAD_REQUEST",
            interrupted
              ? "the body was interrupted, so its Upload-Checksum cannot hold; nothing was kept"
              : `the body ended after ${put.size} of ${input.size} bytes`,
          ),
        );
      }
      // Cut short: keep what arrived as an upload to resume (its row checks name and quota).
      try {
        const upload = await createUpload(deps, input, { prepared, id, offset: put.size });
        return { id, offset: put.size, file: null, upload };
      } catch (err) {
        await deletePrefix(storage, prefix);
        throw err;
      }
    }
    if (options.checksumHex !== undefined && put.sha256 !== options.checksumHex) {
      return drop(
        new UploadError(
          "CHECKSUM_MISMATCH",
          `Upload-Checksum mismatch: the body's sha256 is ${put.sha256}, the header says ${options.checksumHex}; nothing was stored`,
        ),
      );
    }
    if (expected !== undefined && put.sha256 !== expected) {
      return drop(
        new UploadError(
          "CHECKSUM_MISMATCH",
          `"${name}": the bytes received have sha256 ${put.sha256} but the upload announced ${expected}; nothing was stored`,
        ),
      );
    }
    const inspection = await inspectStoredFile(storage, key, name);
    try {
      const file = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${dataset.id}/${name}`}))`);
        const committed = await insertDataFile(tx as unknown as Database, deps, {
          id,
          orgId: input.orgId,
          datasetId: dataset.id,
          name,
          size: put.size,
          sha256: put.sha256,
          key,
          userId: input.userId,
          inspection,
          quotaStatus: 413,
          checkName: { datasetName: dataset.name, expectedSha256: expected },
        });
        if (options.onCommit !== undefined) await options.onCommit(tx as unknown as Database, committed);
        return committed;
      });
      return { id, offset: put.size, file, upload: null };
    } catch (err) {
      if (err instanceof UploadError) return drop(err);
      if (isUniqueViolation(err)) {
        return drop(
          new UploadError(
            "CONFLICT",
            `a file named "${name}" was added to the dataset meanwhile; nothing was stored`,
          ),
        );
      }
      await deletePrefix(storage, prefix);
      throw err;
    }
  });
}

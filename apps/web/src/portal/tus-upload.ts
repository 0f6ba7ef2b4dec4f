/**
 * A small tus 1.0.0 client (creation, checksum-free PATCHes, resume by HEAD) for the portal's
 * `/api/portals/:org/uploads` (docs/portal.md "Uploads"), with several files in flight at once.
 * Every file's sha256 is computed first (streamed) and announced, so the server refuses a file
 * that arrived different. XMLHttpRequest gives upload progress, which fetch does not. An upload's URL is remembered in
 * localStorage under the file's name, size and modification time, so a reload or a cut connection
 * resumes from the server's `Upload-Offset` instead of starting again.
 */
import { ApiError } from "../api-error.js";
import { portalUrl } from "./portal-api.js";
import { sha256OfBlob } from "./sha256.js";

const TUS = "1.0.0";
/** Bytes per PATCH: large enough for throughput, small enough that a cut costs little. */
const CHUNK = 8 * 1024 * 1024;
const RETRIES = 3;

export type UploadStatus = "queued" | "hashing" | "uploading" | "done" | "present" | "failed";

export interface UploadEntry {
  /** Path inside the dataset (folder names kept), e.g. `night1/bias/b001.fits`. */
  name: string;
  file: File;
}

export interface UploadProgress {
  name: string;
  size: number;
  sent: number;
  status: UploadStatus;
  message?: string;
  fileId?: string;
}

export interface UploadOptions {
  org: string;
  dataset: string;
  csrfToken: string | null;
  /** Files in flight at once. */
  parallel?: number;
  /** Called on every change with the whole list (same order as the entries). */
  onProgress(items: UploadProgress[]): void;
  signal?: AbortSignal;
}

function resumeKey(org: string, dataset: string, entry: UploadEntry): string {
  return `meridian-tus:${org}:${dataset}:${entry.name}:${entry.file.size}:${entry.file.lastModified}`;
}

function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

interface XhrAnswer {
  status: number;
  header(name: string): string | null;
  body: string;
}

/** One request by XMLHttpRequest, `onSent(bytes)` as the body goes out. */
function xhr(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Blob | null,
  onSent: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const req = new XMLHttpRequest();
    req.open(method, url);
    for (const [k, v] of Object.entries(headers)) req.setRequestHeader(k, v);
    req.upload.onprogress = (e) => onSent(e.loaded);
    req.onload = () =>
      resolve({ status: req.status, header: (n) => req.getResponseHeader(n), body: req.responseText });
    req.onerror = () => reject(new ApiError("NETWORK_ERROR", `connection lost during ${method} ${url}`, 0));
    req.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => req.abort(), { once: true });
    req.send(body);
  });
}

function answerError(a: XhrAnswer, what: string): ApiError & { details?: Record<string, unknown> } {
  try {
    const body = JSON.parse(a.body) as { code?: string; message?: string } & Record<string, unknown>;
    if (typeof body.code === "string" && typeof body.message === "string") {
      const err = new ApiError(body.code, body.message, a.status) as ApiError & {
        details?: Record<string, unknown>;
      };
      err.details = body;
      return err;
    }
  } catch {
    // described below
  }
  return new ApiError("BAD_RESPONSE", `${what}: HTTP ${a.status}`, a.status);
}

/** Upload `entries` into the dataset named `options.dataset`; resolves when every file has ended. */
export async function uploadAll(
  entries: readonly UploadEntry[],
  options: UploadOptions,
): Promise<UploadProgress[]> {
  const items: UploadProgress[] = entries.map((e) => ({
    name: e.name,
    size: e.file.size,
    sent: 0,
    status: "queued",
  }));
  let pending = false;
  const changed = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      options.onProgress(items.map((i) => ({ ...i })));
    });
  };
  const base = portalUrl(options.org, "/uploads");
  const auth: Record<string, string> = { "tus-resumable": TUS };
  if (options.csrfToken) auth["x-csrf-token"] = options.csrfToken;

  async function offsetOf(url: string): Promise<number | null> {
    const a = await xhr("HEAD", url, auth, null, () => {}, options.signal);
    if (a.status === 200 || a.status === 204) return Number(a.header("upload-offset"));
    return null;
  }

  async function create(entry: UploadEntry, item: UploadProgress): Promise<string | null> {
    item.status = "hashing";
    changed();
    // Streamed (one chunk in memory), announced, and checked by the server on the last byte.
    const sha = await sha256OfBlob(
      entry.file,
      (n) => {
        item.message = `${Math.floor((100 * n) / Math.max(1, entry.file.size))}%`;
        changed();
      },
      options.signal,
    );
    item.message = undefined;
    const meta = [`name ${b64(entry.name)}`, `dataset ${b64(options.dataset)}`, `sha256 ${b64(sha)}`];
    const a = await xhr(
      "POST",
      base,
      { ...auth, "upload-length": String(entry.file.size), "upload-metadata": meta.join(",") },
      null,
      () => {},
      options.signal,
    );
    if (a.status === 201) {
      const location = a.header("location");
      if (!location)
        throw new ApiError("BAD_RESPONSE", "the server created an upload without a Location", a.status);
      return new URL(location, window.location.href).pathname;
    }
    const err = answerError(a, `POST ${base}`);
    if (a.status === 409 && err.details?.sameContent === true) {
      item.status = "present";
      item.sent = item.size;
      item.message = "already in the dataset with the same content";
      item.fileId = typeof err.details.fileId === "string" ? err.details.fileId : undefined;
      return null;
    }
    if (a.status === 409 && typeof err.details?.uploadId === "string")
      return `${base}/${err.details.uploadId}`;
    throw err;
  }

  async function one(index: number): Promise<void> {
    const entry = entries[index] as UploadEntry;
    const item = items[index] as UploadProgress;
    const key = resumeKey(options.org, options.dataset, entry);
    try {
      let url = localStorage.getItem(key);
      let offset = url ? await offsetOf(url) : null;
      if (url === null || offset === null) {
        url = await create(entry, item);
        if (url === null) return;
        localStorage.setItem(key, url);
        offset = entry.file.size === 0 ? 0 : ((await offsetOf(url)) ?? 0);
      }
      item.status = "uploading";
      item.sent = offset;
      changed();
      let failures = 0;
      while (true) {
        // No per-PATCH Upload-Checksum: the server drops a body that fails it, so a cut body
        // would be lost instead of kept for the resume. The whole file's sha256 is checked instead.
        const body = entry.file.slice(offset, Math.min(entry.file.size, offset + CHUNK));
        const headers: Record<string, string> = {
          ...auth,
          "upload-offset": String(offset),
          "content-type": "application/offset+octet-stream",
        };
        let a: XhrAnswer;
        try {
          a = await xhr(
            "PATCH",
            url,
            headers,
            body,
            (bytes) => {
              item.sent = (offset as number) + bytes;
              changed();
            },
            options.signal,
          );
        } catch (err) {
          if (!(err instanceof ApiError) || ++failures > RETRIES) throw err;
          await new Promise((r) => setTimeout(r, 500 * failures));
          offset = (await offsetOf(url)) ?? offset;
          continue;
        }
        if (a.status === 409 && a.header("upload-offset") !== null) {
          offset = Number(a.header("upload-offset"));
          continue;
        }
        if (a.status !== 204) throw answerError(a, `PATCH ${url}`);
        offset = Number(a.header("upload-offset"));
        item.sent = offset;
        const fileId = a.header("meridian-file-id");
        if (fileId !== null || offset >= entry.file.size) {
          item.fileId = fileId ?? undefined;
          const dup = a.header("meridian-duplicate-of");
          if (dup) item.message = `same content as ${dup.split(",").length} stored file(s)`;
          item.status = "done";
          localStorage.removeItem(key);
          return;
        }
        changed();
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") {
        item.status = "failed";
        item.message = "stopped; start again to resume";
      } else {
        item.status = "failed";
        item.message = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err);
      }
    } finally {
      changed();
    }
  }

  let next = 0;
  const workers = Array.from({ length: Math.min(options.parallel ?? 4, entries.length) }, async () => {
    while (next < entries.length && !options.signal?.aborted) await one(next++);
  });
  await Promise.all(workers);
  options.onProgress(items.map((i) => ({ ...i })));
  return items;
}

/** Every file under dropped items, folders walked (paths keep their folder names). */
export async function droppedEntries(transfer: DataTransfer): Promise<UploadEntry[]> {
  const roots = [...transfer.items]
    .filter((i) => i.kind === "file")
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (roots.length === 0) return [...transfer.files].map((file) => ({ name: file.name, file }));
  const out: UploadEntry[] = [];
  async function walk(entry: FileSystemEntry, prefix: string): Promise<void> {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ name: prefix + entry.name, file });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches; an empty batch ends the folder.
    while (true) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  }
  for (const root of roots) await walk(root, "");
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Files from an `<input type=file>` (with `webkitdirectory`, paths relative to the chosen folder). */
export function pickedEntries(files: FileList): UploadEntry[] {
  return [...files]
    .map((file) => ({ name: file.webkitRelativePath || file.name, file }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

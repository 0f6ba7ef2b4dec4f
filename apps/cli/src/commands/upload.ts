/**
 * `meridian upload DIR --dataset NAME [--portal SLUG]`: send a folder to a portal with the tus
 * protocol, several files at a time. Files are hashed first (sha256, streamed); those already in
 * the dataset with the same checksum are skipped; uploads left unfinished by an earlier run (the
 * server lists them) resume from the server's offset; cut connections are retried from there.
 * Also the portal connection settings shared with `meridian packages`.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { formatBytes } from "@meridian/server";
import { type Command, InvalidArgumentError } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";
import { cliConfigPath } from "./login.js";

/** Where and as whom to talk to a server. */
export interface PortalConnection {
  readonly server: string;
  readonly apiKey: string | undefined;
  readonly portal: string | undefined;
}

/** A failed API call: the server's code and message, and the HTTP status. */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "PortalApiError";
  }
}

/**
 * The login settings `meridian login` saves in `$XDG_CONFIG_HOME/meridian/config.json` (default
 * `~/.config/meridian/config.json`): `{ "server": URL, "apiKey": secret, "portal": slug }`.
 * MERIDIAN_SERVER, MERIDIAN_API_KEY and MERIDIAN_PORTAL override them; options override both.
 */
export async function portalConnection(options: {
  server?: string;
  portal?: string;
}): Promise<PortalConnection> {
  let saved: Record<string, unknown> = {};
  try {
    saved = JSON.parse(await readFile(cliConfigPath(), "utf8")) as Record<string, unknown>;
  } catch {
    saved = {};
  }
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const server = options.server ?? process.env.MERIDIAN_SERVER ?? str(saved.server) ?? str(saved.url);
  if (server === undefined) {
    throw new UsageError(
      "no server: run `meridian login URL` first, or pass --server URL (or set MERIDIAN_SERVER)",
    );
  }
  return {
    server: server.replace(/\/+$/, ""),
    apiKey: process.env.MERIDIAN_API_KEY ?? str(saved.apiKey) ?? str(saved.token),
    portal: options.portal ?? process.env.MERIDIAN_PORTAL ?? str(saved.portal),
  };
}

/** The portal slug to use, or a usage error. */
export function requirePortal(c: PortalConnection): string {
  if (c.portal === undefined)
    throw new UsageError("which portal? pass --portal SLUG (or log in with a default portal)");
  return c.portal;
}

/** Headers for a request. */
export function authHeaders(c: PortalConnection): Record<string, string> {
  return c.apiKey === undefined ? {} : { authorization: `Bearer ${c.apiKey}` };
}

/** Turn a non-2xx response into a {@link PortalApiError} with the server's message. */
export async function apiError(res: Response, what: string): Promise<PortalApiError> {
  let code = `HTTP_${res.status}`;
  let message = `${what}: HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { code?: string; message?: string };
    if (body.code) code = body.code;
    if (body.message) message = `${what}: ${body.message}`;
  } catch {
    // not JSON
  }
  return new PortalApiError(res.status, code, message);
}

/** A JSON API call. */
export async function callJson<T>(
  c: PortalConnection,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${c.server}${path}`, {
    method,
    headers: { ...authHeaders(c), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw await apiError(res, `${method} ${path}`);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** A file to send. */
interface LocalFile {
  readonly path: string;
  /** Path within the dataset: relative to DIR, `/`-separated. */
  readonly name: string;
  readonly size: number;
  sha256: string;
}

async function walk(dir: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const visit = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await visit(p);
      else if (e.isFile()) {
        out.push({
          path: p,
          name: relative(dir, p).split(sep).join("/"),
          size: (await stat(p)).size,
          sha256: "",
        });
      }
    }
  };
  await visit(dir);
  return out;
}

async function sha256File(path: string, onBytes: (n: number) => void): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    onBytes((chunk as Buffer).length);
  }
  return h.digest("hex");
}

/** Run `work` over `items` with at most `jobs` at once. */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** A one-line progress bar on stderr (redrawn on a terminal, a line every few seconds otherwise). */
export class ProgressBar {
  #last = 0;
  readonly #start = Date.now();
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly quiet = false,
  ) {}
  done = 0;
  files = 0;
  update(extra = "", force = false): void {
    if (this.quiet) return;
    const now = Date.now();
    const tty = process.stderr.isTTY === true;
    if (!force && now - this.#last < (tty ? 150 : 5000)) return;
    this.#last = now;
    const frac = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const width = 30;
    const filled = Math.round(frac * width);
    const rate = this.done / Math.max(0.001, (now - this.#start) / 1000);
    const line = `${this.label} [${"=".repeat(filled)}${" ".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${formatBytes(this.done)}/${formatBytes(this.total)} ${formatBytes(rate)}/s ${extra}`;
    process.stderr.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
  }
  finish(extra = ""): void {
    this.update(extra, true);
    if (!this.quiet && process.stderr.isTTY === true) process.stderr.write("\n");
  }
}

const TUS = { "tus-resumable": "1.0.0" };

function metadataHeader(md: Record<string, string>): string {
  return Object.entries(md)
    .map(([k, v]) => `${k} ${Buffer.from(v, "utf8").toString("base64")}`)
    .join(",");
}

/** Result of sending one file. */
export interface SentFile {
  readonly name: string;
  readonly status: "uploaded" | "skipped" | "failed";
  readonly fileId?: string;
  readonly message?: string;
}

/** An upload the server holds for this caller. */
interface ServerUpload {
  id: string;
  url: string;
  datasetId: string;
  name: string;
  size: number;
  offset: number;
  sha256: string | null;
}

async function headOffset(c: PortalConnection, url: string): Promise<number> {
  const res = await fetch(`${c.server}${url}`, { method: "HEAD", headers: { ...authHeaders(c), ...TUS } });
  if (!res.ok) throw new PortalApiError(res.status, `HTTP_${res.status}`, `HEAD ${url}: HTTP ${res.status}`);
  return Number(res.headers.get("upload-offset"));
}

/** Files up to this size are sent in the creation request itself (creation-with-upload). */
const CREATE_WITH_BODY_BYTES = 8 * 1024 * 1024;

/** The bytes of `file` from `offset` as a request body, counting bytes as they leave. */
function fileBody(file: LocalFile, offset: number, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  return Readable.toWeb(
    Readable.from(
      (async function* () {
        if (offset >= file.size) return;
        for await (const chunk of createReadStream(file.path, { start: offset, highWaterMark: 1 << 20 })) {
          onBytes((chunk as Buffer).length);
          yield chunk as Buffer;
        }
      })(),
    ),
  ) as ReadableStream<Uint8Array>;
}

/** Send `file` from `offset` in one PATCH, counting bytes as they leave. */
async function patchFrom(
  c: PortalConnection,
  url: string,
  file: LocalFile,
  offset: number,
  onBytes: (n: number) => void,
): Promise<Response> {
  const body = fileBody(file, offset, onBytes);
  return fetch(`${c.server}${url}`, {
    method: "PATCH",
    headers: {
      ...authHeaders(c),
      ...TUS,
      "upload-offset": String(offset),
      "content-type": "application/offset+octet-stream",
      "content-length": String(file.size - offset),
    },
    body,
    duplex: "half",
  } as RequestInit);
}

/** Create (or resume) and send one file; retries cut connections from the server's offset. */
async function sendFile(
  c: PortalConnection,
  slug: string,
  dataset: string,
  file: LocalFile,
  resumable: ServerUpload | undefined,
  onBytes: (n: number) => void,
): Promise<SentFile> {
  let url = resumable?.url;
  let offset = resumable?.offset ?? 0;
  if (url === undefined) {
    // Small files go whole in the creation request (tus creation-with-upload): one round trip.
    const withBody = file.size > 0 && file.size <= CREATE_WITH_BODY_BYTES;
    let res: Response | undefined;
    let sent = 0;
    for (let attempt = 0; res === undefined; attempt++) {
      sent = 0;
      try {
        res = await fetch(`${c.server}/api/portals/${slug}/uploads`, {
          method: "POST",
          headers: {
            ...authHeaders(c),
            ...TUS,
            "upload-length": String(file.size),
            "upload-metadata": metadataHeader({ name: file.name, dataset, sha256: file.sha256 }),
            ...(withBody
              ? { "content-type": "application/offset+octet-stream", "content-length": String(file.size) }
              : {}),
          },
          ...(withBody
            ? {
                body: fileBody(file, 0, (n) => {
                  sent += n;
                  onBytes(n);
                }),
                duplex: "half",
              }
            : {}),
        } as RequestInit);
      } catch (err) {
        onBytes(-sent);
        if (attempt >= 5) {
          return {
            name: file.name,
            status: "failed",
            message: `upload ${file.name}: ${(err as Error).message}`,
          };
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
    if (res.status === 409) {
      const body = (await res.json()) as {
        message?: string;
        sameContent?: boolean;
        fileId?: string;
        uploadId?: string;
      };
      if (body.sameContent === true) {
        return {
          name: file.name,
          status: "skipped",
          ...(body.fileId ? { fileId: body.fileId } : {}),
          message: "already uploaded",
        };
      }
      // Our own upload of this file is in progress (a cut creation kept some bytes): resume it.
      if (body.uploadId === undefined) {
        return { name: file.name, status: "failed", message: body.message ?? "conflict" };
      }
      url = `/api/portals/${slug}/uploads/${body.uploadId}`;
      offset = await headOffset(c, url);
      onBytes(offset - sent);
    } else {
      if (res.status !== 201) throw await apiError(res, `upload ${file.name}`);
      const fileId = res.headers.get("meridian-file-id");
      if (fileId !== null) return { name: file.name, status: "uploaded", fileId };
      url = res.headers.get("location") ?? undefined;
      if (url === undefined) throw new Error(`upload ${file.name}: the server sent no Location`);
      offset = Number(res.headers.get("upload-offset") ?? "0");
      onBytes(offset - sent);
    }
  }
  if (resumable !== undefined) onBytes(offset);
  for (let attempt = 0; ; attempt++) {
    let sent = 0;
    try {
      const res = await patchFrom(c, url, file, offset, (n) => {
        sent += n;
        onBytes(n);
      });
      if (res.status === 204) {
        const fileId = res.headers.get("meridian-file-id");
        if (fileId !== null) return { name: file.name, status: "uploaded", fileId };
      } else if (res.status !== 409 && res.status !== 423) {
        const err = await apiError(res, `upload ${file.name}`);
        return { name: file.name, status: "failed", message: err.message };
      }
    } catch (err) {
      if (attempt >= 5)
        return {
          name: file.name,
          status: "failed",
          message: `upload ${file.name}: ${(err as Error).message}`,
        };
    }
    if (attempt >= 5)
      return {
        name: file.name,
        status: "failed",
        message: `upload ${file.name}: gave up after ${attempt + 1} attempts`,
      };
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    onBytes(-sent);
    const confirmed = await headOffset(c, url);
    onBytes(confirmed - offset);
    offset = confirmed;
  }
}

/** Options of {@link uploadDirectory}. */
export interface UploadOptions {
  readonly dataset: string;
  readonly jobs: number;
  readonly quiet?: boolean;
}

/** Upload every file under `dir` into `dataset`; returns one result per file. */
export async function uploadDirectory(
  c: PortalConnection,
  slug: string,
  dir: string,
  options: UploadOptions,
): Promise<SentFile[]> {
  const root = resolve(dir);
  const st = await stat(root).catch(() => null);
  if (st === null || !st.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const files = await walk(root);
  const total = files.reduce((n, f) => n + f.size, 0);
  const hashing = new ProgressBar("hashing  ", total, options.quiet);
  await pool(files, options.jobs, async (f) => {
    f.sha256 = await sha256File(f.path, (n) => {
      hashing.done += n;
      hashing.update();
    });
  });
  hashing.finish(`${files.length} files`);
  const present = new Set<string>();
  const failed: SentFile[] = [];
  for (let i = 0; i < files.length; i += 1000) {
    const batch = files.slice(i, i + 1000);
    const { files: checks } = await callJson<{ files: { name: string; status: string; fileId?: string }[] }>(
      c,
      "POST",
      `/api/portals/${slug}/uploads/check`,
      { dataset: options.dataset, files: batch.map((f) => ({ name: f.name, sha256: f.sha256 })) },
    );
    for (const ch of checks) {
      if (ch.status === "present") present.add(ch.name);
      if (ch.status === "conflict") {
        failed.push({
          name: ch.name,
          status: "failed",
          message: `a different file named "${ch.name}" is already in dataset "${options.dataset}"`,
        });
      }
    }
  }
  const { uploads } = await callJson<{ uploads: ServerUpload[] }>(c, "GET", `/api/portals/${slug}/uploads`);
  const results: SentFile[] = [...failed];
  for (const name of present) results.push({ name, status: "skipped", message: "already uploaded" });
  const todo = files.filter((f) => !present.has(f.name) && !failed.some((x) => x.name === f.name));
  const sending = new ProgressBar(
    "uploading",
    todo.reduce((n, f) => n + f.size, 0),
    options.quiet,
  );
  let finished = 0;
  await pool(todo, options.jobs, async (f) => {
    const resumable = uploads.find((u) => u.name === f.name && u.size === f.size && u.sha256 === f.sha256);
    const r = await sendFile(c, slug, options.dataset, f, resumable, (n) => {
      sending.done += n;
      sending.update(`${finished}/${todo.length} files`);
    });
    finished++;
    results.push(r);
    sending.update(`${finished}/${todo.length} files`);
  });
  sending.finish(`${finished}/${todo.length} files`);
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("a whole number from 1 to 64");
  return n;
}

/** Register `meridian upload`. */
export function registerUploadCommands(program: Command): void {
  program
    .command("upload")
    .description(
      "upload a folder into a dataset of a portal (parallel, resumable, skips files already there)",
    )
    .argument("<dir>", "folder to upload (sub-folders become part of the file names)")
    .requiredOption("--dataset <name>", "dataset to upload into (created when missing)")
    .option("--portal <slug>", "portal (default: the one saved by `meridian login`)")
    .option("--server <url>", "server URL (default: the one saved by `meridian login`)")
    .option("-j, --jobs <n>", "files sent at once", positiveInt, 4)
    .option("--json", "print the result of every file as JSON")
    .action(
      async (
        dir: string,
        options: { dataset: string; portal?: string; server?: string; jobs: number; json?: boolean },
      ) => {
        const c = await portalConnection(options);
        const slug = requirePortal(c);
        const results = await uploadDirectory(c, slug, dir, {
          dataset: options.dataset,
          jobs: options.jobs,
          quiet: options.json === true,
        });
        const count = (s: SentFile["status"]) => results.filter((r) => r.status === s).length;
        if (options.json) printJson({ files: results });
        else {
          for (const r of results) if (r.status === "failed") process.stderr.write(`failed: ${r.message}\n`);
          process.stdout.write(
            `${count("uploaded")} uploaded, ${count("skipped")} already there, ${count("failed")} failed\n`,
          );
        }
        if (count("failed") > 0)
          throw new PortalApiError(
            0,
            "UPLOAD_FAILED",
            `${count("failed")} of ${results.length} files failed`,
          );
      },
    );
}

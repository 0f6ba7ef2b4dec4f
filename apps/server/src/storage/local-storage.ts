/**
 * {@link Storage} on a local directory. Writes stream into `<root>/.meridian-tmp/`, are hashed on
 * the way, fsynced, and renamed into place (rename(2) is atomic within one file system), then the
 * directory is fsynced so the new name survives a crash. Keys are confined to the root: text
 * checks in `validateKey`, and on disk every directory on the way is checked so that a symlink
 * cannot lead out of the store; an object that is itself a symlink is never followed.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Dirent, Stats } from "node:fs";
import { constants } from "node:fs";
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
} from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { StorageError, type StorageErrorCode } from "./errors.js";
import type {
  ByteRange,
  ByteSource,
  CleanupOptions,
  CleanupResult,
  ObjectInfo,
  PutOptions,
  PutResult,
  Storage,
} from "./storage.js";
import { TEMP_DIR_NAME, validateKey, validatePrefix } from "./storage-key.js";

/** Small chunks are gathered into a buffer this large before each write(2). */
const STAGE_BYTES = 1024 * 1024;
/** Chunks at least this large are written directly. */
const DIRECT_BYTES = 256 * 1024;
/** Default age after which {@link LocalStorage.cleanupTemp} removes any temporary file. */
const DEFAULT_STALE_MS = 60 * 60 * 1000;
/** Tags temporary files with the host so that only same-host writers are checked by process id. */
const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
const TEMP_NAME = /^([0-9a-f]{8})-(\d+)-[0-9a-f]+\.part$/;

/** A {@link Storage} keeping each object as one file under `rootDir`. */
export class LocalStorage implements Storage {
  /** Absolute root directory as given (it is created on first use). */
  readonly root: string;
  #ready: Promise<{ realRoot: string; tempDir: string }> | undefined;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
  }

  async put(key: string, source: ByteSource, options: PutOptions = {}): Promise<PutResult> {
    const segments = validateKey(key);
    const expectedSha256 = checkPutOptions(key, options);
    if (!isAsyncIterable(source)) {
      throw new StorageError("INVALID_ARGUMENT", `put ${key}: the source is not an async iterable of bytes`, {
        key,
      });
    }
    const { tempDir } = await this.#init();
    const dirSegments = segments.slice(0, -1);
    const name = segments[segments.length - 1]!;
    // Fail before reading any byte when the key's directories lead out of the store or clash.
    await this.#resolveDir(key, dirSegments, false);

    const tempPath = join(tempDir, `${HOST_TAG}-${process.pid}-${randomBytes(8).toString("hex")}.part`);
    const iterator = source[Symbol.asyncIterator]();
    let handle: FileHandle | undefined;
    let sourceDone = false;
    try {
      handle = await open(tempPath, "wx", 0o644);
      const hash = createHash("sha256");
      const stage = Buffer.allocUnsafe(STAGE_BYTES);
      let staged = 0;
      let size = 0;
      for (;;) {
        let step: IteratorResult<unknown>;
        try {
          step = await iterator.next();
        } catch (cause) {
          sourceDone = true;
          throw new StorageError("SOURCE_FAILED", `put ${key}: the source failed after ${size} bytes`, {
            key,
            cause,
          });
        }
        if (step.done === true) {
          sourceDone = true;
          break;
        }
        const chunk = step.value;
        if (!(chunk instanceof Uint8Array)) {
          throw new StorageError(
            "INVALID_ARGUMENT",
            `put ${key}: the source yielded a ${typeof chunk} at byte ${size}, expected Uint8Array chunks`,
            { key },
          );
        }
        size += chunk.byteLength;
        if (options.maxBytes !== undefined && size > options.maxBytes) {
          throw new StorageError("TOO_LARGE", `put ${key}: more than the allowed ${options.maxBytes} bytes`, {
            key,
          });
        }
        if (options.expectedSize !== undefined && size > options.expectedSize) {
          throw new StorageError(
            "SIZE_MISMATCH",
            `put ${key}: more than the expected ${options.expectedSize} bytes`,
            { key },
          );
        }
        hash.update(chunk);
        if (chunk.byteLength >= DIRECT_BYTES || staged + chunk.byteLength > STAGE_BYTES) {
          await writeAll(handle, stage.subarray(0, staged));
          staged = 0;
        }
        if (chunk.byteLength >= DIRECT_BYTES) {
          await writeAll(handle, chunk);
        } else {
          // Copied now: a producer may reuse its buffer once we ask for the next chunk.
          stage.set(chunk, staged);
          staged += chunk.byteLength;
        }
      }
      await writeAll(handle, stage.subarray(0, staged));
      if (options.expectedSize !== undefined && size !== options.expectedSize) {
        throw new StorageError(
          "SIZE_MISMATCH",
          `put ${key}: got ${size} bytes, expected ${options.expectedSize}`,
          { key },
        );
      }
      const sha256 = hash.digest("hex");
      if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
        throw new StorageError(
          "CHECKSUM_MISMATCH",
          `put ${key}: sha256 of the ${size} bytes received is ${sha256}, expected ${expectedSha256}`,
          { key },
        );
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      await this.#commit(key, tempPath, dirSegments, name);
      return { key, size, sha256 };
    } catch (err) {
      await handle?.close().catch(() => {});
      await rm(tempPath, { force: true }).catch(() => {});
      // Stop the producer (a Readable is destroyed) when we gave up before it ended.
      if (!sourceDone) await Promise.resolve(iterator.return?.()).catch(() => {});
      throw toStorageError(err, key, "put");
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const segments = validateKey(key);
    if (range !== undefined) checkRangeShape(key, range);
    await this.#init();
    const dir = await this.#resolveDir(key, segments.slice(0, -1), false);
    if (dir === null) throw notFound(key);
    const path = join(dir.path, segments[segments.length - 1]!);
    let handle: FileHandle;
    try {
      // O_NOFOLLOW: an object that is a symlink is refused; O_NONBLOCK: a FIFO cannot hang us.
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      throw toStorageError(err, key, "get");
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw notFound(key);
      const start = range?.start ?? 0;
      const end = range?.end ?? info.size - 1;
      if (range !== undefined && (start >= info.size || end >= info.size)) {
        throw new StorageError(
          "RANGE_NOT_SATISFIABLE",
          `get ${key}: bytes ${start}-${range.end ?? ""} lie outside the object of ${info.size} bytes`,
          { key, size: info.size },
        );
      }
      return handle.createReadStream(
        range === undefined ? { autoClose: true } : { start, end, autoClose: true },
      );
    } catch (err) {
      await handle.close().catch(() => {});
      throw toStorageError(err, key, "get");
    }
  }

  async stat(key: string): Promise<ObjectInfo> {
    const info = await this.#lstatObject(key);
    if (info === null) throw notFound(key);
    return { key, size: info.size, modifiedAt: info.mtime };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#lstatObject(key)) !== null;
  }

  async delete(key: string): Promise<boolean> {
    const segments = validateKey(key);
    await this.#init();
    const dir = await this.#resolveDir(key, segments.slice(0, -1), false);
    if (dir === null) return false;
    const path = join(dir.path, segments[segments.length - 1]!);
    const info = await this.#lstatPath(key, path);
    if (info === null) return false;
    try {
      await rm(path);
    } catch (err) {
      if (errno(err) === "ENOENT") return false;
      throw toStorageError(err, key, "delete");
    }
    await this.#pruneEmptyDirs(dir.path);
    return true;
  }

  async *list(prefix = ""): AsyncIterable<ObjectInfo> {
    const { dir, rest } = validatePrefix(prefix);
    await this.#init();
    const base = await this.#resolveDir(prefix, dir, false);
    if (base === null) return;
    yield* this.#walk(base.path, dir.join("/"), rest);
  }

  async cleanupTemp(options: CleanupOptions = {}): Promise<CleanupResult> {
    const { tempDir } = await this.#init();
    const olderThanMs = options.olderThanMs ?? DEFAULT_STALE_MS;
    let names: string[];
    try {
      names = await readdir(tempDir);
    } catch (err) {
      throw toStorageError(err, undefined, "cleanupTemp");
    }
    const now = Date.now();
    let removed = 0;
    for (const name of names) {
      const path = join(tempDir, name);
      let info: Stats;
      try {
        info = await lstat(path);
      } catch {
        continue; // finished or removed meanwhile
      }
      const match = TEMP_NAME.exec(name);
      const writerDead = match !== null && match[1] === HOST_TAG && !processAlive(Number(match[2]));
      if (writerDead || now - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true, recursive: true }).catch(() => {});
        removed++;
      }
    }
    return { removed };
  }

  /** Create the root and the temp directory once; remember the root's real path. */
  #init(): Promise<{ realRoot: string; tempDir: string }> {
    this.#ready ??= (async () => {
      try {
        await mkdir(this.root, { recursive: true });
        const realRoot = await realpath(this.root);
        const tempDir = join(realRoot, TEMP_DIR_NAME);
        await mkdir(tempDir, { recursive: true });
        if (!(await lstat(tempDir)).isDirectory()) {
          throw new StorageError("IO_ERROR", `storage ${this.root}: ${TEMP_DIR_NAME} is not a directory`);
        }
        return { realRoot, tempDir };
      } catch (err) {
        this.#ready = undefined;
        throw toStorageError(err, undefined, "open");
      }
    })();
    return this.#ready;
  }

  /**
   * Walk `segments` down from the root, checking that each step is a directory inside the store
   * (a symlinked directory is allowed only when its real path is inside the root). Returns null
   * when a directory is missing and `create` is false; `created` lists directories made here.
   */
  async #resolveDir(
    key: string,
    segments: readonly string[],
    create: boolean,
  ): Promise<{ path: string; created: string[] } | null> {
    const { realRoot } = await this.#init();
    const inside = (path: string) => path === realRoot || path.startsWith(realRoot + sep);
    const created: string[] = [];
    let current = realRoot;
    try {
      for (const [index, segment] of segments.entries()) {
        const next = join(current, segment);
        let info: Stats;
        try {
          info = await lstat(next);
        } catch (err) {
          if (errno(err) !== "ENOENT" || !create) {
            if (errno(err) === "ENOENT") return null;
            throw err;
          }
          try {
            await mkdir(next);
            created.push(next);
          } catch (mkdirErr) {
            if (errno(mkdirErr) !== "EEXIST") throw mkdirErr;
          }
          info = await lstat(next);
        }
        const where = segments.slice(0, index + 1).join("/");
        if (info.isSymbolicLink()) {
          let real: string;
          try {
            real = await realpath(next);
          } catch (err) {
            throw new StorageError("INVALID_KEY", `${key}: '${where}' is a dangling symlink`, {
              key,
              cause: err,
            });
          }
          if (!inside(real)) {
            throw new StorageError(
              "INVALID_KEY",
              `${key}: '${where}' is a symlink leading out of the store`,
              {
                key,
              },
            );
          }
          if (!(await stat(real)).isDirectory()) throw conflict(key, where);
          current = real;
        } else if (info.isDirectory()) {
          current = next;
        } else {
          throw conflict(key, where);
        }
      }
      // A directory swapped for a symlink between the steps above is caught here.
      if (!inside(await realpath(current))) {
        throw new StorageError("INVALID_KEY", `${key}: its directory resolves outside the store`, { key });
      }
    } catch (err) {
      throw toStorageError(err, key, "resolve");
    }
    return { path: current, created };
  }

  /** Move a finished temp file into place and make the new directory entries durable. */
  async #commit(key: string, tempPath: string, dirSegments: string[], name: string): Promise<void> {
    // A concurrent delete may prune a directory we just made; retry a few times.
    for (let attempt = 0; ; attempt++) {
      const dir = await this.#resolveDir(key, dirSegments, true);
      if (dir === null) throw notFound(key);
      try {
        await rename(tempPath, join(dir.path, name));
      } catch (err) {
        const code = errno(err);
        if (code === "ENOENT" && attempt < 3) continue;
        if (code === "EISDIR" || code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR") {
          throw conflict(key, key);
        }
        throw err;
      }
      await fsyncDir(dir.path);
      for (const made of dir.created) await fsyncDir(dirname(made));
      return;
    }
  }

  /** lstat of the object under `key`: null when absent or a directory; symlinks are refused. */
  async #lstatObject(key: string): Promise<Stats | null> {
    const segments = validateKey(key);
    await this.#init();
    const dir = await this.#resolveDir(key, segments.slice(0, -1), false);
    if (dir === null) return null;
    return this.#lstatPath(key, join(dir.path, segments[segments.length - 1]!));
  }

  async #lstatPath(key: string, path: string): Promise<Stats | null> {
    let info: Stats;
    try {
      info = await lstat(path);
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return null;
      throw toStorageError(err, key, "stat");
    }
    if (info.isSymbolicLink()) {
      throw new StorageError(
        "INVALID_KEY",
        `${key}: the object is a symlink, which the store never follows`,
        {
          key,
        },
      );
    }
    return info.isFile() ? info : null;
  }

  /** Remove now-empty directories from `dir` up to (not including) the root. */
  async #pruneEmptyDirs(dir: string): Promise<void> {
    const { realRoot } = await this.#init();
    let current = dir;
    while (current !== realRoot && current.startsWith(realRoot + sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or gone): stop
      }
      current = dirname(current);
    }
  }

  async *#walk(absDir: string, keyDir: string, namePrefix: string): AsyncGenerator<ObjectInfo> {
    let entries: Dirent[];
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (err) {
      if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") return;
      throw toStorageError(err, keyDir, "list");
    }
    // Directories sort as "name/" so that the walk yields keys in plain code-unit order.
    const items = entries
      .filter((e) => (e.isFile() || e.isDirectory()) && e.name.startsWith(namePrefix))
      .filter((e) => !(keyDir === "" && e.name === TEMP_DIR_NAME))
      .map((e) => ({ entry: e, order: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    for (const { entry } of items) {
      const key = keyDir === "" ? entry.name : `${keyDir}/${entry.name}`;
      if (!isValidKey(key)) continue; // a file put there by hand that no key can name
      const path = join(absDir, entry.name);
      if (entry.isDirectory()) {
        yield* this.#walk(path, key, "");
        continue;
      }
      let info: Stats;
      try {
        info = await lstat(path);
      } catch {
        continue; // deleted meanwhile
      }
      if (info.isFile()) yield { key, size: info.size, modifiedAt: info.mtime };
    }
  }
}

function checkPutOptions(key: string, options: PutOptions): string | undefined {
  const bad = (what: string) =>
    new StorageError("INVALID_ARGUMENT", `put ${key}: ${what}`, {
      key,
    });
  for (const name of ["expectedSize", "maxBytes"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw bad(`${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  const sha = options.expectedSha256;
  if (sha === undefined) return undefined;
  if (typeof sha !== "string" || !/^[0-9a-fA-F]{64}$/.test(sha)) {
    throw bad("expectedSha256 must be 64 hexadecimal digits");
  }
  return sha.toLowerCase();
}

function checkRangeShape(key: string, range: ByteRange): void {
  const ok = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (
    typeof range !== "object" ||
    range === null ||
    !ok(range.start) ||
    (range.end !== undefined && !ok(range.end))
  ) {
    throw new StorageError(
      "INVALID_ARGUMENT",
      `get ${key}: a range needs non-negative integer start and end`,
      {
        key,
      },
    );
  }
  if (range.end !== undefined && range.end < range.start) {
    throw new StorageError(
      "RANGE_NOT_SATISFIABLE",
      `get ${key}: range end ${range.end} is before start ${range.start}`,
      {
        key,
      },
    );
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

function isValidKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** fsync a directory so that entries created or renamed in it survive a crash. */
async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
    if (errno(err) !== "EINVAL" && errno(err) !== "ENOTSUP") throw err;
  } finally {
    await handle.close();
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === "EPERM";
  }
}

function errno(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function notFound(key: string): StorageError<"NOT_FOUND"> {
  return new StorageError("NOT_FOUND", `no object stored under ${JSON.stringify(key)}`, { key });
}

function conflict(key: string, where: string): StorageError<"KEY_CONFLICT"> {
  return new StorageError(
    "KEY_CONFLICT",
    `${JSON.stringify(key)}: '${where}' is an object where a directory is needed, or a directory where an object is`,
    { key },
  );
}

const ERRNO_CODES: Record<string, StorageErrorCode> = {
  ENOENT: "NOT_FOUND",
  ENOTDIR: "NOT_FOUND",
  EISDIR: "KEY_CONFLICT",
  ELOOP: "INVALID_KEY",
  ENAMETOOLONG: "INVALID_KEY",
};

/** Keep tagged errors; turn system errors into tagged ones that name the key and the operation. */
function toStorageError(err: unknown, key: string | undefined, op: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = errno(err);
  const tag = (code === undefined ? undefined : ERRNO_CODES[code]) ?? "IO_ERROR";
  const what = key === undefined ? op : `${op} ${key}`;
  const message =
    tag === "INVALID_KEY" && code === "ELOOP"
      ? `${what}: the object is a symlink, which the store never follows`
      : `${what}: ${err instanceof Error ? err.message : String(err)}`;
  return new StorageError(tag, message, {
    cause: err,
    ...(key === undefined ? {} : { key }),
    ...(code === undefined ? {} : { errno: code }),
  });
}

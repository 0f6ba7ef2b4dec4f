/**
 * Directory listings in two phases, so that a directory of 10,000 files shows at once: names
 * (one readdir, kind from the name) and then details (size, time, kind from content) in batches.
 */
import type { Dirent } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { ServerError } from "../errors.js";
import { type FileKind, kindFromBytes, kindFromName } from "./file-kind.js";
import type { PathFilter } from "./glob.js";
import { safeSegments, type TreeRoot } from "./tree-root.js";
import { parentDir } from "./viewer-access.js";

/** One entry of the names phase. */
export interface NameEntry {
  /** Tree-relative path. */
  readonly path: string;
  readonly name: string;
  /** Kind from the name; "directory" for directories (refined to "casa-table" by details). */
  kind: FileKind;
}

/** One entry of the details phase. */
export interface DetailEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: FileKind;
}

export interface ListOptions {
  readonly recursive?: boolean;
  readonly filter?: PathFilter;
  /** Stop after this many entries (the answer says `truncated`). */
  readonly limit?: number;
}

export interface Listing {
  readonly path: string;
  readonly entries: NameEntry[];
  readonly truncated: boolean;
}

/** True when a directory listing shows a CASA table (casacore Note 260: `table.dat` + `table.f<i>`). */
export function isCasaTableListing(names: readonly string[]): boolean {
  return names.includes("table.dat") && names.some((n) => /^table\.f\d+/.test(n));
}

function joinRel(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** Classify a dirent; symlinks are followed only when they stay inside the tree, else null. */
async function direntKind(root: TreeRoot, dirReal: string, d: Dirent): Promise<"dir" | "file" | null> {
  if (d.isDirectory()) return "dir";
  if (d.isFile()) return "file";
  if (!d.isSymbolicLink()) return null;
  try {
    const real = await realpath(join(dirReal, d.name));
    if (!root.contains(real)) return null;
    return (await stat(real)).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

async function readDirents(dirReal: string): Promise<Dirent[]> {
  try {
    return await readdir(dirReal, { withFileTypes: true });
  } catch (err) {
    throw new ServerError("NOT_FOUND", `cannot list ${dirReal}`, { cause: err });
  }
}

/** Names phase: list `dirRel` (recursively when asked). */
export async function listNames(root: TreeRoot, dirRel: string, options: ListOptions = {}): Promise<Listing> {
  const start = await root.resolve(dirRel);
  const limit = options.limit ?? 200_000;
  const entries: NameEntry[] = [];
  const queue: { rel: string; real: string; entry: NameEntry | null }[] = [
    { rel: start.rel, real: start.real, entry: null },
  ];
  const prefix = start.rel === "" ? "" : `${start.rel}/`;
  let truncated = false;
  while (queue.length > 0 && !truncated) {
    const dir = queue.shift()!;
    const dirents = await readDirents(dir.real);
    if (dir.entry !== null && isCasaTableListing(dirents.map((d) => d.name))) {
      dir.entry.kind = "casa-table";
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const type = await direntKind(root, dir.real, d);
      if (type === null) continue;
      const rel = joinRel(dir.rel, d.name);
      const inner = rel.slice(prefix.length);
      if (type === "dir") {
        const entry: NameEntry = { path: rel, name: d.name, kind: "directory" };
        if (options.recursive) {
          // Symlinked directories are shown but not entered (no loops).
          if (d.isDirectory()) queue.push({ rel, real: join(dir.real, d.name), entry });
          // Directories show in a recursive view only as CASA tables (decided after their readdir).
          entries.push(entry);
        } else entries.push(entry);
      } else {
        if (options.filter !== undefined && !options.filter(inner)) continue;
        entries.push({ path: rel, name: d.name, kind: kindFromName(d.name) });
      }
      if (entries.length >= limit) {
        truncated = true;
        break;
      }
    }
  }
  const shown = options.recursive
    ? entries.filter((e) => e.kind !== "directory" && (e.kind !== "casa-table" || keep(options, e, prefix)))
    : entries;
  return { path: start.rel, entries: shown, truncated };
}

function keep(options: ListOptions, e: NameEntry, prefix: string): boolean {
  return options.filter === undefined || options.filter(e.path.slice(prefix.length));
}

/** Read the first `n` bytes of a file. */
export async function readHeadBytes(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function detailOf(root: TreeRoot, parentReal: string, rel: string): Promise<DetailEntry | null> {
  const name = rel.slice(rel.lastIndexOf("/") + 1);
  let full = join(parentReal, name);
  let info = await lstat(full).catch(() => null);
  if (info === null) return null;
  if (info.isSymbolicLink()) {
    const real = await realpath(full).catch(() => null);
    if (real === null || !root.contains(real)) return null;
    full = real;
    info = await stat(real).catch(() => null);
    if (info === null) return null;
  }
  let kind: FileKind;
  if (info.isDirectory()) {
    const names = await readdir(full).catch(() => [] as string[]);
    kind = isCasaTableListing(names) ? "casa-table" : "directory";
  } else {
    kind = kindFromName(name);
    if (kind === "unknown" && info.isFile()) {
      kind = kindFromBytes(await readHeadBytes(full, 1024).catch(() => new Uint8Array()));
    }
  }
  return { path: rel, size: info.size, mtimeMs: Math.round(info.mtimeMs), kind };
}

/**
 * Details phase: size, modification time and content-based kind of each path. Paths outside
 * the tree or gone by now are left out. Parents are resolved once each (realpath check), so a
 * client cannot stat through a symlinked directory that points outside.
 */
export async function statDetails(root: TreeRoot, paths: readonly string[]): Promise<DetailEntry[]> {
  const byParent = new Map<string, string[]>();
  for (const p of paths) {
    const segments = safeSegments(p);
    if (segments === null || segments.length === 0) continue;
    const dir = parentDir(p);
    const list = byParent.get(dir);
    if (list === undefined) byParent.set(dir, [p]);
    else list.push(p);
  }
  const out: DetailEntry[] = [];
  for (const [dir, list] of byParent) {
    const parent = await root.resolve(dir).catch(() => null);
    if (parent === null) continue;
    const BATCH = 256;
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = await Promise.all(
        list.slice(i, i + BATCH).map((rel) => detailOf(root, parent.real, rel).catch(() => null)),
      );
      for (const d of batch) if (d !== null) out.push(d);
    }
  }
  return out;
}

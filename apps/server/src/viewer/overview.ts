/**
 * The first page of a run: walk the tree once (bounded), group products by kind (or by the
 * sections of `meridian-view.json`), and attach what each card shows: the last lines of logs with
 * errors and warnings counted, titles of HTML reports. Directories with thousands of entries are
 * summarised, not walked, so one huge directory cannot slow the overview down.
 */
import type { Dirent } from "node:fs";
import { open, readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { type FileKind, kindFromName } from "./file-kind.js";
import { pathFilter } from "./glob.js";
import { isCasaTableListing } from "./listing.js";
import {
  type Display,
  LAYOUT_FILE,
  LAYOUT_YAML_FILES,
  type LayoutSection,
  readReportLayout,
} from "./report-layout.js";
import { readLinesBackward } from "./text-lines.js";
import type { TreeRoot } from "./tree-root.js";

/** Directories with more entries than this are counted, not walked. */
const BIG_DIR = 2000;
const MAX_FILES = 50_000;
const MAX_DEPTH = 12;

interface WalkedFile {
  readonly path: string;
  readonly name: string;
  readonly real: string;
  readonly kind: FileKind;
}

interface Walk {
  readonly files: WalkedFile[];
  readonly bigDirs: { path: string; entries: number }[];
  readonly truncated: boolean;
}

export interface LogTail {
  readonly lines: string[];
  readonly firstLine: number | null;
  /** Lines that look like errors, among the last {@link TAIL_SCAN_LINES}. */
  readonly errors: number;
  readonly warnings: number;
}

export interface OverviewItem {
  readonly path: string;
  readonly name: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly mtimeMs: number;
  readonly tail?: LogTail;
  readonly title?: string;
  /** Count of entries, for summarised big directories. */
  readonly entries?: number;
}

export interface OverviewSection {
  readonly title: string;
  readonly display: Display;
  readonly total: number;
  readonly items: OverviewItem[];
  readonly stretch?: string;
  readonly cmap?: string;
  readonly lines?: number;
}

export interface Overview {
  readonly title: string | null;
  readonly fromLayout: boolean;
  readonly problems: string[];
  readonly sections: OverviewSection[];
  readonly files: number;
  readonly truncated: boolean;
}

export const ERROR_LINE =
  /\b(error|errors|fatal|exception|traceback|failed|failure|severe|critical|segmentation fault|killed)\b/i;
export const WARNING_LINE = /\b(warn|warning|warnings|deprecated)\b/i;
const TAIL_SCAN_LINES = 200;

async function walk(root: TreeRoot): Promise<Walk> {
  const files: WalkedFile[] = [];
  const bigDirs: { path: string; entries: number }[] = [];
  const queue: { rel: string; real: string; depth: number }[] = [{ rel: "", real: root.real, depth: 0 }];
  let truncated = false;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir.real, { withFileTypes: true });
    } catch {
      continue;
    }
    if (dir.rel !== "" && isCasaTableListing(dirents.map((d) => d.name))) {
      files.push({
        path: dir.rel,
        name: dir.rel.slice(dir.rel.lastIndexOf("/") + 1),
        real: dir.real,
        kind: "casa-table",
      });
      continue;
    }
    if (dir.rel !== "" && dirents.length > BIG_DIR) {
      bigDirs.push({ path: dir.rel, entries: dirents.length });
      continue;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const rel = dir.rel === "" ? d.name : `${dir.rel}/${d.name}`;
      let real = join(dir.real, d.name);
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        const target = await realpath(real).catch(() => null);
        if (target === null || !root.contains(target)) continue;
        const info = await stat(target).catch(() => null);
        if (info === null) continue;
        real = target;
        isFile = info.isFile();
        // Symlinked directories are not entered (no loops).
        isDir = false;
      }
      if (isDir) {
        if (dir.depth < MAX_DEPTH) queue.push({ rel, real, depth: dir.depth + 1 });
      } else if (isFile) {
        if (files.length >= MAX_FILES) {
          truncated = true;
          break;
        }
        files.push({ path: rel, name: d.name, real, kind: kindFromName(d.name) });
      }
    }
    if (truncated) break;
  }
  return { files, bigDirs, truncated };
}

const tailCache = new Map<string, { key: string; tail: LogTail }>();

/** The last `lines` lines of a log, with error and warning counts over the last 200 lines. */
export async function logTail(real: string, size: number, mtimeMs: number, lines: number): Promise<LogTail> {
  const key = `${size}:${mtimeMs}:${lines}`;
  const hit = tailCache.get(real);
  if (hit !== undefined && hit.key === key) return hit.tail;
  // No line-index builds from the overview: it must stay fast with many big logs.
  const run = await readLinesBackward(real, Math.max(lines, TAIL_SCAN_LINES), undefined, false);
  const all = run.partial === "" ? run.lines : [...run.lines, run.partial];
  let errors = 0;
  let warnings = 0;
  for (const l of all) {
    if (ERROR_LINE.test(l)) errors++;
    else if (WARNING_LINE.test(l)) warnings++;
  }
  const shown = all.slice(-lines);
  const firstLine = run.firstLine === null ? null : run.firstLine + (all.length - shown.length);
  const tail = { lines: shown, firstLine, errors, warnings };
  tailCache.set(real, { key, tail });
  if (tailCache.size > 2000) tailCache.delete(tailCache.keys().next().value!);
  return tail;
}

async function htmlTitle(real: string): Promise<string | undefined> {
  const fh = await open(real, "r").catch(() => null);
  if (fh === null) return undefined;
  try {
    const buf = new Uint8Array(16 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const m = /<title[^>]*>([^<]{1,300})<\/title>/i.exec(
      new TextDecoder().decode(buf.subarray(0, bytesRead)),
    );
    return m?.[1]?.trim().replace(/\s+/g, " ");
  } finally {
    await fh.close();
  }
}

async function withStats(
  files: readonly WalkedFile[],
): Promise<(WalkedFile & { size: number; mtimeMs: number })[]> {
  const out: (WalkedFile & { size: number; mtimeMs: number })[] = [];
  for (let i = 0; i < files.length; i += 256) {
    const batch = await Promise.all(
      files.slice(i, i + 256).map(async (f) => {
        const info = await stat(f.real).catch(() => null);
        return info === null ? null : { ...f, size: info.size, mtimeMs: Math.round(info.mtimeMs) };
      }),
    );
    for (const b of batch) if (b !== null) out.push(b);
  }
  return out;
}

type Stated = WalkedFile & { size: number; mtimeMs: number };

const LIMITS: Record<Display, number> = {
  gallery: 60,
  fits: 24,
  "log-tail": 24,
  reports: 24,
  table: 12,
  list: 100,
};

async function section(
  title: string,
  display: Display,
  files: Stated[],
  extra: Partial<LayoutSection> = {},
): Promise<OverviewSection> {
  const limit = LIMITS[display];
  let chosen = files;
  const tailLines = extra.lines ?? 8;
  const items: OverviewItem[] = [];
  if (display === "log-tail") {
    const tails = await Promise.all(
      files.map((f) => logTail(f.real, f.size, f.mtimeMs, tailLines).catch(() => null)),
    );
    const withTail = files.map((f, i) => ({ f, tail: tails[i] ?? null }));
    // Logs with errors first, then the most recently written.
    withTail.sort((a, b) => (b.tail?.errors ?? 0) - (a.tail?.errors ?? 0) || b.f.mtimeMs - a.f.mtimeMs);
    for (const { f, tail } of withTail.slice(0, limit)) {
      items.push({ ...item(f), ...(tail === null ? {} : { tail }) });
    }
  } else {
    chosen = files.slice(0, limit);
    for (const f of chosen) {
      const title = display === "reports" ? await htmlTitle(f.real) : undefined;
      items.push({ ...item(f), ...(title === undefined ? {} : { title }) });
    }
  }
  return {
    title,
    display,
    total: files.length,
    items,
    ...(extra.stretch === undefined ? {} : { stretch: extra.stretch }),
    ...(extra.cmap === undefined ? {} : { cmap: extra.cmap }),
    ...(extra.lines === undefined ? {} : { lines: extra.lines }),
  };
}

function item(f: Stated): OverviewItem {
  return { path: f.path, name: f.name, kind: f.kind, size: f.size, mtimeMs: f.mtimeMs };
}

const AUTO: ReadonlyArray<{ title: string; display: Display; kinds: readonly FileKind[] }> = [
  { title: "Logs", display: "log-tail", kinds: ["log"] },
  { title: "Images", display: "gallery", kinds: ["image"] },
  { title: "FITS", display: "fits", kinds: ["fits"] },
  { title: "HTML reports", display: "reports", kinds: ["html"] },
  { title: "Tables", display: "table", kinds: ["csv", "tsv"] },
  { title: "Documents", display: "list", kinds: ["pdf", "markdown", "notebook", "json"] },
  { title: "CASA tables", display: "list", kinds: ["casa-table"] },
  { title: "Text", display: "list", kinds: ["text"] },
];

/** Build the overview of the tree. */
export async function buildOverview(root: TreeRoot): Promise<Overview> {
  const [{ files, bigDirs, truncated }, { layout, problems }] = await Promise.all([
    walk(root),
    readReportLayout(root.real),
  ]);
  const layoutFiles = new Set<string>([LAYOUT_FILE, ...LAYOUT_YAML_FILES]);
  const stated = await withStats(files.filter((f) => !layoutFiles.has(f.path)));
  const sections: OverviewSection[] = [];
  if (layout !== null) {
    for (const s of layout.sections) {
      const match = pathFilter([s.glob], []);
      sections.push(
        await section(
          s.title,
          s.display,
          stated.filter((f) => match(f.path)),
          s,
        ),
      );
    }
  } else {
    for (const group of AUTO) {
      const matching = stated.filter((f) => group.kinds.includes(f.kind));
      if (matching.length > 0) sections.push(await section(group.title, group.display, matching));
    }
  }
  if (bigDirs.length > 0) {
    sections.push({
      title: "Large directories",
      display: "list",
      total: bigDirs.length,
      items: bigDirs.map((d) => ({
        path: d.path,
        name: d.path.slice(d.path.lastIndexOf("/") + 1),
        kind: "directory" as const,
        size: 0,
        mtimeMs: 0,
        entries: d.entries,
      })),
    });
  }
  return {
    title: layout?.title ?? null,
    fromLayout: layout !== null,
    problems,
    sections,
    files: files.length,
    truncated,
  };
}

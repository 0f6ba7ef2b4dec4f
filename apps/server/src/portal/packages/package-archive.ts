/**
 * A package as one streamed tar or zip: `<root>/PACKAGE.json` (title, authors, licence, manifest sha256),
 * `<root>/MANIFEST` (the canonical manifest, whose sha256 is the package's `manifest_sha256`),
 * `<root>/SHA256SUMS` (`cd <root> && sha256sum -c SHA256SUMS`), then every file under
 * `<root>/<dataset>/<name>`. Each file is re-hashed while it streams; a mismatch with the manifest
 * aborts the archive instead of sending wrong bytes. Nothing is staged on disk.
 */
import { createHash } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { dataFiles } from "../../db/portal-schema.js";
import type { Storage } from "../../storage/storage.js";
import { type ManifestEntry, manifestText, type PackageRow, sha256sumsText } from "./package-store.js";
import { TAR_END, type TarEntry, tarHeader, tarLength, tarPad } from "./tar-writer.js";
import { Crc32, planZip, zipCentral, zipDescriptor, zipLocalHeader } from "./zip-writer.js";

const encoder = new TextEncoder();

/** A file of the archive: either bytes in memory (metadata) or a stored object. */
interface ArchiveItem {
  readonly entry: TarEntry;
  readonly bytes?: Uint8Array;
  readonly storageKey?: string;
  readonly sha256?: string;
}

/** The folder name inside the archive: `<title words>-<id prefix>`. */
export function archiveRoot(pkg: PackageRow): string {
  const words = pkg.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${words === "" ? "package" : words}-${pkg.id.slice(0, 8)}`;
}

/** What will be streamed, with the exact length. */
export interface PackageArchive {
  readonly fileName: string;
  readonly contentType: string;
  readonly length: number;
  stream(): AsyncGenerator<Uint8Array>;
}

/** Plan the archive (tar or zip) of a frozen package. */
export async function packageArchive(
  db: Database,
  storage: Storage,
  pkg: PackageRow,
  entries: readonly (ManifestEntry & { fileId: string })[],
  format: "tar" | "zip" = "tar",
): Promise<PackageArchive> {
  const root = archiveRoot(pkg);
  const mtime = pkg.frozenAt ?? pkg.createdAt;
  const keys = new Map<string, string>();
  for (let i = 0; i < entries.length; i += 1000) {
    const ids = entries.slice(i, i + 1000).map((e) => e.fileId);
    const rows = await db
      .select({ id: dataFiles.id, key: dataFiles.storageKey })
      .from(dataFiles)
      .where(inArray(dataFiles.id, ids));
    for (const r of rows) keys.set(r.id, r.key);
  }
  const meta = encoder.encode(
    `${JSON.stringify(
      {
        id: pkg.id,
        title: pkg.title,
        description: pkg.description,
        authors: pkg.authors,
        licence: pkg.licence,
        frozenAt: pkg.frozenAt?.toISOString() ?? null,
        manifestSha256: pkg.manifestSha256,
        files: entries.length,
        bytes: entries.reduce((n, e) => n + e.size, 0),
      },
      null,
      2,
    )}\n`,
  );
  const manifest = encoder.encode(manifestText(entries));
  const sums = encoder.encode(sha256sumsText(entries));
  const items: ArchiveItem[] = [
    { entry: { path: `${root}/PACKAGE.json`, size: meta.length, mtime }, bytes: meta },
    { entry: { path: `${root}/MANIFEST`, size: manifest.length, mtime }, bytes: manifest },
    { entry: { path: `${root}/SHA256SUMS`, size: sums.length, mtime }, bytes: sums },
  ];
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of sorted) {
    const key = keys.get(e.fileId);
    if (key === undefined) throw new Error(`file ${e.fileId} of package ${pkg.id} has no stored object`);
    items.push({
      entry: { path: `${root}/${e.name}`, size: e.size, mtime },
      storageKey: key,
      sha256: e.sha256,
    });
  }
  return format === "zip"
    ? zipArchive(storage, `${root}.zip`, items)
    : tarArchive(storage, `${root}.tar`, items);
}

/** The bytes of one item, re-hashed against the manifest on the way (a mismatch aborts). */
async function* itemBytes(storage: Storage, item: ArchiveItem): AsyncGenerator<Uint8Array> {
  if (item.bytes !== undefined) {
    yield item.bytes;
    return;
  }
  const hash = createHash("sha256");
  let n = 0;
  for await (const chunk of await storage.get(item.storageKey as string)) {
    const c = chunk as Uint8Array;
    hash.update(c);
    n += c.length;
    yield c;
  }
  const got = hash.digest("hex");
  if (n !== item.entry.size || got !== item.sha256) {
    throw new Error(
      `${item.entry.path}: stored bytes (${n} bytes, sha256 ${got}) differ from the manifest; archive aborted`,
    );
  }
}

function tarArchive(storage: Storage, fileName: string, items: readonly ArchiveItem[]): PackageArchive {
  return {
    fileName,
    contentType: "application/x-tar",
    length: tarLength(items.map((i) => i.entry)),
    async *stream() {
      for (const item of items) {
        yield tarHeader(item.entry);
        yield* itemBytes(storage, item);
        yield tarPad(item.entry.size);
      }
      yield TAR_END;
    },
  };
}

function zipArchive(storage: Storage, fileName: string, items: readonly ArchiveItem[]): PackageArchive {
  const plan = planZip(items.map((i) => i.entry));
  return {
    fileName,
    contentType: "application/zip",
    length: plan.length,
    async *stream() {
      const crcs: number[] = [];
      for (const [i, item] of items.entries()) {
        yield zipLocalHeader(plan, i);
        const crc = new Crc32();
        for await (const chunk of itemBytes(storage, item)) {
          crc.update(chunk);
          yield chunk;
        }
        crcs.push(crc.digest());
        yield zipDescriptor(plan, i, crc.digest());
      }
      yield zipCentral(plan, crcs);
    },
  };
}

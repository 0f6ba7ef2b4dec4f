/**
 * Data packages: a set of an organisation's files with a title, authors and a licence; frozen into
 * a checksummed manifest (JSON lines of name, size, sha256, sorted by name; `manifest_sha256` is the
 * sha256 of that text), and shared privately, with the organisation, or publicly from an embargo date.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import {
  dataFiles,
  dataPackageFiles,
  dataPackages,
  datasets,
  type Visibility,
} from "../../db/portal-schema.js";
import { ServerError } from "../../errors.js";
import type { PortalRole } from "../org-access.js";

/** A package row. */
export type PackageRow = typeof dataPackages.$inferSelect;

/** One manifest line. */
export interface ManifestEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** Most files in one package. */
export const MAX_PACKAGE_FILES = 100_000;

/** The canonical manifest text: one JSON object per line, sorted by name (code-unit order). */
export function manifestText(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${JSON.stringify({ name: e.name, size: e.size, sha256: e.sha256 })}\n`)
    .join("");
}

/** `sha256sum -c` lines for the manifest's files. */
export function sha256sumsText(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.name}\n`)
    .join("");
}

/** sha256 (hex) of a text's UTF-8 bytes. */
export function sha256OfText(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** True when `role` (and user) may see `pkg`; public packages need the embargo passed. */
export function canSeePackage(
  pkg: PackageRow,
  role: PortalRole,
  userId: string | null,
  now = new Date(),
): boolean {
  if (role === "admin" || role === "owner") return true;
  if (role !== "public") {
    if (pkg.visibility !== "private") return true;
    return userId !== null && pkg.createdBy === userId;
  }
  return isPubliclyAvailable(pkg, now);
}

/** Public, frozen and past its embargo. */
export function isPubliclyAvailable(pkg: PackageRow, now = new Date()): boolean {
  return (
    pkg.visibility === "public" &&
    pkg.frozenAt !== null &&
    (pkg.embargoUntil === null || pkg.embargoUntil.getTime() <= now.getTime())
  );
}

/** The package `id` of `orgId` as `role` sees it; NOT_FOUND when it does not exist or is hidden. */
export async function findPackage(
  db: Database,
  orgId: string,
  id: string,
  access: { role: PortalRole; userId: string | null },
): Promise<PackageRow> {
  const [row] = await db
    .select()
    .from(dataPackages)
    .where(and(eq(dataPackages.orgId, orgId), eq(dataPackages.id, id)));
  if (row === undefined || !canSeePackage(row, access.role, access.userId)) {
    throw new ServerError("NOT_FOUND", `no data package ${id} here (or it is not shared with you)`);
  }
  return row;
}

/** Only the creator or an admin may change a package. */
export function requireEditor(pkg: PackageRow, role: PortalRole, userId: string): void {
  if (role === "admin" || role === "owner" || pkg.createdBy === userId) return;
  throw new ServerError("FORBIDDEN", "only the package's creator or a portal admin may change it");
}

/** The packaged name of a file: `<dataset name>/<file name>`, unique within an organisation. */
function packagedName(datasetName: string, fileName: string): string {
  return `${datasetName}/${fileName}`;
}

/** Add files (ids of `orgId`) to an unfrozen package; returns how many were new. */
export async function addPackageFiles(
  db: Database,
  pkg: PackageRow,
  fileIds: readonly string[],
): Promise<number> {
  if (pkg.frozenAt !== null)
    throw new ServerError("CONFLICT", "the package is frozen: its files can no longer change");
  const unique = [...new Set(fileIds)];
  let added = 0;
  for (let i = 0; i < unique.length; i += 1000) {
    const batch = unique.slice(i, i + 1000);
    const rows = await db
      .select({
        id: dataFiles.id,
        name: dataFiles.name,
        size: dataFiles.size,
        sha256: dataFiles.sha256,
        dataset: datasets.name,
      })
      .from(dataFiles)
      .innerJoin(datasets, eq(datasets.id, dataFiles.datasetId))
      .where(and(eq(dataFiles.orgId, pkg.orgId), inArray(dataFiles.id, batch)));
    if (rows.length !== batch.length) {
      const found = new Set(rows.map((r) => r.id));
      const missing = batch.filter((id) => !found.has(id));
      throw new ServerError(
        "NOT_FOUND",
        `no file ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` (and ${missing.length - 3} more)` : ""} in this portal`,
      );
    }
    if (rows.length === 0) continue;
    const inserted = await db
      .insert(dataPackageFiles)
      .values(
        rows.map((r) => ({
          packageId: pkg.id,
          fileId: r.id,
          name: packagedName(r.dataset, r.name),
          size: r.size,
          sha256: r.sha256,
        })),
      )
      .onConflictDoNothing()
      .returning({ fileId: dataPackageFiles.fileId });
    added += inserted.length;
  }
  const [{ n } = { n: 0 }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(dataPackageFiles)
    .where(eq(dataPackageFiles.packageId, pkg.id));
  if (n > MAX_PACKAGE_FILES)
    throw new ServerError("BAD_REQUEST", `a package holds at most ${MAX_PACKAGE_FILES} files`);
  return added;
}

/** The package's files in manifest order. */
export async function packageEntries(
  db: Database,
  packageId: string,
): Promise<(ManifestEntry & { fileId: string })[]> {
  return db
    .select({
      fileId: dataPackageFiles.fileId,
      name: dataPackageFiles.name,
      size: dataPackageFiles.size,
      sha256: dataPackageFiles.sha256,
    })
    .from(dataPackageFiles)
    .where(eq(dataPackageFiles.packageId, packageId))
    .orderBy(sql`${dataPackageFiles.name} collate "C"`);
}

/** Freeze: copy each file's current name, size and sha256 and record the manifest's sha256. */
export async function freezePackage(db: Database, pkg: PackageRow): Promise<PackageRow> {
  if (pkg.frozenAt !== null) return pkg;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        fileId: dataFiles.id,
        name: dataFiles.name,
        dataset: datasets.name,
        size: dataFiles.size,
        sha256: dataFiles.sha256,
      })
      .from(dataPackageFiles)
      .innerJoin(dataFiles, eq(dataFiles.id, dataPackageFiles.fileId))
      .innerJoin(datasets, eq(datasets.id, dataFiles.datasetId))
      .where(eq(dataPackageFiles.packageId, pkg.id));
    if (rows.length === 0)
      throw new ServerError("CONFLICT", "an empty package cannot be frozen: add files first");
    for (const r of rows) {
      await tx
        .update(dataPackageFiles)
        .set({ name: packagedName(r.dataset, r.name), size: r.size, sha256: r.sha256 })
        .where(and(eq(dataPackageFiles.packageId, pkg.id), eq(dataPackageFiles.fileId, r.fileId)));
    }
    const entries = rows.map((r) => ({
      name: packagedName(r.dataset, r.name),
      size: r.size,
      sha256: r.sha256,
    }));
    const [frozen] = await tx
      .update(dataPackages)
      .set({ frozenAt: new Date(), manifestSha256: sha256OfText(manifestText(entries)) })
      .where(and(eq(dataPackages.id, pkg.id), sql`${dataPackages.frozenAt} is null`))
      .returning();
    if (frozen === undefined) throw new ServerError("CONFLICT", "the package was frozen meanwhile");
    return frozen;
  });
}

/** Packages of `orgId` that `role` may see, newest first. */
export async function listPackages(
  db: Database,
  orgId: string,
  access: { role: PortalRole; userId: string | null },
): Promise<PackageRow[]> {
  const rows = await db
    .select()
    .from(dataPackages)
    .where(eq(dataPackages.orgId, orgId))
    .orderBy(desc(dataPackages.createdAt), asc(dataPackages.id));
  return rows.filter((r) => canSeePackage(r, access.role, access.userId));
}

/** The visibility change rules: public needs a frozen package. */
export function checkVisibility(pkg: PackageRow, visibility: Visibility | undefined): void {
  if (visibility === "public" && pkg.frozenAt === null) {
    throw new ServerError("CONFLICT", "freeze the package before making it public");
  }
}

/**
 * Demo frames for the demo portal: the committed frames of fixtures/portal/demo (biases, darks, a
 * flat and light frames of one night at Cerro Tololo, from fixtures/portal/make-demo-frames.py)
 * go through the same upload path as any file, so `npm start` shows real ingested data.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { and, count, eq } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { dataFiles, datasets, memberships } from "../../db/portal-schema.js";
import type { Storage } from "../../storage/storage.js";
import { findDemoPortal } from "../demo.js";
import { appendToUpload, createUpload } from "./upload-store.js";

/** The committed demo frames (src/ and dist/ sit at the same depth below the repository root). */
export const DEMO_FRAMES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../../fixtures/portal/demo",
);
const DEMO_DATASET = "Demo frames";

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/**
 * Upload the demo frames into the demo portal's "Demo frames" dataset, once: nothing happens when
 * there is no demo portal, the dataset already holds files, or the frames are not beside the code.
 * Returns the number of files added.
 */
export async function addDemoFrames(db: Database, storage: Storage, dir = DEMO_FRAMES_DIR): Promise<number> {
  const orgId = await findDemoPortal(db);
  if (orgId === null || !existsSync(dir)) return 0;
  const [ds] = await db
    .select({ id: datasets.id })
    .from(datasets)
    .where(and(eq(datasets.orgId, orgId), eq(datasets.name, DEMO_DATASET)));
  if (ds === undefined) return 0;
  const [held] = await db.select({ n: count() }).from(dataFiles).where(eq(dataFiles.datasetId, ds.id));
  if ((held?.n ?? 0) > 0) return 0;
  const [owner] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  let added = 0;
  for (const path of await walk(dir)) {
    const name = relative(dir, path).split(sep).join("/");
    const sha256 = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
    const size = (await stat(path)).size;
    const deps = { db, storage };
    const upload = await createUpload(deps, {
      orgId,
      userId: owner?.userId ?? null,
      size,
      metadata: { name, datasetId: ds.id, sha256 },
    });
    const result = await appendToUpload(deps, orgId, upload.id, 0, createReadStream(path));
    if (result.file !== null) added++;
  }
  return added;
}

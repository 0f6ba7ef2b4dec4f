/**
 * Demo frames (fixtures/portal/demo, made by make-demo-frames.py with astropy) go into the demo
 * portal through the upload path on first start: frame types from IMAGETYP, every FITS frame on
 * the demo night's log (local noon to noon at Cerro Tololo), positions from the WCS; once only.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/accounts/users.js";
import type { OpenDatabase } from "../src/db/open-database.js";
import { dataFiles, nightLogs } from "../src/db/portal-schema.js";
import { createDemoPortal, DEMO_NIGHT } from "../src/portal/demo.js";
import { addDemoFrames } from "../src/portal/uploads/demo-frames.js";
import { LocalStorage } from "../src/storage/local-storage.js";
import { openTestPglite } from "./pglite.js";

describe("demo frames", () => {
  let database: OpenDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await openTestPglite();
    dir = await mkdtemp(join(tmpdir(), "meridian-demo-"));
  });
  afterAll(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("are ingested once into the demo night", async () => {
    const db = database.db;
    const user = await createUser(db, { username: "demo", password: "demo-password-1" });
    const portal = await createDemoPortal(db, user.id);
    const storage = new LocalStorage(dir);
    expect(await addDemoFrames(db, storage)).toBe(8);
    expect(await addDemoFrames(db, storage)).toBe(0);
    const rows = await db.select().from(dataFiles).where(eq(dataFiles.datasetId, portal!.datasetId));
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual([
      "bias/bias-001.fits",
      "bias/bias-002.fits",
      "darks/dark-060s.fits",
      "flats/flat-V-001.fits",
      "lights/m42-R-001.fits",
      "lights/m42-V-001.fits",
      "lights/ngc5128-V-001.fits",
      "night.log",
    ]);
    expect(
      rows
        .filter((r) => r.format === "fits")
        .map((r) => r.frameType)
        .sort(),
    ).toEqual(["bias", "bias", "dark", "flat", "light", "light", "light"]);
    const [log] = await db.select().from(nightLogs).where(eq(nightLogs.night, DEMO_NIGHT));
    expect(rows.filter((r) => r.format === "fits").every((r) => r.nightLogId === log?.id)).toBe(true);
    // The WCS reference pixel is the image centre, at M42's position in the fixture script.
    const m42 = byName.get("lights/m42-V-001.fits");
    expect(m42?.object).toBe("M42");
    expect(m42?.ra).toBeCloseTo(83.8221, 9);
    expect(m42?.dec).toBeCloseTo(-5.3911, 9);
    expect(byName.get("night.log")?.format).toBe("text");
  });
});

/**
 * The demo portal created on first start (MERIDIAN_DEMO): a public observatory with a site, a
 * telescope, an instrument, a dataset for demo frames, a night log, a few targets in a list, and
 * the demo user as its owner. Uploads add the demo frames (portal/ingest).
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import {
  datasets,
  instruments,
  memberships,
  nightLogEntries,
  nightLogs,
  observingSites,
  organisations,
  targetListItems,
  targetLists,
  targets,
  telescopes,
} from "../db/portal-schema.js";

export const DEMO_PORTAL_SLUG = "demo";

/** Ids of what {@link createDemoPortal} made. */
export interface DemoPortal {
  readonly orgId: string;
  readonly siteId: string;
  readonly telescopeId: string;
  readonly instrumentId: string;
  readonly datasetId: string;
  readonly nightLogId: string;
}

/** The night of the demo log (local date on which the night begins). */
export const DEMO_NIGHT = "2026-11-24";

/**
 * Create the demo portal with `ownerId` as its owner; null when a portal named "demo" exists
 * (created by an earlier start or by hand), so calling it twice is harmless.
 */
export async function createDemoPortal(db: Database, ownerId: string): Promise<DemoPortal | null> {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organisations)
      .values({
        slug: DEMO_PORTAL_SLUG,
        name: "Demo Observatory",
        description: "A sample portal: one site, one telescope, its camera and a night of frames.",
        isPublic: true,
      })
      .onConflictDoNothing()
      .returning();
    if (org === undefined) return null;
    const orgId = org.id;
    await tx.insert(memberships).values({ orgId, userId: ownerId, role: "owner" });
    // Cerro Tololo (CTIO), IAU/MPC code 807.
    const [site] = await tx
      .insert(observingSites)
      .values({
        orgId,
        name: "Cerro Tololo",
        longitude: -70.8065,
        latitude: -30.1697,
        elevation: 2207,
        timeZone: "America/Santiago",
        iauCode: "807",
      })
      .returning();
    const [telescope] = await tx
      .insert(telescopes)
      .values({
        orgId,
        siteId: site!.id,
        name: "Demo 0.6 m",
        apertureM: 0.6,
        focalLengthM: 4.2,
        limits: { minAltitudeDeg: 20, maxAirmass: 2.5 },
      })
      .returning();
    const [instrument] = await tx
      .insert(instruments)
      .values({
        orgId,
        telescopeId: telescope!.id,
        name: "Demo CCD",
        detectorWidthPx: 2048,
        detectorHeightPx: 2048,
        pixelScaleArcsec: 0.7,
        fovWidthDeg: (2048 * 0.7) / 3600,
        fovHeightDeg: (2048 * 0.7) / 3600,
        filters: ["B", "V", "R", "I", "Ha"],
      })
      .returning();
    const [dataset] = await tx
      .insert(datasets)
      .values({
        orgId,
        telescopeId: telescope!.id,
        name: "Demo frames",
        description: "Sample FITS frames uploaded on first start.",
        tags: ["demo"],
        createdBy: ownerId,
      })
      .returning();
    const [log] = await tx
      .insert(nightLogs)
      .values({
        orgId,
        telescopeId: telescope!.id,
        night: DEMO_NIGHT,
        observers: ["Demo Astronomer"],
        weather: "Clear, seeing 0.9 arcsec, humidity 20%",
        notes: "Sample night log.",
      })
      .returning();
    await tx.insert(nightLogEntries).values([
      {
        orgId,
        nightLogId: log!.id,
        at: new Date("2026-11-24T23:40:00Z"),
        authorUserId: ownerId,
        text: "Dome open, biases and twilight flats.",
      },
      {
        orgId,
        nightLogId: log!.id,
        at: new Date("2026-11-25T07:50:00Z"),
        authorUserId: ownerId,
        text: "Dome closed at dawn.",
      },
    ]);
    const made = await tx
      .insert(targets)
      .values([
        { orgId, name: "M42", ra: 83.8221, dec: -5.3911, notes: "Orion Nebula" },
        { orgId, name: "NGC 5128", ra: 201.3651, dec: -43.0191, notes: "Centaurus A" },
        { orgId, name: "M31", ra: 10.6847, dec: 41.2687, notes: "Andromeda Galaxy" },
      ])
      .returning({ id: targets.id });
    const [list] = await tx.insert(targetLists).values({ orgId, name: "Showcase" }).returning();
    await tx
      .insert(targetListItems)
      .values(made.map((t, position) => ({ listId: list!.id, targetId: t.id, position })));
    return {
      orgId,
      siteId: site!.id,
      telescopeId: telescope!.id,
      instrumentId: instrument!.id,
      datasetId: dataset!.id,
      nightLogId: log!.id,
    };
  });
}

/** The demo portal's id, or null when there is none. */
export async function findDemoPortal(db: Database): Promise<string | null> {
  const [row] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(sql`lower(${organisations.slug})`, DEMO_PORTAL_SLUG));
  return row?.id ?? null;
}

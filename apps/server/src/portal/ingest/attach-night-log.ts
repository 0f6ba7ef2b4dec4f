/**
 * Attach a frame to its night log: the telescope is the dataset's (else the organisation's
 * telescope named like TELESCOP), the night comes from DATE-OBS in the telescope's site time zone
 * (UTC without a site), and the night log is created when missing.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { datasets, nightLogs, observingSites, telescopes } from "../../db/portal-schema.js";
import { isKnownTimeZone, nightOf } from "./night-of.js";

/** A database or a transaction. */
type Db = Pick<Database, "select" | "insert">;

/** Result of {@link attachNightLog}: the night log id, or null with the reason. */
export type NightAttachment = { nightLogId: string; night: string } | { nightLogId: null; reason: string };

/** Find or create the night log of a frame; never throws for missing data (gives a reason). */
export async function attachNightLog(
  db: Db,
  input: { orgId: string; datasetId: string; telescope: string | null; dateObs: Date | null },
): Promise<NightAttachment> {
  if (input.dateObs === null) return { nightLogId: null, reason: "no DATE-OBS: not attached to a night log" };
  const [ds] = await db
    .select({ telescopeId: datasets.telescopeId })
    .from(datasets)
    .where(and(eq(datasets.id, input.datasetId), eq(datasets.orgId, input.orgId)));
  let telescopeId = ds?.telescopeId ?? null;
  if (telescopeId === null && input.telescope !== null) {
    const [t] = await db
      .select({ id: telescopes.id })
      .from(telescopes)
      .where(
        and(eq(telescopes.orgId, input.orgId), sql`lower(${telescopes.name}) = lower(${input.telescope})`),
      );
    telescopeId = t?.id ?? null;
  }
  if (telescopeId === null) {
    return {
      nightLogId: null,
      reason: `the dataset has no telescope and TELESCOP ${input.telescope === null ? "is missing" : `= "${input.telescope}" names none of the portal's telescopes`}: not attached to a night log`,
    };
  }
  const [site] = await db
    .select({ timeZone: observingSites.timeZone })
    .from(telescopes)
    .innerJoin(observingSites, eq(observingSites.id, telescopes.siteId))
    .where(eq(telescopes.id, telescopeId));
  const zone = site !== undefined && isKnownTimeZone(site.timeZone) ? site.timeZone : "UTC";
  const night = nightOf(input.dateObs, zone);
  await db.insert(nightLogs).values({ orgId: input.orgId, telescopeId, night }).onConflictDoNothing();
  const [log] = await db
    .select({ id: nightLogs.id })
    .from(nightLogs)
    .where(and(eq(nightLogs.telescopeId, telescopeId), eq(nightLogs.night, night)));
  if (log === undefined) return { nightLogId: null, reason: `night log ${night} could not be created` };
  return { nightLogId: log.id, night };
}

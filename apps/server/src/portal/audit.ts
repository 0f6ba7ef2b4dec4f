/** The portal's audit log: every write to an organisation, with who, what, and from where. */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import type { Database } from "../db/database.js";
import { auditLog } from "../db/schema.js";
import type { PortalAccess } from "./org-access.js";

/** One audit entry of a portal write. `action` is `<thing>.<verb>`, e.g. `site.created`. */
export interface PortalAuditEntry {
  readonly action: string;
  /** Id (or name) of what was changed. */
  readonly target?: string | null;
  readonly details?: Record<string, unknown>;
}

/** Record a write to the portal of `request` (its org, the caller, and the caller's address). */
export async function recordPortalAudit(
  db: Database,
  request: FastifyRequest & { portal: PortalAccess | null },
  entry: PortalAuditEntry,
): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorUserId: request.portal?.user?.id ?? request.principal?.user.id ?? null,
    target: entry.target ?? null,
    ip: request.ip,
    details: entry.details ?? null,
    orgId: request.portal?.org.id ?? null,
  });
}

/** An audit entry as the API shows it. */
export interface PortalAuditRow {
  readonly id: string;
  readonly at: string;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly ip: string | null;
  readonly details: Record<string, unknown> | null;
}

/** Entries of organisation `orgId`, newest first, `limit` at a time, before the cursor `(at, id)`. */
export async function listPortalAudit(
  db: Database,
  orgId: string,
  options: { limit: number; before?: { at: Date; id: string } },
): Promise<PortalAuditRow[]> {
  const { before } = options;
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.orgId, orgId),
        before === undefined
          ? undefined
          : or(lt(auditLog.at, before.at), and(eq(auditLog.at, before.at), lt(auditLog.id, before.id))),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(options.limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    action: r.action,
    target: r.target,
    ip: r.ip,
    details: r.details,
  }));
}

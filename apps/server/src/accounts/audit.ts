/** The audit log: who did what security-relevant thing, when and from where. */
import { desc } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { auditLog } from "../db/schema.js";

/** Actions written to the audit log. */
export type AuditAction =
  | "login.succeeded"
  | "login.failed"
  | "logout"
  | "user.created"
  | "user.password_changed"
  | "apikey.created"
  | "apikey.revoked";

/** One audit entry. */
export interface AuditEntry {
  readonly action: AuditAction;
  readonly actorUserId?: string | null;
  readonly target?: string | null;
  readonly ip?: string | null;
  readonly details?: Record<string, unknown>;
}

/** Append an entry to the audit log. */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? null,
  });
}

/** The most recent audit entries, newest first. */
export async function listAudit(db: Database, limit = 100): Promise<(typeof auditLog.$inferSelect)[]> {
  return db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(limit);
}

/**
 * Login sessions. The cookie carries a random 256-bit token; the database stores its sha256 only,
 * so a database leak yields no usable session. The CSRF token is an HMAC of the session token: the
 * server can recompute it on every request without storing it, and it changes with the session.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { prepared } from "../db/prepared.js";
import { sessions, users } from "../db/schema.js";
import { hashSecret } from "./api-keys.js";
import { toUser, type User } from "./users.js";

/** A new session: `token` goes into the cookie and is not stored. */
export interface NewSession {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: Date;
}

/** Start a session for `userId` lasting `ttlHours`. */
export async function createSession(
  db: Database,
  userId: string,
  ttlHours: number,
  client: { ip?: string | null; userAgent?: string | null } = {},
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      tokenHash: hashSecret(token),
      expiresAt,
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    })
    .returning({ id: sessions.id });
  return { id: row!.id, token, expiresAt };
}

/** The live session behind `token` and its user, or null (unknown or expired). */
export async function findSession(
  db: Database,
  token: string,
): Promise<{ sessionId: string; user: User } | null> {
  if (token.length === 0 || token.length > 200) return null;
  const query = prepared(db, "session_by_hash", () =>
    db
      .select({ sessionId: sessions.id, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sql.placeholder("hash")), gt(sessions.expiresAt, sql`now()`)))
      .limit(1)
      .prepare("session_by_hash"),
  );
  const [found] = await query.execute({ hash: hashSecret(token) });
  return found === undefined ? null : { sessionId: found.sessionId, user: toUser(found.user) };
}

/** End the session behind `token` (logout). Unknown tokens are ignored. */
export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashSecret(token)));
}

/** End every session of `userId` except `keepSessionId` (after a password change). */
export async function deleteOtherSessions(
  db: Database,
  userId: string,
  keepSessionId: string | null,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      keepSessionId === null
        ? eq(sessions.userId, userId)
        : and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)),
    );
}

/** Remove expired sessions. */
export async function deleteExpiredSessions(db: Database): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

/** The CSRF token that belongs to a session token. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac("sha256", sessionToken).update("meridian-csrf-v1").digest("base64url");
}

/** Constant-time check of a presented CSRF token against the session's. */
export function csrfTokenMatches(sessionToken: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

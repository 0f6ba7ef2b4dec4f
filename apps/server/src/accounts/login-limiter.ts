/**
 * Login rate limiting, kept in the database so that every server process sharing it agrees:
 * at most `maxFailures` failed logins per client IP and per username within a sliding window.
 */
import { and, count, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { loginAttempts } from "../db/schema.js";
import { ServerError } from "../errors.js";

/** Limits of the login rate limiter. */
export interface LoginLimits {
  readonly maxFailures: number;
  readonly windowMinutes: number;
}

/** @throws ServerError RATE_LIMITED when this IP or this username has too many recent failures. */
export async function assertLoginAllowed(
  db: Database,
  ip: string,
  username: string,
  limits: LoginLimits,
): Promise<void> {
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const name = username.toLowerCase();
  const [row] = await db
    .select({
      byIp: count(sql`case when ${loginAttempts.ip} = ${ip} then 1 end`),
      byName: count(sql`case when ${loginAttempts.username} = ${name} then 1 end`),
    })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.at, since),
        or(eq(loginAttempts.ip, ip), eq(loginAttempts.username, name)),
      ),
    );
  if ((row?.byIp ?? 0) >= limits.maxFailures || (row?.byName ?? 0) >= limits.maxFailures) {
    throw new ServerError("RATE_LIMITED", "too many failed logins; try again later", {
      retryAfterSeconds: limits.windowMinutes * 60,
    });
  }
}

/** Record one login attempt. A success clears that username's failures. */
export async function recordLoginAttempt(
  db: Database,
  ip: string,
  username: string,
  succeeded: boolean,
): Promise<void> {
  const name = username.toLowerCase().slice(0, 200);
  if (succeeded) {
    await db
      .delete(loginAttempts)
      .where(and(eq(loginAttempts.username, name), eq(loginAttempts.succeeded, false)));
    return;
  }
  await db.insert(loginAttempts).values({ ip, username: name, succeeded });
}

/** Forget attempts older than the window. */
export async function pruneLoginAttempts(db: Database, limits: LoginLimits): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.at, new Date(Date.now() - limits.windowMinutes * 60_000)));
}

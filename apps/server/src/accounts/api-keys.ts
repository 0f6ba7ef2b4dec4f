/**
 * API keys: a random secret `mk_…` shown once at creation; only its sha256 is stored (the secret
 * has 256 bits of entropy, so a fast hash suffices), with a short prefix to recognise it.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { prepared } from "../db/prepared.js";
import { apiKeys, users } from "../db/schema.js";
import { ServerError } from "../errors.js";
import { isScope, type Scope } from "./scopes.js";
import { toUser, type User } from "./users.js";

/** An API key as the API shows it (never the secret or its hash). Times are ISO 8601 strings. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** First characters of the secret (`mk_` and 8 more), to tell keys apart. */
  readonly prefix: string;
  readonly scopes: Scope[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

/** Input of {@link createApiKey}. */
export interface NewApiKey {
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** When the key stops working; null or absent for never. */
  readonly expiresAt?: Date | string | null;
}

/** Every secret starts with this, so leaked keys are easy to find with secret scanners. */
export const API_KEY_PREFIX = "mk_";
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** lastUsedAt is refreshed at most this often, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

type ApiKeyRow = typeof apiKeys.$inferSelect;

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter(isScope),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** sha256 of a secret, hex: what the database stores and looks up. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/**
 * Create an API key for `userId`. The returned `secret` is the only copy: it is not stored.
 *
 * @throws ServerError VALIDATION_FAILED (empty name, no or unknown scopes, expiry in the past).
 */
export async function createApiKey(
  db: Database,
  userId: string,
  input: NewApiKey,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    throw new ServerError("VALIDATION_FAILED", "API key name must be 1 to 200 characters long");
  }
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new ServerError("VALIDATION_FAILED", "an API key needs at least one scope");
  const unknown = scopes.find((s) => !isScope(s));
  if (unknown !== undefined) throw new ServerError("VALIDATION_FAILED", `unknown scope "${unknown}"`);
  let expiresAt: Date | null = null;
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) {
      throw new ServerError("VALIDATION_FAILED", `expiresAt "${String(input.expiresAt)}" is not a date`);
    }
    if (expiresAt.getTime() <= Date.now()) {
      throw new ServerError("VALIDATION_FAILED", "expiresAt must be in the future");
    }
  }
  const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiKeys)
    .values({
      userId,
      name,
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
      secretHash: hashSecret(secret),
      scopes,
      expiresAt,
    })
    .returning();
  return { apiKey: toApiKey(row!), secret };
}

/** All keys of `userId`, newest first, revoked ones included (they show `revokedAt`). */
export async function listApiKeys(db: Database, userId: string): Promise<ApiKey[]> {
  const query = prepared(db, "list_api_keys", () =>
    db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.userId, sql.placeholder("userId")))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .prepare("list_api_keys"),
  );
  const rows = await query.execute({ userId });
  return rows.map(toApiKey);
}

/**
 * Revoke key `id` of `userId`; it stops working at once. Revoking twice is harmless.
 *
 * @throws ServerError NOT_FOUND when the user has no such key.
 */
export async function revokeApiKey(db: Database, userId: string, id: string): Promise<ApiKey> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new ServerError("NOT_FOUND", `no API key with id "${id}"`);
  }
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning();
  if (row !== undefined) return toApiKey(row);
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
    .limit(1);
  if (existing === undefined) throw new ServerError("NOT_FOUND", `no API key with id "${id}"`);
  return toApiKey(existing);
}

/** Who a valid API key belongs to, and what it may do. */
export interface ApiKeyPrincipal {
  readonly user: User;
  readonly apiKey: ApiKey;
}

/**
 * The user and key behind `secret`, or null when the secret is unknown, revoked or expired.
 * Refreshes the key's lastUsedAt (at most once a minute).
 */
export async function authenticateApiKey(db: Database, secret: string): Promise<ApiKeyPrincipal | null> {
  if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return null;
  const query = prepared(db, "api_key_by_hash", () =>
    db
      .select({ key: apiKeys, user: users })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.secretHash, sql.placeholder("hash")))
      .limit(1)
      .prepare("api_key_by_hash"),
  );
  const [found] = await query.execute({ hash: hashSecret(secret) });
  if (found === undefined) return null;
  const now = new Date();
  const { key } = found;
  if (key.revokedAt !== null) return null;
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) return null;
  if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
    key.lastUsedAt = now;
  }
  return { user: toUser(found.user), apiKey: toApiKey(key) };
}

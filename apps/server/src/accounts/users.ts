/** User accounts: create, find, list, change password. Usable without HTTP (the CLI calls these). */
import { asc, count, eq, sql } from "drizzle-orm";
import type { Database } from "../db/database.js";
import { users } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ServerError } from "../errors.js";
import { hashPassword, verifyPassword } from "./password.js";

/** A user as the API shows it (never the password hash). `createdAt` is an ISO 8601 string. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

/** Input of {@link createUser}. */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
  readonly email?: string | null;
  readonly isAdmin?: boolean;
}

/** Letters, digits, `.`, `_`, `-`; starts with a letter or digit; 1 to 64 characters. */
export const USERNAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024;

type UserRow = typeof users.$inferSelect;

/** The public view of a user row. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    isAdmin: row.isAdmin,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Check a new password's length; throws VALIDATION_FAILED. */
export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new ServerError(
      "VALIDATION_FAILED",
      `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
    );
  }
}

/**
 * Create a user with a scrypt-hashed password.
 *
 * @throws ServerError VALIDATION_FAILED (bad username, password or email), CONFLICT (username taken).
 */
export async function createUser(db: Database, input: NewUser): Promise<User> {
  if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
    throw new ServerError(
      "VALIDATION_FAILED",
      `username "${input.username}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  checkPassword(input.password);
  const email = input.email ?? null;
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new ServerError("VALIDATION_FAILED", `email "${email}" is not an e-mail address`);
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName?.trim() || input.username,
        email,
        passwordHash,
        isAdmin: input.isAdmin ?? false,
      })
      .returning();
    return toUser(row!);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ServerError("CONFLICT", `username "${input.username}" is already taken`, { cause: err });
    }
    throw err;
  }
}

/** The user with this username (any case), or null. */
export async function findUserByUsername(db: Database, username: string): Promise<User | null> {
  const row = await findUserRowByUsername(db, username);
  return row === null ? null : toUser(row);
}

/** The full row (with password hash) for login. */
export async function findUserRowByUsername(db: Database, username: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return row ?? null;
}

/** The user with this id, or null. */
export async function findUserById(db: Database, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row === undefined ? null : toUser(row);
}

/** One page of users in creation order, with the total count. */
export async function listUsers(
  db: Database,
  options: { limit?: number; offset?: number } = {},
): Promise<{ items: User[]; total: number }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const offset = Math.max(options.offset ?? 0, 0);
  const [rows, totals] = await Promise.all([
    db.select().from(users).orderBy(asc(users.createdAt), asc(users.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(users),
  ]);
  return { items: rows.map(toUser), total: totals[0]?.n ?? 0 };
}

/** Number of users (0 on a fresh database). */
export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/**
 * Change a user's password after checking the current one.
 *
 * @throws ServerError INVALID_CREDENTIALS (current password wrong), VALIDATION_FAILED, NOT_FOUND.
 */
export async function changePassword(
  db: Database,
  userId: string,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (row === undefined) throw new ServerError("NOT_FOUND", `no user with id ${userId}`);
  if (!(await verifyPassword(currentPassword, row.passwordHash))) {
    throw new ServerError("INVALID_CREDENTIALS", "the current password is wrong", { status: 403 });
  }
  await setPassword(db, userId, newPassword);
}

/** Set a user's password without checking the old one (admin and CLI use). */
export async function setPassword(db: Database, userId: string, newPassword: string): Promise<void> {
  checkPassword(newPassword);
  const passwordHash = await hashPassword(newPassword);
  await db.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, userId));
}

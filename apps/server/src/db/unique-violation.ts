/** Recognise PostgreSQL's unique_violation (SQLSTATE 23505) through Drizzle's error wrapping. */

/** True when `err`, or any error in its `cause` chain, is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

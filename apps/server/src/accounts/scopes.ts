/** API-key scopes and what they allow. */

/** Scopes a key can carry: `read` (GET), `upload` (send files), `write` (change data), `admin` (everything the user may do). */
export const SCOPES = ["read", "upload", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** True when a key holding `held` may do what needs `needed`. `admin` implies every other scope. */
export function scopeAllows(held: readonly string[], needed: Scope): boolean {
  return held.includes(needed) || held.includes("admin");
}

/** True when `value` is a scope name. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

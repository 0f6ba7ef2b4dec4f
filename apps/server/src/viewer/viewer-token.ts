/**
 * The viewer's one secret: a fresh random token per start (as Jupyter does). The browser trades
 * it once for an http-only cookie; scripts send it as `Authorization: Bearer` or `?token=`.
 * HTML reports get a narrower key derived from it that opens one directory only.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url (43 characters). */
export function newViewerToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison of two strings. */
export function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookie name unique to this token, so two viewers on one host do not overwrite each other. */
export function viewerCookieName(token: string): string {
  return `meridian_view_${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
}

/** Key that lets a sandboxed HTML report read files below `dir` (tree-relative) and nothing else. */
export function reportKey(token: string, dir: string): string {
  return createHmac("sha256", token).update(`report:${dir}`).digest("base64url").slice(0, 32);
}

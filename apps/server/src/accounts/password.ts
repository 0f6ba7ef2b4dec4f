/**
 * Password hashing with scrypt (RFC 7914) from node:crypto: a random 16-byte salt per password,
 * parameters stored beside the hash so they can be raised later without breaking old hashes,
 * and a constant-time comparison.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** Cost parameters. N = 2^15, r = 8, p = 1 needs 32 MiB (128·N·r bytes) and ~0.1 s per hash. */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(
  password: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    // maxmem must exceed 128·N·r, or node refuses the parameters.
    scrypt(password.normalize("NFC"), salt, length, { N: n, r, p, maxmem: 256 * n * r + 1024 }, (err, key) =>
      err ? reject(err) : resolvePromise(key),
    );
  });
}

/** Hash `password` into the self-describing form `scrypt$N$r$p$salt$hash` (base64url fields). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, N, R, P, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** True when `password` matches `stored` (from {@link hashPassword}); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0)) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length === 0 || expected.length === 0) return false;
  const key = await derive(password, salt, n, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, checked when the username is unknown so that timing reveals nothing. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}

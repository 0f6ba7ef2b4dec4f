import { describe, expect, test } from "vitest";
import { hashPassword, verifyPassword } from "./password.js";

describe("scrypt passwords", () => {
  test("hash is self-describing, salted and verifies", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsE", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  test("malformed stored hashes never verify", async () => {
    for (const stored of [
      "",
      "scrypt",
      "bcrypt$1$2$3$4$5",
      "scrypt$x$8$1$abc$def",
      "scrypt$1024$8$1$$",
      "scrypt$0$8$1$a$b",
    ]) {
      expect(await verifyPassword("pw", stored)).toBe(false);
    }
  });
});

import { describe, expect, test } from "vitest";
import { isStorageError } from "./errors.js";
import { TEMP_DIR_NAME, validateKey, validatePrefix } from "./storage-key.js";

function rejects(key: unknown): string {
  try {
    validateKey(key);
  } catch (err) {
    expect(isStorageError(err, "INVALID_KEY")).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(key)}`);
}

describe("validateKey", () => {
  test("splits good keys into segments", () => {
    expect(validateKey("a")).toEqual(["a"]);
    expect(validateKey("raw/2024-01-02/m31 v2.fits")).toEqual(["raw", "2024-01-02", "m31 v2.fits"]);
    expect(validateKey(".hidden/..dots/a..b")).toEqual([".hidden", "..dots", "a..b"]);
    expect(validateKey("ünïcødé/星")).toEqual(["ünïcødé", "星"]);
    expect(validateKey("100%/a%20b")).toEqual(["100%", "a%20b"]);
  });

  test("rejects traversal, absolute paths and odd characters, saying where", () => {
    expect(rejects("../x")).toBe(`invalid storage key "../x": '..' segment at position 0`);
    expect(rejects("a/../../b")).toBe(`invalid storage key "a/../../b": '..' segment at position 2`);
    expect(rejects("/etc/passwd")).toBe(
      `invalid storage key "/etc/passwd": a key must be relative (it starts with '/')`,
    );
    expect(rejects("a\\..\\b")).toBe(
      `invalid storage key "a\\\\..\\\\b": forbidden character (control, NUL or backslash) at position 1`,
    );
    expect(rejects("a\0b")).toBe(
      `invalid storage key "a\\u0000b": forbidden character (control, NUL or backslash) at position 1`,
    );
    expect(rejects("a//b")).toBe(`invalid storage key "a//b": empty segment at position 2`);
    expect(rejects("a/")).toBe(`invalid storage key "a/": a key must not end with '/'`);
    expect(rejects("./a")).toBe(`invalid storage key "./a": '.' segment at position 0`);
    expect(rejects("")).toBe(`invalid storage key "": a key must not be empty`);
    expect(rejects(42)).toBe(`invalid storage key "42": a key must be a string`);
  });

  test("percent-encoded dots and separators are taken literally and refused", () => {
    for (const key of ["%2e%2e", "%2E%2e/x", "a/%2e%2e/b", "%2e", "..%2f", "a%5cb", "%00"]) rejects(key);
  });

  test("refuses the temp directory and over-long keys", () => {
    expect(rejects(`${TEMP_DIR_NAME}/x`)).toContain("reserved");
    rejects("a".repeat(256));
    rejects(`${"a/".repeat(600)}a`);
    expect(validateKey(`x/${TEMP_DIR_NAME}`)).toEqual(["x", TEMP_DIR_NAME]);
  });
});

describe("validatePrefix", () => {
  test("splits the fixed directories from the partial name", () => {
    expect(validatePrefix("")).toEqual({ dir: [], rest: "" });
    expect(validatePrefix("img")).toEqual({ dir: [], rest: "img" });
    expect(validatePrefix("img/2024-")).toEqual({ dir: ["img"], rest: "2024-" });
    expect(validatePrefix("a/b/")).toEqual({ dir: ["a", "b"], rest: "" });
  });

  test("rejects traversal in prefixes", () => {
    for (const prefix of ["../", "/etc/", "a/../", "a\\b", "a\0"]) {
      expect(() => validatePrefix(prefix)).toThrow(/invalid storage key/);
    }
  });
});

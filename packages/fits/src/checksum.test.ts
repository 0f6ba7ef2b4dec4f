import { describe, expect, test } from "vitest";
import { addSums, checksumOf, encodeChecksum } from "./checksum.js";

describe("ones' complement checksum", () => {
  test("sums fold carries end-around", () => {
    expect(checksumOf(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2]))).toBe(2);
    expect(addSums(0xffffffff, 5)).toBe(5);
  });

  test("encoding uses no punctuation and round-trips the sum", () => {
    for (const sum of [0, 1, 0x12345678, 0xfffffffe, 0x80000000]) {
      const text = encodeChecksum(sum);
      expect(text).toMatch(/^[0-9A-Za-z]{16}$/);
      // The encoded complement added to the sum gives -0 (Seaman et al. 2002).
      // The value sits at byte 11 of its card, which the rotation by one character accounts for.
      const card = (v: string) => Uint8Array.from(`CHECKSUM= '${v}'`.padEnd(80), (c) => c.charCodeAt(0));
      const withZeros = addSums(sum, ~checksumOf(card("0".repeat(16))) >>> 0);
      expect(addSums(withZeros, checksumOf(card(text)))).toBe(0xffffffff);
    }
  });
});

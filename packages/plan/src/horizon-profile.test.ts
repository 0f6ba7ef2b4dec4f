import { describe, expect, test } from "vitest";
import { isPlanError } from "./errors.js";
import { horizonAltitude, parseHorizonProfile } from "./horizon-profile.js";

/** Seeded PRNG (mulberry32) so fuzz runs are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("horizon profile", () => {
  test("parses pairs with comments and interpolates with wrap-around", () => {
    const p = parseHorizonProfile("# az alt\n0 10\n90, 20\n180;30  # south\n270\t20\n");
    expect(horizonAltitude(p, 45)).toBe(15);
    expect(horizonAltitude(p, 315)).toBe(15);
    expect(horizonAltitude(p, 360)).toBe(10);
    expect(horizonAltitude(p, 180)).toBe(30);
  });

  test("errors say the line and column", () => {
    try {
      parseHorizonProfile("0 10\n90 x\n");
      expect.unreachable();
    } catch (err) {
      expect(isPlanError(err, "PARSE_HORIZON")).toBe(true);
      if (isPlanError(err)) expect([err.line, err.column]).toEqual([2, 4]);
    }
    expect(() => parseHorizonProfile("# nothing\n")).toThrow(/no points/);
  });

  test("fuzz: random and truncated input only throws PlanError", () => {
    const rnd = mulberry32(7);
    const alphabet = "0123456789 .,-+#\n\t;eE x";
    const base = "0 10\n45 12.5\n90 20\n135 8\n180 5\n270 15\n";
    for (let i = 0; i < 2000; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = Array.from(
          { length: Math.floor(rnd() * 60) },
          () => alphabet[Math.floor(rnd() * alphabet.length)],
        ).join("");
      } else {
        const chars = base.split("");
        const k = Math.floor(rnd() * chars.length);
        chars[k] = alphabet[Math.floor(rnd() * alphabet.length)] ?? "";
        text = chars.join("").slice(0, Math.floor(rnd() * base.length) + 1);
      }
      try {
        const p = parseHorizonProfile(text);
        const v = horizonAltitude(p, rnd() * 360);
        expect(Number.isFinite(v)).toBe(true);
      } catch (err) {
        expect(isPlanError(err)).toBe(true);
      }
    }
  });
});

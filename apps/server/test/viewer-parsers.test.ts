/**
 * Property and fuzz tests of the viewer's parsers (seeded, bounded): head/tail/line reads agree
 * with splitting the whole file, CSV parsing and glob compiling never throw or hang on junk, and
 * path checks reject every escaping form.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDelimited } from "../src/viewer/delimited-table.js";
import { kindFromBytes } from "../src/viewer/file-kind.js";
import { globToRegExp, pathFilter } from "../src/viewer/glob.js";
import { readLinesBackward, readLinesForward } from "../src/viewer/text-lines.js";
import { safeSegments } from "../src/viewer/tree-root.js";

let seed = 7;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

describe("line reads agree with splitting the whole file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "meridian-viewer-lines-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("random files, random line counts and offsets", async () => {
    for (let round = 0; round < 40; round++) {
      // Lines of random lengths (some far longer than a 64 KiB chunk), sometimes no final newline.
      const lines: string[] = [];
      const n = Math.floor(random() * 400);
      for (let i = 0; i < n; i++) {
        const len = random() < 0.02 ? 70_000 + Math.floor(random() * 70_000) : Math.floor(random() * 120);
        lines.push(`${i}:${"é x".repeat(Math.ceil(len / 3)).slice(0, len)}`);
      }
      const trailing = random() < 0.3 ? "partial line" : "";
      const text = lines.map((l) => `${l}\n`).join("") + trailing;
      const file = join(dir, `f${round}.log`);
      await writeFile(file, text);
      const want = Math.max(1, Math.floor(random() * 60));

      const tail = await readLinesBackward(file, want);
      expect(tail.lines.map((l) => l.slice(0, 20))).toEqual(lines.slice(-want).map((l) => l.slice(0, 20)));
      expect(tail.partial).toBe(trailing);
      if (tail.lines.length > 0 && tail.firstLine !== null)
        expect(tail.firstLine).toBe(lines.length - tail.lines.length + 1);

      const head = await readLinesForward(file, 0, want);
      expect(head.lines.map((l) => l.slice(0, 20))).toEqual(lines.slice(0, want).map((l) => l.slice(0, 20)));
      // Continuing from endOffset gives the next lines.
      const next = await readLinesForward(file, head.endOffset, want);
      expect(next.lines.map((l) => l.slice(0, 20))).toEqual(
        lines.slice(want, 2 * want).map((l) => l.slice(0, 20)),
      );
      // Lines before a line start are the ones before it.
      const before = await readLinesBackward(file, want, next.startOffset);
      expect(before.lines.map((l) => l.slice(0, 20))).toEqual(
        lines
          .slice(Math.max(0, Math.min(want, lines.length) - want), Math.min(want, lines.length))
          .map((l) => l.slice(0, 20)),
      );
    }
  });
});

describe("fuzz", () => {
  const junk = ["", ",", '"', '""', "\n", "\r\n", "\t", "a", "é", "\0", '"x,y"', "1.5", "\u2028"];

  test("CSV parsing never throws and always makes progress", () => {
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => pick(junk)).join("");
      for (const atEnd of [true, false]) {
        const { rows, consumed } = parseDelimited(text, pick([",", "\t"]), 1000, atEnd);
        expect(consumed).toBeLessThanOrEqual(text.length);
        for (const r of rows) expect(Array.isArray(r)).toBe(true);
      }
    }
  });

  test("glob compiling never throws; filters are total", () => {
    const parts = [
      "*",
      "**",
      "?",
      "[",
      "]",
      "!",
      "{",
      "}",
      ",",
      "/",
      "a",
      ".",
      "(",
      ")",
      "\\",
      "$",
      "^",
      "|",
      "+",
    ];
    for (let i = 0; i < 2000; i++) {
      const glob = Array.from({ length: Math.floor(random() * 12) }, () => pick(parts)).join("");
      const re = globToRegExp(glob);
      expect(typeof re.test("a/b.c")).toBe("boolean");
      expect(typeof pathFilter([glob], [glob])("x/y")).toBe("boolean");
    }
    expect(globToRegExp("**/*.fits").test("a/b/c.fits")).toBe(true);
    expect(globToRegExp("*.fits").test("a/c.fits")).toBe(false);
    expect(globToRegExp("plot-{00,01}?.png").test("plot-012.png")).toBe(true);
    expect(globToRegExp("[!a]*.log").test("b.log")).toBe(true);
  });

  test("path segments: every escaping form is rejected", () => {
    for (const bad of [
      "..",
      "../x",
      "a/../b",
      "a/./b",
      "/etc",
      "a//b",
      "a/\0b",
      "\\\\server",
      "C:/x",
      "./a",
    ]) {
      expect(safeSegments(bad), bad).toBeNull();
    }
    expect(safeSegments("a/b c/d.fits")).toEqual(["a", "b c", "d.fits"]);
    expect(safeSegments("")).toEqual([]);
    const parts = ["a", "..", ".", "", "%2e", "/", "\0", "b"];
    for (let i = 0; i < 2000; i++) {
      const p = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(parts)).join(pick(["/", ""]));
      const segs = safeSegments(p);
      if (segs !== null) for (const s of segs) expect(["", ".", ".."]).not.toContain(s);
    }
  });

  test("kind from bytes never throws", () => {
    for (let i = 0; i < 500; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 100) }, () => Math.floor(random() * 256));
      expect(["fits", "binary", "text"]).toContain(kindFromBytes(bytes));
    }
    expect(kindFromBytes(new TextEncoder().encode("SIMPLE  =                    T"))).toBe("fits");
  });
});

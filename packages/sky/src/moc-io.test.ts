import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { isSkyError } from "./errors.js";
import { Moc, type MocCell } from "./moc.js";
import { mocToAscii, parseMocAscii } from "./moc-ascii.js";
import { mocToFits, parseMocFits } from "./moc-fits.js";
import { mocToJson, parseMocJson } from "./moc-json.js";

type Cells = Record<string, string[]>;
interface Expected {
  mocs: Record<string, { order: number; cells: Cells }>;
  ours_read: Record<
    string,
    {
      ascii_commas: Cells;
      json: Cells;
      fits: Cells;
      astropy: { uniq: string[]; ORDERING: string; MOCORDER: number; TFORM1: string };
      fitsverify_ok: boolean;
    }
  >;
}
const E = JSON.parse(readFileSync(repoFixture("sky/expected/moc.json"), "utf8")) as Expected;
const names = Object.keys(E.mocs);

function asCells(cells: MocCell[]): Cells {
  const out: Cells = {};
  for (const c of cells) {
    const k = String(c.order);
    out[k] = [...(out[k] ?? []), String(c.ipix)];
  }
  return out;
}
function fromCells(c: Cells, order: number): Moc {
  return Moc.fromCells(
    Object.entries(c).flatMap(([o, list]) => list.map((p) => ({ order: Number(o), ipix: BigInt(p) }))),
    order,
  );
}
const file = (name: string) => readFileSync(repoFixture("sky/moc", name));

describe("reading MOCs written by pymoc", () => {
  for (const name of names) {
    test(name, () => {
      const want = E.mocs[name]?.cells;
      expect(asCells(parseMocAscii(file(`pymoc-${name}.txt`).toString("utf8")).cells())).toEqual(want);
      expect(asCells(parseMocJson(file(`pymoc-${name}.json`).toString("utf8")).cells())).toEqual(want);
      expect(asCells(parseMocFits(new Uint8Array(file(`pymoc-${name}.fits`))).cells())).toEqual(want);
    });
  }
});

describe("MOCs we write, read by pymoc, astropy and fitsverify", () => {
  for (const name of names) {
    test(name, () => {
      const m = E.mocs[name] as { order: number; cells: Cells };
      const moc = fromCells(m.cells, m.order);
      // Our writer still produces exactly the files the oracle script read.
      expect(mocToAscii(moc)).toBe(file(`ours-${name}.txt`).toString("utf8"));
      expect(mocToAscii(moc, { commas: true })).toBe(file(`ours-${name}.moc1.txt`).toString("utf8"));
      expect(mocToJson(moc)).toBe(file(`ours-${name}.json`).toString("utf8"));
      expect(Buffer.from(mocToFits(moc)).equals(file(`ours-${name}.fits`))).toBe(true);
      const read = E.ours_read[name];
      expect(read?.ascii_commas).toEqual(m.cells);
      expect(read?.json).toEqual(m.cells);
      expect(read?.fits).toEqual(m.cells);
      expect(read?.astropy.uniq).toEqual(moc.uniq().map(String));
      expect([read?.astropy.ORDERING, read?.astropy.MOCORDER, read?.fitsverify_ok]).toEqual([
        "NUNIQ",
        m.order,
        true,
      ]);
      // and our own round trips
      expect(parseMocAscii(mocToAscii(moc)).equals(moc)).toBe(true);
      expect(parseMocJson(mocToJson(moc)).order).toBe(m.order);
      expect(parseMocFits(mocToFits(moc)).equals(moc)).toBe(true);
    });
  }

  test("MOC 2.0 ASCII example with a trailing max order", () => {
    const m = parseMocAscii("3/3 10 4/16-18 22 5/19-20\n 17/222 28/123456789 29/");
    expect(m.order).toBe(29);
    expect(mocToAscii(m)).toBe("3/3 10 4/16-18 22 5/19-20 17/222 28/123456789 29/");
    expect(mocToJson(parseMocAscii("3/1-2 6/"))).toBe('{"3":[1,2],"6":[]}');
  });

  test("parse errors name the character", () => {
    let err: unknown;
    try {
      parseMocAscii("3/1-5 x");
    } catch (e) {
      err = e;
    }
    expect(isSkyError(err, "PARSE_MOC")).toBe(true);
    expect((err as Error).message).toMatch(/character 7/);
  });
});

/** Seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function onlyTagged(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!isSkyError(e)) throw e;
  }
}

describe("fuzz: MOC parsers throw only tagged errors and never hang", () => {
  const rnd = prng(2026);
  const seedsText = names.flatMap((n) => [
    file(`pymoc-${n}.txt`).toString("utf8"),
    file(`pymoc-${n}.json`).toString("utf8"),
  ]);
  const alphabet = '0123456789/-, \n{}[]":s.e+x';
  test("ASCII and JSON: mutated, truncated and random text", () => {
    for (let it = 0; it < 3000; it++) {
      const base = seedsText[Math.floor(rnd() * seedsText.length)] as string;
      let t = base.slice(0, Math.floor(rnd() * Math.min(base.length, 400) + 1));
      const edits = Math.floor(rnd() * 4);
      for (let k = 0; k < edits; k++) {
        const pos = Math.floor(rnd() * (t.length + 1));
        const ch = alphabet[Math.floor(rnd() * alphabet.length)] as string;
        t = rnd() < 0.5 ? t.slice(0, pos) + ch + t.slice(pos + 1) : t.slice(0, pos) + ch + t.slice(pos);
      }
      onlyTagged(() => parseMocAscii(t));
      onlyTagged(() => parseMocJson(t));
    }
  });

  test("FITS: flipped, truncated and random bytes", () => {
    const seeds = names.map((n) => new Uint8Array(file(`pymoc-${n}.fits`)));
    for (let it = 0; it < 400; it++) {
      const base = seeds[Math.floor(rnd() * seeds.length)] as Uint8Array;
      const b = base.slice(0, rnd() < 0.3 ? Math.floor(rnd() * base.length) : base.length);
      const flips = Math.floor(rnd() * 8);
      for (let k = 0; k < flips && b.length > 0; k++) {
        // bias mutations to the headers, where parsing decisions are made
        const pos = Math.floor(rnd() * Math.min(b.length, 8640));
        b[pos] =
          rnd() < 0.5
            ? Math.floor(rnd() * 256)
            : (alphabet.charCodeAt(Math.floor(rnd() * alphabet.length)) as number);
      }
      onlyTagged(() => parseMocFits(b));
    }
    onlyTagged(() => parseMocFits(new Uint8Array(0)));
    onlyTagged(() => parseMocFits(new Uint8Array(5760).fill(0x20)));
  });
});

/**
 * CASA tables read from table.dat and table.lock: row counts and columns equal to casacore's
 * showtableinfo (fixtures/viewer/make-casa-expected.py), for every sub-table of the MS and for
 * copies without table.lock; malformed input only ever raises the tagged error.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../../test/paths.js";
import { isServerError } from "../errors.js";
import { parseLockSync, parseTableDat, readCasaTable } from "./casa-table.js";

const expected = JSON.parse(readFileSync(repoFixture("viewer/expected/casa-tables.json"), "utf8")) as Record<
  string,
  { rows: number; columns: { name: string; type: string; kind: string }[] }
>;

const NO_LOCK = "#no-table.lock";
const scratch = mkdtempSync(join(tmpdir(), "meridian-casa-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The table's directory; for "<rel>#no-table.lock" a copy without table.lock (as the oracle made). */
function tableDir(key: string): string {
  if (!key.endsWith(NO_LOCK)) return sharedFixture(key);
  const rel = key.slice(0, -NO_LOCK.length);
  const copy = join(scratch, rel.replaceAll("/", "_"));
  mkdirSync(copy, { recursive: true });
  for (const name of readdirSync(sharedFixture(rel)))
    if (name !== "table.lock") copyFileSync(join(sharedFixture(rel), name), join(copy, name));
  return copy;
}

describe.skipIf(!haveSharedFixtures())("CASA tables against showtableinfo", () => {
  for (const [rel, want] of Object.entries(expected)) {
    test(`${rel}: columns`, async () => {
      const info = await readCasaTable(tableDir(rel));
      const got = info.columns
        .map((c) => ({ name: c.name, type: c.type, kind: c.kind }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(got).toEqual(want.columns);
    });
  }

  // Seven sub-tables were filled after table.dat was last written (POLARIZATION: 0 there, 2 true;
  // HISTORY 112 / 133, …): the true count is table.lock's; without the lock it is table.dat's.
  for (const [rel, want] of Object.entries(expected)) {
    test(`${rel}: rows`, async () => {
      expect((await readCasaTable(tableDir(rel))).rows).toBe(want.rows);
    });
  }

  test("the fixtures do hold stale table.dat counts (so the tests above check the lock file)", () => {
    const stale = Object.keys(expected).filter(
      (rel) =>
        !rel.endsWith(NO_LOCK) &&
        parseTableDat(new Uint8Array(readFileSync(join(sharedFixture(rel), "table.dat")))).rows !==
          expected[rel]!.rows,
    );
    expect(stale).toContain("ms/simple.ms/POLARIZATION");
    expect(stale.length).toBeGreaterThanOrEqual(2);
  });

  test("a Measurement Set lists its sub-tables and type", async () => {
    const info = await readCasaTable(sharedFixture("ms/simple.ms"));
    expect(info.tableType).toBe("Measurement Set");
    expect(info.subtables).toContain("ANTENNA");
    expect(info.subtables).toContain("SPECTRAL_WINDOW");
  });
});

describe("table.lock sync data", () => {
  /** 260 bytes of (empty) lock-request ids, then the sync data's length and the sync data. */
  const lock = (syncBytes: number[]): Uint8Array => {
    const out = new Uint8Array(260 + 4 + syncBytes.length);
    new DataView(out.buffer).setUint32(260, syncBytes.length);
    out.set(syncBytes, 264);
    return out;
  };
  const be = (...ns: number[]) =>
    ns.flatMap((n) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const sync = (version: number, rows: number[]) => [
    ...be(0xbebebebe, 0),
    ...be(4),
    ...[0x73, 0x79, 0x6e, 0x63],
    ...be(version, ...rows, 4, 1),
  ];

  test("version 1 (32-bit rows), version 2 (64-bit rows), and no sync data", () => {
    expect(parseLockSync(lock(sync(1, [7])))).toBe(7);
    expect(parseLockSync(lock(sync(2, [1, 5])))).toBe(2 ** 32 + 5);
    expect(parseLockSync(new Uint8Array(260))).toBeNull();
    expect(parseLockSync(new Uint8Array(264))).toBeNull();
  });

  test("damaged sync data names what and where", () => {
    expect(() => parseLockSync(lock(sync(3, [7])))).toThrow(/version 3 at byte/);
    expect(() => parseLockSync(lock(sync(1, [7])).subarray(0, 280))).toThrow(/runs past the end/);
  });
});

/** A small seeded generator, so a fuzz failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("table.dat fuzz", () => {
  test("random, truncated and damaged input raise only the tagged error", () => {
    const random = lcg(42);
    const base = haveSharedFixtures()
      ? new Uint8Array(readFileSync(sharedFixture("ms/simple.ms/table.dat")))
      : new Uint8Array([
          0xbe, 0xbe, 0xbe, 0xbe, 0, 0, 0, 20, 0, 0, 0, 5, 84, 97, 98, 108, 101, 0, 0, 0, 2, 0, 0, 0, 1,
        ]);
    for (let i = 0; i < 300; i++) {
      let bytes: Uint8Array;
      const mode = i % 3;
      if (mode === 0) bytes = base.slice(0, Math.floor(random() * base.length));
      else if (mode === 1) {
        bytes = base.slice();
        for (let k = 0; k < 20; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      } else
        bytes = Uint8Array.from({ length: Math.floor(random() * 2000) }, () => Math.floor(random() * 256));
      try {
        parseTableDat(bytes);
      } catch (err) {
        expect(isServerError(err, "BAD_REQUEST"), String(err)).toBe(true);
      }
    }
  });

  test("random, truncated and damaged table.lock raise only the tagged error", () => {
    const random = lcg(7);
    const base = haveSharedFixtures()
      ? new Uint8Array(readFileSync(sharedFixture("ms/simple.ms/HISTORY/table.lock")))
      : new Uint8Array(325);
    for (let i = 0; i < 300; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) bytes = base.slice(0, Math.floor(random() * base.length));
      else {
        bytes = base.slice();
        for (let k = 0; k < 6; k++)
          bytes[260 + Math.floor(random() * (bytes.length - 260))] = Math.floor(random() * 256);
      }
      try {
        const rows = parseLockSync(bytes);
        expect(rows === null || Number.isSafeInteger(rows)).toBe(true);
      } catch (err) {
        expect(isServerError(err, "BAD_REQUEST"), String(err)).toBe(true);
      }
    }
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { openFitsFile } from "./file-source.js";
import { toNumberArray } from "./image-stats.js";
import { buildPyramid, downsample, pyramidTile, tileGrid } from "./pyramid.js";

/**
 * Oracle: numpy nanmean/nanmax over 2×2 blocks padded with NaN (make-image-expected.py).
 * Levels are float32: values within 1e-6 relative; sums within 1e-6 relative.
 */
interface Summary {
  shape: number[];
  nan: number;
  sum: number;
  min: number;
  max: number;
  samples: [number, number | null][];
}
const expected = JSON.parse(readFileSync(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  pyramids: { file: string; hdu: number; levels: Record<"mean" | "max", Summary[]> }[];
};

function expectSummary(data: ArrayLike<number>, shape: readonly number[], want: Summary): void {
  expect([...shape].reverse()).toEqual(want.shape);
  let nan = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (Number.isNaN(v)) {
      nan++;
      continue;
    }
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect(nan).toBe(want.nan);
  const tol = (w: number) => 1e-6 * Math.max(1, Math.abs(w));
  expect(Math.abs(sum - want.sum)).toBeLessThanOrEqual(
    1e-6 * Math.max(1, Math.abs(want.sum), Math.abs(max) * data.length * 1e-3),
  );
  expect(Math.abs(min - want.min)).toBeLessThanOrEqual(tol(want.min));
  expect(Math.abs(max - want.max)).toBeLessThanOrEqual(tol(want.max));
  for (const [i, w] of want.samples) {
    const v = data[i] as number;
    if (w === null) expect(Number.isNaN(v)).toBe(true);
    else expect(Math.abs(v - w)).toBeLessThanOrEqual(tol(w));
  }
}

describe.runIf(haveSharedFixtures())("pyramids against numpy", () => {
  for (const p of expected.pyramids) {
    for (const method of ["mean", "max"] as const) {
      test(`${p.file} ${method}`, async () => {
        const f = await openFitsFile(sharedFixture("fits", p.file));
        const img = await f.readImage(p.hdu);
        await f.close();
        const [w, h] = img.axes as [number, number];
        const levels = buildPyramid(toNumberArray(img.data as ArrayLike<number>), w, h, {
          method,
          tileSize: 32,
        });
        expect(levels.length - 1).toBe(p.levels[method].length);
        for (const [i, want] of p.levels[method].entries()) {
          const l = levels[i + 1];
          if (l === undefined) throw new Error("missing level");
          expect(l.factor).toBe(2 ** (i + 1));
          expectSummary(l.data, [l.width, l.height], want);
        }
      });
    }
  }
});

describe("tiles", () => {
  test("tiles cover the level and pad with NaN", () => {
    const data = Float32Array.from({ length: 5 * 3 }, (_, i) => i);
    const [level] = buildPyramid(data, 5, 3, { tileSize: 4 });
    if (level === undefined) throw new Error("no level");
    expect(tileGrid(level, 4)).toEqual({ columns: 2, rows: 1 });
    const t = pyramidTile(level, 1, 0, 4);
    expect(Array.from(t.subarray(0, 4))).toEqual([4, Number.NaN, Number.NaN, Number.NaN]);
    expect(Array.from(t.subarray(8, 12))).toEqual([14, Number.NaN, Number.NaN, Number.NaN]);
    expect(Array.from(pyramidTile(level, 0, 0, 4).subarray(4, 8))).toEqual([5, 6, 7, 8]);
    expect(Number.isNaN(t[12])).toBe(true);
    expect(() => pyramidTile(level, 2, 0, 4)).toThrow(/outside/);
  });

  test("downsampling keeps NaN-only blocks NaN and validates its input", () => {
    const d = downsample(
      Float32Array.of(Number.NaN, Number.NaN, 1, 3, Number.NaN, Number.NaN, 5, Number.NaN),
      4,
      2,
      "mean",
    );
    expect(Array.from(d.data)).toEqual([Number.NaN, 3]);
    expect(Array.from(downsample(Float32Array.of(1, 7, 3), 3, 1, "max").data)).toEqual([7, 3]);
    expect(() => downsample(new Float32Array(3), 2, 2)).toThrow(/needs 4 values/);
    expect(() => downsample(new Float32Array(4), 2, 2, "mean", 1)).toThrow(/factor/);
  });
});

describe.runIf(haveSharedFixtures())("lazy tiles", () => {
  test("readPyramidTile reads only the region under the tile and equals the built pyramid", async () => {
    const { readPyramidTile } = await import("./pyramid.js");
    const f = await openFitsFile(sharedFixture("fits", "ngc1316o.fit"));
    try {
      const img = await f.readImage(0);
      const [w, h] = img.axes as [number, number];
      const full = toNumberArray(img.data as ArrayLike<number>);
      let pixelsRead = 0;
      const read = async (x0: number, y0: number, x1: number, y1: number) => {
        pixelsRead += (x1 - x0) * (y1 - y0);
        const sec = await f.readImage(0, { section: { start: [x0, y0], end: [x1, y1] } });
        return toNumberArray(sec.data as ArrayLike<number>);
      };
      for (const method of ["mean", "max"] as const) {
        const levels = buildPyramid(full, w, h, { method, tileSize: 64 });
        for (const level of levels) {
          const { columns, rows } = tileGrid(level, 64);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < columns; c++) {
              pixelsRead = 0;
              const lazy = await readPyramidTile(read, w, h, level.level, c, r, { method, tileSize: 64 });
              expect(Array.from(lazy)).toEqual(Array.from(pyramidTile(level, c, r, 64)));
              expect(pixelsRead).toBeLessThanOrEqual((64 * level.factor) ** 2);
            }
          }
        }
      }
      await expect(readPyramidTile(read, w, h, 0, 99, 0, { tileSize: 64 })).rejects.toThrow(/outside/);
    } finally {
      await f.close();
    }
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { openFitsFile } from "./file-source.js";
import { imageStats, percentiles, quickselect, toNumberArray } from "./image-stats.js";
import { intervalLimits, parseInterval } from "./interval.js";
import { zscale } from "./zscale.js";

/**
 * Oracle: fixtures/fits/make-image-expected.py (numpy in float64, astropy.visualization).
 * Tolerances: min/max/percentiles/median exact to 1e-12 relative (they are data values or
 * numpy's linear interpolation); mean and std 1e-10 relative; zscale limits 1e-6 relative to the
 * data range (astropy keeps float32 samples and fits with numpy.polyfit/lstsq).
 */
interface Entry {
  file: string;
  hdu: number;
  plane: number | null;
  variant: string;
  shape: number[];
  stats: {
    count: number;
    blank: number;
    min: number;
    max: number;
    mean: number;
    std: number;
    median: number;
    percentiles: Record<string, number>;
  };
  zscale: [number, number];
  zscaleContrast05: [number, number];
  minmax: [number, number];
  percentile995: [number, number];
}

const expected = JSON.parse(readFileSync(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  images: Entry[];
};

async function load(e: Entry): Promise<ArrayLike<number>> {
  const f = await openFitsFile(sharedFixture("fits", e.file));
  try {
    const img = await f.readImage(e.hdu, e.plane === null ? {} : { plane: e.plane });
    const data = Float64Array.from(toNumberArray(img.data as ArrayLike<number>));
    if (e.variant === "nan-holes") {
      for (let i = 3; i < data.length; i += 7) data[i] = Number.NaN;
    }
    return data;
  } finally {
    await f.close();
  }
}

function close(got: number, want: number, rel: number, scale = Math.abs(want)): void {
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.max(scale, 1e-300));
}

describe.runIf(haveSharedFixtures())("image statistics against numpy/astropy", () => {
  test.each(expected.images.map((e) => [`${e.file}${e.variant ? ` ${e.variant}` : ""}`, e] as const))(
    "%s",
    async (_n, e) => {
      const data = await load(e);
      const s = imageStats(data);
      expect(s.count).toBe(e.stats.count);
      expect(s.blank).toBe(e.stats.blank);
      close(s.min, e.stats.min, 1e-12);
      close(s.max, e.stats.max, 1e-12);
      close(s.median, e.stats.median, 1e-12);
      close(s.mean, e.stats.mean, 1e-10);
      close(s.std, e.stats.std, 1e-10);
      for (const { percentile, value } of s.percentiles) {
        close(value, e.stats.percentiles[String(percentile)] as number, 1e-12);
      }
      expect(s.percentiles.map((p) => String(p.percentile))).toEqual(
        Object.keys(e.stats.percentiles).sort((a, b) => Number(a) - Number(b)),
      );
      const range = e.stats.max - e.stats.min;
      const [z0, z1] = zscale(data);
      close(z0, e.zscale[0], 1e-6, range);
      close(z1, e.zscale[1], 1e-6, range);
      const [c0, c1] = zscale(data, { nSamples: 600, contrast: 0.5, krej: 2 });
      close(c0, e.zscaleContrast05[0], 1e-6, range);
      close(c1, e.zscaleContrast05[1], 1e-6, range);
      expect(intervalLimits(data, parseInterval("minmax"))).toEqual(e.minmax);
      const [p0, p1] = intervalLimits(data, parseInterval("percentile:99.5"));
      close(p0, e.percentile995[0], 1e-12, range);
      close(p1, e.percentile995[1], 1e-12, range);
    },
  );
});

describe("order statistics", () => {
  test("quickselect agrees with a full sort on random data with ties", () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const n of [1, 2, 3, 10, 601, 5000]) {
      const a = Float64Array.from({ length: n }, () => Math.floor(rand() * 50));
      const sorted = Float64Array.from(a).sort();
      for (const k of [0, n >> 1, n - 1]) expect(quickselect(Float64Array.from(a), k)).toBe(sorted[k]);
    }
  });

  test("histogram selection equals a full sort on large data with ties, outliers and NaN", () => {
    let seed = 777;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const kind of ["ties", "outliers", "smooth"]) {
      const a = Float64Array.from({ length: 50_000 }, () => {
        const r = rand();
        if (r < 0.01) return Number.NaN;
        if (kind === "ties") return Math.floor(rand() * 7);
        if (kind === "outliers") return r > 0.999 ? 1e12 * rand() : rand();
        return Math.sin(r * 100) * 1e3;
      });
      const sorted = Float64Array.from(a.filter(Number.isFinite)).sort();
      const ref = (p: number): number => {
        const pos = (p / 100) * (sorted.length - 1);
        const lo = Math.floor(pos);
        const f = pos - lo;
        const x = sorted[lo] as number;
        const y = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
        return f === 0 ? x : f >= 0.5 ? y - (y - x) * (1 - f) : x + (y - x) * f;
      };
      const ps = [0, 0.1, 1, 25, 50, 75, 99, 99.9, 100];
      expect(percentiles(a, ps)).toEqual(ps.map(ref));
      const s = imageStats(a, { percentiles: ps });
      expect(s.percentiles.map((p) => p.value)).toEqual(ps.map(ref));
      expect(s.median).toBe(ref(50));
    }
  });

  test("empty and all-NaN images give NaN, not an exception", () => {
    const s = imageStats(new Float32Array([Number.NaN, Number.NaN]));
    expect(s.count).toBe(0);
    expect(s.blank).toBe(2);
    expect(Number.isNaN(s.median)).toBe(true);
    expect(zscale(new Float32Array(0)).every(Number.isNaN)).toBe(true);
    expect(percentiles([], [50])).toEqual([Number.NaN]);
  });

  test("parseInterval rejects unknown scales with a tagged error", () => {
    expect(() => parseInterval("median")).toThrow(/unknown scale/);
    expect(parseInterval("manual:1:")).toEqual({ kind: "manual", vmin: 1 });
    expect(parseInterval("99%")).toEqual({ kind: "percentile", percent: 99 });
  });
});

describe("degenerate images", () => {
  test("constant, tiny, all-blank and infinite inputs never throw and give sensible limits", async () => {
    const { renderImage } = await import("./render.js");
    const { buildPyramid } = await import("./pyramid.js");
    const cases: [string, Float32Array][] = [
      ["constant", new Float32Array(10_000).fill(3)],
      ["single", Float32Array.of(7)],
      ["two", Float32Array.of(1, 2)],
      ["blank", new Float32Array(64).fill(Number.NaN)],
      [
        "infinite",
        Float32Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? Number.POSITIVE_INFINITY : i)),
      ],
    ];
    for (const [name, data] of cases) {
      const s = imageStats(data);
      const z = zscale(data);
      if (s.count > 0) {
        expect(z[0], name).toBeGreaterThanOrEqual(s.min);
        expect(z[1], name).toBeLessThanOrEqual(s.max);
      } else {
        expect(z.every(Number.isNaN), name).toBe(true);
      }
      for (const scale of ["zscale", "minmax", "percentile:99"]) {
        const r = renderImage(data, data.length, 1, { interval: parseInterval(scale), cmap: "grey" });
        expect(r.pixels.length, name).toBe(3 * data.length);
      }
      expect(buildPyramid(data, data.length, 1, { tileSize: 16 }).length, name).toBeGreaterThan(0);
    }
  });
});

test("zscale counts finite values the same way for float32, float64 and plain arrays (NaN, ±Inf)", () => {
  const values = Array.from({ length: 30_000 }, (_, i) =>
    i % 97 === 0
      ? Number.NaN
      : i % 131 === 0
        ? Number.POSITIVE_INFINITY
        : i % 151 === 0
          ? -Infinity
          : (i * 7919) % 1000,
  );
  const plain = zscale(values as unknown as Float64Array);
  expect(zscale(Float32Array.from(values))).toEqual(plain);
  expect(zscale(Float64Array.from(values))).toEqual(plain);
  expect(zscale(Float64Array.from(values).subarray(1))).toEqual(
    zscale(values.slice(1) as unknown as Float64Array),
  );
});

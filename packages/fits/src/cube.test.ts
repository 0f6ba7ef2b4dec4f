import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { cubePlane, cubeSpectrum } from "./cube.js";
import { openFitsFile } from "./file-source.js";
import { toNumberArray } from "./image-stats.js";

/** Oracle: numpy slicing of datacube.fit (make-image-expected.py); values are exact data values. */
interface Summary {
  shape: number[];
  nan: number;
  sum: number;
  min: number;
  max: number;
  samples: [number, number | null][];
}

function expectSummary(data: ArrayLike<number>, shape: readonly number[], want: Summary): void {
  expect([...shape].reverse()).toEqual(want.shape);
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] as number;
  expect(Math.abs(sum - want.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.sum)));
  expect(Math.min(...Array.from(data))).toBe(want.min);
  expect(Math.max(...Array.from(data))).toBe(want.max);
  for (const [i, w] of want.samples) expect(data[i]).toBe(w);
}
const expected = JSON.parse(readFileSync(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  cube: {
    file: string;
    plane3: Summary;
    plane2: Summary;
    plane1: Summary;
    spectrum: number[];
  };
};

describe.runIf(haveSharedFixtures())("cube slicing against numpy", () => {
  test("planes along each axis, a spectrum, and the reader's single-plane read", async () => {
    const f = await openFitsFile(sharedFixture("fits", expected.cube.file));
    const img = await f.readImage(0);
    const plane10 = await f.readImage(0, { plane: 10 });
    await f.close();
    const data = toNumberArray(img.data as ArrayLike<number>);
    const p3 = cubePlane(data, img.axes, 2, 10);
    expectSummary(p3.data, p3.axes, expected.cube.plane3);
    expect(Array.from(p3.data)).toEqual(Array.from(toNumberArray(plane10.data as ArrayLike<number>)));
    const p2 = cubePlane(data, img.axes, 1, 32);
    expectSummary(p2.data, p2.axes, expected.cube.plane2);
    const p1 = cubePlane(data, img.axes, 0, 5);
    expectSummary(p1.data, p1.axes, expected.cube.plane1);
    expect(Array.from(cubeSpectrum(data, img.axes, 20, 40))).toEqual(expected.cube.spectrum);
  });
});

describe("cube argument checks", () => {
  test("bad indices and shapes are tagged errors", () => {
    const data = new Float32Array(2 * 3 * 4);
    expect(() => cubePlane(data, [2, 3, 4], 2, 4)).toThrow(/outside axis 3/);
    expect(() => cubePlane(data, [2, 3], 2, 0)).toThrow(/≥ 3 axes/);
    expect(() => cubeSpectrum(data, [2, 3, 4], 2, 0)).toThrow(/outside/);
    expect(cubePlane(data, [2, 3, 4, 1], 0, 1, [0]).axes).toEqual([3, 4]);
  });
});

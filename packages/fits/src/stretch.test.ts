import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { openFitsFile } from "./file-source.js";
import { makeStretch, parseStretch } from "./stretch.js";

/**
 * Oracle: astropy.visualization stretches with clip=True, which clips the input to [0, 1]
 * (make-image-expected.py). Tolerance 1e-12 absolute, the same for histeq (float32 images are normalised in float32, as astropy does).
 */
const expected = JSON.parse(readFileSync(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  stretchInput: number[];
  stretches: Record<string, (number | null)[]>;
};

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

describe("stretches against astropy.visualization", () => {
  for (const [name, want] of Object.entries(expected.stretches)) {
    if (name.startsWith("histeq")) continue;
    test(name, () => {
      const f = makeStretch(parseStretch(name));
      expected.stretchInput.forEach((x, i) => {
        const y = f(clip01(x));
        expect(Math.abs(y - (want[i] as number)), `${name}(${x})`).toBeLessThanOrEqual(1e-12);
      });
    });
  }

  test.runIf(haveSharedFixtures())("histeq on the Spitzer image", async () => {
    const f = await openFitsFile(sharedFixture("fits", "spitzer_tan_sip.fits"));
    const img = await f.readImage(0);
    await f.close();
    const stretch = makeStretch(parseStretch("histeq", img.data as Float32Array));
    const want = expected.stretches["histeq(spitzer)"] as number[];
    expected.stretchInput.forEach((x, i) => {
      expect(Math.abs(stretch(clip01(x)) - (want[i] as number))).toBeLessThanOrEqual(1e-12);
    });
  });

  test("unknown stretch names are tagged errors", () => {
    expect(() => parseStretch("cubic")).toThrow(/unknown stretch/);
    expect(() => parseStretch("log:abc")).toThrow(/unknown stretch/);
  });
});

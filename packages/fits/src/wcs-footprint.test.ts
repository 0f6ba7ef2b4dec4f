import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { parseHeaderText } from "./header.js";
import { parseWcs } from "./wcs.js";
import { wcsFootprint } from "./wcs-footprint.js";

/**
 * Oracle: astropy.wcs corners and astropy.coordinates → ICRS (make-wcs-expected.py). Tolerances:
 * native-frame corners 1e-9 degree; ICRS corners 1e-6 degree (frame conversions in @meridian/sky
 * agree with astropy to about 1 mas).
 */
interface Case {
  name: string;
  source: string;
  key: string;
  ctype: string[];
  header?: string;
  celestialOnly?: boolean;
  footprint?: { native: [number, number][]; icrs: [number, number][] | null };
}

const expected = JSON.parse(
  gunzipSync(readFileSync(repoFixture("fits", "expected", "wcs.json.gz"))).toString("utf8"),
) as {
  cases: Case[];
};
const cases = expected.cases.filter((c) => c.footprint !== undefined && c.key === "");

function sep(a: [number, number], b: [number, number]): number {
  const d2r = Math.PI / 180;
  const h =
    Math.sin(((a[1] - b[1]) * d2r) / 2) ** 2 +
    Math.cos(a[1] * d2r) * Math.cos(b[1] * d2r) * Math.sin(((a[0] - b[0]) * d2r) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / d2r;
}

describe.runIf(haveSharedFixtures())("image footprints against astropy", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const h = parseHeaderText(c.header ?? readFileSync(sharedFixture(c.source), "latin1"));
    const wcs = parseWcs(h, c.celestialOnly === true ? { naxis: 2 } : {});
    const axes = [h.getNumber("NAXIS1") ?? h.getNumber("ZNAXIS1") ?? 0, h.getNumber("NAXIS2") ?? 0];
    const fp = wcsFootprint(wcs, axes);
    const want = c.footprint as NonNullable<Case["footprint"]>;
    const wantNative = want.native.filter((v) => v.every(Number.isFinite));
    expect(fp.native.length).toBe(wantNative.length);
    for (const [i, v] of fp.native.entries())
      expect(sep(v, wantNative[i] as [number, number])).toBeLessThan(1e-9);
    if (want.icrs === null) expect(fp.icrs).toBeUndefined();
    else
      for (const [i, v] of (fp.icrs ?? []).entries())
        expect(sep(v, want.icrs[i] as [number, number])).toBeLessThan(1e-6);
  });

  test("more samples per edge follow the outline; no celestial WCS is a tagged error", () => {
    const c = cases.find((k) => k.name === "ngc1316o.fit") as Case;
    const wcs = parseWcs(parseHeaderText(c.header as string));
    expect(wcsFootprint(wcs, [440, 300], { samplesPerEdge: 8 }).native).toHaveLength(32);
    const linear = parseWcs(parseHeaderText("NAXIS   =                    2"));
    expect(() => wcsFootprint(linear, [10, 10])).toThrow(/no celestial WCS/);
  });
});

/**
 * File search against expectations from astropy/healpy (fixtures/portal/make-search-expected.py):
 * cones (with footprints, at the RA wrap and the pole), cone plus date, filter, exposure, frame type,
 * instrument and header conditions; sorting and cursor paging. On PGlite and on PostgreSQL.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../../test/paths.js";
import { dataFiles, datasets } from "../src/db/portal-schema.js";
import { databaseTargets } from "./databases.js";
import type { Harness } from "./harness.js";
import { buildHarnessOn, call, ok, type PortalCast, portalCast } from "./portal-harness.js";

interface FixtureFile {
  id: string;
  name: string;
  ra: number;
  dec: number;
  healpix29: string;
  object: string;
  filter: string;
  exptime: number;
  frameType: "light" | "bias" | "dark" | "flat";
  instrument: string;
  dateObs: string;
  keywords: Record<string, string | number>;
  footprint: [number, number][] | null;
  radiusDeg: number | null;
}
interface Fixture {
  files: FixtureFile[];
  cones: {
    name: string;
    ra: number;
    dec: number;
    radius: number;
    match: string[];
    either: string[];
    distances: Record<string, number>;
  }[];
  combined: { name: string; query: Record<string, string | number | string[]>; match: string[] }[];
}

const fixture = JSON.parse(
  await readFile(`${repoRoot}/fixtures/portal/search-expected.json`, "utf8"),
) as Fixture;
const byId = new Map(fixture.files.map((f) => [f.id, f]));
const targets = await databaseTargets();

function qs(params: Record<string, string | number | string[]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) u.append(k, String(x));
  return u.toString();
}

describe.each(targets)("file search on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let h: Harness;
    let c: PortalCast;
    let base: string;
    let datasetId: string;

    /** All ids of a search, following cursors. */
    async function searchAll(
      params: Record<string, string | number | string[]>,
      limit = 37,
    ): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const body: { items: { id: string }[]; nextCursor: string | null } = await ok(
          h,
          c.observer,
          "GET",
          `${base}/files?${qs({ ...params, limit, ...(cursor === null ? {} : { cursor }) })}`,
        );
        ids.push(...body.items.map((i) => i.id));
        cursor = body.nextCursor;
        if (cursor === null) return ids;
      }
      throw new Error("too many pages");
    }

    beforeAll(async () => {
      h = await buildHarnessOn(await target.open());
      c = await portalCast(h, "search");
      base = "/api/portals/search";
      const [ds] = await h.database.db
        .insert(datasets)
        .values({ orgId: c.orgId, name: "survey" })
        .returning();
      datasetId = ds!.id;
      await h.database.db.insert(dataFiles).values(
        fixture.files.map((f) => ({
          id: f.id,
          orgId: c.orgId,
          datasetId,
          name: f.name,
          size: 2880,
          sha256: f.id.replace(/-/g, "").padEnd(64, "0"),
          storageKey: `test/${f.id}`,
          format: "fits",
          object: f.object,
          ra: f.ra,
          dec: f.dec,
          healpix29: BigInt(f.healpix29),
          footprint: f.footprint,
          radiusDeg: f.radiusDeg,
          dateObs: new Date(f.dateObs),
          exptime: f.exptime,
          filter: f.filter,
          instrument: f.instrument,
          frameType: f.frameType,
          keywords: f.keywords,
          headers: [{ index: 0, type: "PRIMARY", cards: f.keywords }],
        })),
      );
    }, 120_000);
    afterAll(() => h?.close());

    test.each(fixture.cones)("cone $name (r=$radius°) finds what astropy finds", async (cone) => {
      const ids = await searchAll({ ra: cone.ra, dec: cone.dec, radius: cone.radius });
      const either = new Set(cone.either);
      expect(ids.filter((i) => !either.has(i)).sort()).toEqual([...cone.match].sort());
      // Sorted by DATE-OBS, then id; no duplicates across pages.
      expect(new Set(ids).size).toBe(ids.length);
      const dates = ids.map((i) => byId.get(i)!.dateObs);
      expect(dates).toEqual([...dates].sort());
    });

    test.each(fixture.cones.filter((q) => q.match.length > 1))(
      "cone $name sorted by distance: astropy's order and separations",
      async (cone) => {
        const body = await ok<{ items: { id: string; distanceDeg: number }[]; nextCursor: string | null }>(
          h,
          c.observer,
          "GET",
          `${base}/files?${qs({ ra: cone.ra, dec: cone.dec, radius: cone.radius, sort: "distance", limit: 1000 })}`,
        );
        const either = new Set(cone.either);
        const items = body.items.filter((i) => !either.has(i.id));
        const expected = Object.entries(cone.distances).sort((a, b) => a[1] - b[1]);
        expect(items.map((i) => i.id)).toEqual(expected.map(([id]) => id));
        // Haversine against astropy's Vincenty: agree to 1e-9 degrees (4 microarcseconds).
        for (const i of items) expect(Math.abs(i.distanceDeg - cone.distances[i.id]!)).toBeLessThan(1e-9);
        // Paged by distance, descending, the same files in reverse.
        const paged = await searchAll(
          { ra: cone.ra, dec: cone.dec, radius: cone.radius, sort: "distance", order: "desc" },
          7,
        );
        expect(paged.filter((i) => !either.has(i))).toEqual(expected.map(([id]) => id).reverse());
      },
    );

    test.each(fixture.combined)("$name", async (combined) => {
      const whole = fixture.cones.find((q) => q.name === "whole field")!;
      const ids = await searchAll({ ra: whole.ra, dec: whole.dec, radius: whole.radius, ...combined.query });
      expect(ids.sort()).toEqual([...combined.match].sort());
    });

    test("object name (any case, wildcard), sort by exposure descending", async () => {
      const ids = await searchAll({ object: "ngc 5128", sort: "exptime", order: "desc" });
      const expected = fixture.files
        .filter((f) => f.object === "NGC 5128")
        .sort((a, b) => b.exptime - a.exptime || (a.id < b.id ? 1 : -1))
        .map((f) => f.id);
      expect(ids).toEqual(expected);
      expect((await searchAll({ object: "m4*" })).length).toBe(
        fixture.files.filter((f) => f.object === "M42").length,
      );
    });

    test("datasets holding matching files, with the count", async () => {
      const whole = fixture.cones.find((q) => q.name === "whole field")!;
      const body = await ok<{ items: { dataset: { name: string }; matchingFiles: number }[] }>(
        h,
        c.observer,
        "GET",
        `${base}/datasets/search?${qs({ ra: whole.ra, dec: whole.dec, radius: whole.radius, name: "surv*" })}`,
      );
      // The dataset search tests footprint circles; the whole-field cone holds every footprint anyway.
      expect(body.items.map((i) => [i.dataset.name, i.matchingFiles])).toEqual([
        ["survey", whole.match.length],
      ]);
    });

    test("headers of every HDU and one file", async () => {
      const f = fixture.files[7]!;
      const body = await ok<{ headers: unknown[] }>(h, c.observer, "GET", `${base}/files/${f.id}/headers`);
      expect(body.headers).toEqual([{ index: 0, type: "PRIMARY", cards: f.keywords }]);
      const one = await ok<{ file: { healpix29: string; name: string } }>(
        h,
        c.observer,
        "GET",
        `${base}/files/${f.id}`,
      );
      expect(one.file).toMatchObject({ healpix29: f.healpix29, name: f.name });
    });

    test("bad searches get clear errors", async () => {
      const bad = async (query: string) =>
        (await call(h, c.observer, "GET", `${base}/files?${query}`)).json();
      expect(await bad("ra=10&dec=20")).toEqual({
        code: "BAD_REQUEST",
        message: "a cone needs ra, dec and radius together",
      });
      expect(await bad("ra=400&dec=0&radius=1")).toEqual({
        code: "BAD_REQUEST",
        message: "ra 400 is not in [0, 360) degrees",
      });
      expect(await bad("header=EXPTIME>abc")).toEqual({
        code: "BAD_REQUEST",
        message: 'header condition "EXPTIME>abc": > needs a number, got "abc"',
      });
      expect(await bad("header=%3D%3D")).toMatchObject({ code: "BAD_REQUEST" });
      expect(await bad("from=yesterday")).toEqual({
        code: "BAD_REQUEST",
        message: 'from "yesterday" is not an ISO 8601 date',
      });
      expect(await bad("cursor=xyz")).toEqual({
        code: "BAD_REQUEST",
        message: "cursor is not one this server gave out; start again without it",
      });
      expect((await bad("colour=red")).code).toBe("VALIDATION_FAILED");
      expect((await bad("frameType=science")).code).toBe("VALIDATION_FAILED");
      expect(await bad("sort=distance")).toEqual({
        code: "BAD_REQUEST",
        message: "sort=distance needs a cone (ra, dec, radius)",
      });
    });
  });
});

/**
 * Thumbnails of real FITS files (../shared/fixtures/fits) read from storage: sizes follow the
 * image axes astropy reports (fixtures/portal/ingest-expected.json), cubes show a plane, files
 * without an image and unreadable files get clear errors.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot, sharedFixture } from "../../../test/paths.js";
import { dataFiles, datasets } from "../src/db/portal-schema.js";
import type { Storage } from "../src/storage/storage.js";
import { decodePng } from "../src/viewer/png-thumbnail.js";
import type { Harness } from "./harness.js";
import { openTestPglite } from "./pglite.js";
import { buildHarnessOn, call, type PortalCast, portalCast } from "./portal-harness.js";

const expected = JSON.parse(await readFile(`${repoRoot}/fixtures/portal/ingest-expected.json`, "utf8")) as {
  files: Record<string, { hdus: { cards: Record<string, number | string> }[] }>;
};

/** NAXIS1, NAXIS2 of the first HDU with a 2-d image, per astropy. */
function axesOf(name: string): [number, number] {
  for (const hdu of expected.files[name]!.hdus) {
    const c = hdu.cards;
    const xt = c.XTENSION;
    if (
      (xt === undefined || xt === "IMAGE") &&
      Number(c.NAXIS) >= 2 &&
      Number(c.NAXIS1) > 1 &&
      Number(c.NAXIS2) > 1
    )
      return [Number(c.NAXIS1), Number(c.NAXIS2)];
  }
  throw new Error(`no image in ${name}`);
}

describe("file thumbnails", () => {
  let h: Harness & { storage: Storage };
  let c: PortalCast;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await buildHarnessOn(await openTestPglite());
    c = await portalCast(h, "thumbs");
    const [ds] = await h.database.db.insert(datasets).values({ orgId: c.orgId, name: "d" }).returning();
    const files: [string, string, string][] = [
      ["ngc1316o.fit", "fits", "fits/ngc1316o.fit"],
      ["m51.fits.gz", "fits.gz", "fits/m51.fits.gz"],
      ["datacube.fit", "fits", "fits/datacube.fit"],
      ["gmos.fits", "fits", "fits/gmos.fits"],
      ["asciitab.fit", "fits", "fits/asciitab.fit"],
      ["not-fits.fits", "fits", "README.md"],
    ];
    for (const [name, format, path] of files) {
      const key = `thumbs/${name}`;
      const put = await h.storage.put(key, createReadStream(sharedFixture(path)));
      const [row] = await h.database.db
        .insert(dataFiles)
        .values({
          orgId: c.orgId,
          datasetId: ds!.id,
          name,
          size: put.size,
          sha256: put.sha256,
          storageKey: key,
          format,
        })
        .returning();
      ids[name] = row!.id;
    }
  });
  afterAll(() => h?.close());

  const thumb = (name: string, size?: number) =>
    call(
      h,
      c.observer,
      "GET",
      `/api/portals/thumbs/files/${ids[name]}/thumbnail${size ? `?size=${size}` : ""}`,
    );

  test.each([
    ["ngc1316o.fit", 256],
    ["m51.fits.gz", 128],
    ["datacube.fit", 256],
    ["gmos.fits", 64],
  ])("%s at %i px: block-averaged to the image's shape", async (name, size) => {
    const res = await thumb(name, size);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    const png = decodePng(new Uint8Array(res.rawPayload));
    const [w, hgt] = axesOf(name);
    const f = Math.max(1, Math.ceil(Math.max(w, hgt) / size));
    expect([png!.width, png!.height]).toEqual([Math.ceil(w / f), Math.ceil(hgt / f)]);
    // Not a blank image: zscale and asinh spread the grey levels.
    const greys = new Set<number>();
    for (let i = 0; i < png!.rgba.length; i += 4) greys.add(png!.rgba[i]!);
    expect(greys.size).toBeGreaterThan(16);
    // The second request is served from the cache, byte for byte.
    expect((await thumb(name, size)).rawPayload.equals(res.rawPayload)).toBe(true);
  });

  test("a file without an image, a file that is not FITS, a size out of range", async () => {
    expect((await thumb("asciitab.fit")).json()).toEqual({
      code: "NOT_FOUND",
      message: '"asciitab.fit" has no image to show',
    });
    const bad = await thumb("not-fits.fits");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^cannot make a thumbnail of "not-fits.fits": /);
    expect((await thumb("m51.fits.gz", 5000)).statusCode).toBe(400);
  });
});

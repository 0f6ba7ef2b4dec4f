/**
 * Ingest of real FITS files (../shared/fixtures/fits) compared with astropy: every HDU header, the
 * WCS centre in ICRS, the footprint, the radius, the order-29 NESTED HEALPix index (astropy_healpix),
 * DATE-OBS and the other keywords. Expected values: fixtures/portal/make-ingest-expected.py →
 * fixtures/portal/ingest-expected.json. Plus bad input: not-FITS named .fits, truncated FITS,
 * corrupt gzip, no WCS, empty files, and a fuzz of truncations and byte flips.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ang2pixBig, separation } from "@meridian/sky";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frameTypeOf } from "../src/portal/ingest/frame-type.js";
import { inspectStoredFile } from "../src/portal/ingest/inspect-file.js";
import { nightOf } from "../src/portal/ingest/night-of.js";
import { LocalStorage } from "../src/storage/local-storage.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const FITS_DIR = join(ROOT, "..", "shared", "fixtures", "fits");

interface Expected {
  hdus: { type: string; cards: Record<string, unknown> }[];
  ra: number | null;
  dec: number | null;
  healpix29: string | null;
  footprint: [number, number][] | null;
  radius_deg: number | null;
  object: string | null;
  date_obs: string | null;
  exptime: number | null;
  filter: string | null;
  instrument: string | null;
  telescope: string | null;
  image_type: string | null;
  airmass: number | null;
  wcs_hdu: number | null;
}
const EXPECTED = JSON.parse(
  await readFile(join(ROOT, "fixtures", "portal", "ingest-expected.json"), "utf8"),
) as {
  files: Record<string, Expected>;
  nights: { instant: string; time_zone: string; night: string }[];
};

// Positions: WCS transformations agree with wcslib/astropy to well under a milliarcsecond.
const POSITION_TOL_DEG = 1e-8;

let dir: string;
let storage: LocalStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "meridian-ingest-"));
  storage = new LocalStorage(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function store(key: string, bytes: Uint8Array): Promise<string> {
  await storage.put(
    key,
    (async function* () {
      yield bytes;
    })(),
  );
  return key;
}

describe("ingest of real FITS files against astropy", () => {
  for (const [name, exp] of Object.entries(EXPECTED.files)) {
    it(name, async () => {
      const key = await store(`t/${name}`, await readFile(join(FITS_DIR, name)));
      const got = await inspectStoredFile(storage, key, `raw/${name}`);
      const fits = got.fits;
      expect(fits).not.toBeNull();
      if (fits === null) return;
      expect(got.format).toBe(
        name.endsWith(".gz") ? "fits.gz" : name.endsWith(".fz") || name === "comp.fits" ? "fz" : "fits",
      );
      // Every HDU, every value card astropy can parse, same value.
      expect(fits.headers.map((h) => h.type)).toEqual(exp.hdus.map((h) => h.type));
      exp.hdus.forEach((h, i) => {
        const cards = fits.headers[i]?.cards ?? {};
        for (const [k, v] of Object.entries(h.cards)) {
          if (v !== null && typeof v === "object") continue; // astropy could not parse this card
          if (typeof v === "number" && typeof cards[k] === "number") {
            expect(cards[k] as number, `${name} HDU ${i} ${k}`).toBeCloseTo(v, 12);
          } else {
            expect(cards[k], `${name} HDU ${i} ${k}`).toEqual(v);
          }
        }
      });
      expect(fits.wcsHdu).toBe(exp.ra !== null && exp.footprint !== null ? exp.wcs_hdu : null);
      if (exp.ra === null || exp.dec === null) {
        expect(fits.ra).toBeNull();
        expect(fits.healpix29).toBeNull();
      } else {
        expect(separation(fits.ra ?? Number.NaN, fits.dec ?? Number.NaN, exp.ra, exp.dec)).toBeLessThan(
          POSITION_TOL_DEG,
        );
        // Our HEALPix of astropy's position is astropy_healpix's index; ours is that of our position.
        expect(ang2pixBig(29, exp.ra, exp.dec).toString()).toBe(exp.healpix29);
        expect(fits.healpix29).toBe(ang2pixBig(29, fits.ra as number, fits.dec as number));
      }
      if (exp.footprint === null) {
        expect(fits.footprint).toBeNull();
        expect(got.warnings).toContain("no celestial WCS: no footprint");
      } else {
        expect(fits.footprint).toHaveLength(4);
        exp.footprint.forEach(([ra, dec], i) => {
          const [r, d] = fits.footprint?.[i] ?? [Number.NaN, Number.NaN];
          expect(separation(r, d, ra, dec), `${name} corner ${i}`).toBeLessThan(POSITION_TOL_DEG);
        });
        expect(fits.radiusDeg).toBeCloseTo(exp.radius_deg as number, 8);
      }
      expect(fits.dateObs?.toISOString() ?? null).toBe(exp.date_obs);
      expect(fits.object).toBe(exp.object);
      expect(fits.exptime).toBe(exp.exptime);
      expect(fits.filter).toBe(exp.filter);
      expect(fits.instrument).toBe(exp.instrument);
      expect(fits.telescope).toBe(exp.telescope);
      expect(fits.imageType).toBe(exp.image_type);
      expect(fits.airmass).toBe(exp.airmass);
    });
  }
});

describe("nights are local noon to noon (zoneinfo)", () => {
  it("matches Python zoneinfo for every case", () => {
    for (const c of EXPECTED.nights) {
      expect(nightOf(new Date(c.instant), c.time_zone), `${c.instant} ${c.time_zone}`).toBe(c.night);
    }
  });
});

describe("frame types", () => {
  it("normalises IMAGETYP/OBSTYPE values and folder names", () => {
    const cases: [string | null, string, boolean, string | null][] = [
      ["Light Frame", "a.fits", true, "light"],
      ["OBJECT", "a.fits", true, "light"],
      ["Bias Frame", "a.fits", true, "bias"],
      ["zero", "a.fits", true, "bias"],
      ["DARK", "a.fits", true, "dark"],
      ["Flat Field", "a.fits", true, "flat"],
      ["DOMEFLAT", "a.fits", true, "flat"],
      ["sky_flat", "a.fits", true, "flat"],
      ["ARC", "a.fits", true, "arc"],
      ["COMP", "a.fits", true, "arc"],
      ["FOCUS", "a.fits", true, "other"],
      [null, "n1/bias/b001.fits", true, "bias"],
      [null, "n1/Flats/f1.fits", true, "flat"],
      [null, "darks/sub/d.fits", true, "dark"],
      [null, "n1/x.fits", true, "other"],
      [null, "n1/log.txt", false, null],
      ["dark", "flats/x.fits", true, "dark"],
    ];
    for (const [type, path, isFits, want] of cases)
      expect(frameTypeOf(type, path, isFits), `${type} ${path}`).toBe(want);
  });
});

describe("bad input is a warning, never a failure", () => {
  it("a non-FITS file named .fits is stored as a companion with a warning", async () => {
    const key = await store("bad/notfits.fits", new TextEncoder().encode("this is a log file\n"));
    const got = await inspectStoredFile(storage, key, "notfits.fits");
    expect(got.format).toBe("text");
    expect(got.fits).toBeNull();
    expect(got.warnings).toEqual([
      'named like a FITS file but is not one: it does not start with "SIMPLE  =" (stored as text)',
    ]);
  });

  it("a truncated FITS keeps its header and says where the data ends", async () => {
    const bytes = await readFile(join(FITS_DIR, "ngc1316o.fit"));
    // astropy: the data starts at byte 11520 (BITPIX 16, 440 x 300 pixels).
    const key = await store("bad/trunc.fits", bytes.subarray(0, 30_000));
    const got = await inspectStoredFile(storage, key, "trunc.fits");
    expect(got.format).toBe("fits");
    expect(got.fits?.object).toBe("NGC 1316");
    expect(got.warnings[0]).toBe(
      "truncated: HDU 0 declares 264000 data bytes at byte 11520 but the file has only 18480",
    );
  });

  it("a corrupt gzip keeps what was inflated", async () => {
    const bytes = await readFile(join(FITS_DIR, "m51.fits.gz"));
    const key = await store("bad/m51.fits.gz", bytes.subarray(0, 5000));
    const got = await inspectStoredFile(storage, key, "m51.fits.gz");
    expect(got.format).toBe("fits.gz");
    expect(got.fits?.object).toBe("m51 log-scaled");
    expect(got.warnings[0]).toMatch(/^reading stopped at byte \d+: unexpected end of file$/);
  });

  it("empty files, PNG, JSON and CSV companions", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await inspectStoredFile(storage, await store("c/a.png", png), "a.png")).format).toBe("png");
    expect(
      (await inspectStoredFile(storage, await store("c/e", new Uint8Array(0)), "empty.log")).format,
    ).toBe("text");
    const json = new TextEncoder().encode('{"a": 1}');
    expect((await inspectStoredFile(storage, await store("c/j", json), "x.json")).format).toBe("json");
    expect((await inspectStoredFile(storage, await store("c/c", json), "x.csv")).format).toBe("csv");
    expect(
      (await inspectStoredFile(storage, await store("c/b", new Uint8Array([0, 1, 2, 200])), "x.bin")).format,
    ).toBe("other");
  });

  it("fuzz: truncations and flipped bytes of every kind of FITS never throw", async () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const name of ["gmos.fits", "comp.fits", "dss.14.29.56-62.41.05.fits.gz", "rosat.evt"]) {
      const bytes = new Uint8Array(await readFile(join(FITS_DIR, name)));
      for (let k = 0; k < 12; k++) {
        const copy = bytes.slice(0, Math.floor(rand() * bytes.length));
        for (let f = 0; f < 4 && copy.length > 0; f++)
          copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
        const key = await store(`fuzz/${name}-${k}`, copy);
        const got = await inspectStoredFile(storage, key, name);
        expect(["fits", "fits.gz", "fz", "other", "text"]).toContain(got.format);
      }
    }
  });
});

/**
 * Fuzz: truncated files, junk bytes, missing END, absurd NAXISn, wrong BITPIX, bad TFORM and
 * random damage to real and generated files. Every failure must be a tagged FitsError; nothing may
 * hang or crash. Seeded PRNG, bounded iterations.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { isFitsError } from "./errors.js";
import { FitsFile } from "./fits-file.js";
import { verifyFits } from "./verify-fits.js";

/** Mulberry32: a small seeded PRNG. */
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

/** Open and read every HDU's data; returns the error thrown, if any. */
async function exercise(bytes: Uint8Array): Promise<unknown> {
  try {
    const fits = await FitsFile.open(bytes);
    for (const h of fits.hdus) {
      if (h.kind === "primary" || h.kind === "image" || h.kind === "compressed-image")
        await fits.readImage(h.index);
      else if (h.kind === "bintable") await fits.readTable(h.index);
      else if (h.kind === "table") await fits.readAsciiTable(h.index);
      else if (h.kind === "random-groups") await fits.readGroups(h.index);
    }
    await verifyFits(fits);
    return undefined;
  } catch (err) {
    return err;
  }
}

function setCard(bytes: Uint8Array, key: string, image: string): Uint8Array {
  const out = bytes.slice();
  const text = new TextDecoder("latin1").decode(out.subarray(0, Math.min(out.length, 2880 * 40)));
  for (let p = 0; p < text.length; p += 80) {
    if (text.startsWith(key.padEnd(8), p)) {
      const card = image.padEnd(80);
      for (let k = 0; k < 80; k++) out[p + k] = card.charCodeAt(k);
      return out;
    }
  }
  throw new Error(`no ${key} card`);
}

const files = [
  repoFixture("fits/generated/bintable-all.fits"),
  repoFixture("fits/generated/ascii-table.fits"),
  repoFixture("fits/generated/rice-int16-tiles.fits.fz"),
  repoFixture("fits/generated/gzip2-int16.fits.fz"),
  repoFixture("fits/generated/plio-int16.fits.fz"),
  repoFixture("fits/generated/quant-dither1-float32.fits.fz"),
  repoFixture("fits/generated/hcompress-int16.fits.fz"),
  repoFixture("fits/generated/quant-hcompress-float32.fits.fz"),
  repoFixture("fits/generated/gzip1-int16.fits.fz"),
  repoFixture("fits/generated/scaled-blank.fits"),
  ...(haveSharedFixtures()
    ? [
        sharedFixture("fits/random_groups.fits"),
        sharedFixture("fits/example_cube.fits"),
        sharedFixture("fits/rosat.evt"),
      ]
    : []),
];

describe("fuzzing the reader", () => {
  test("targeted damage gives tagged errors naming the HDU and byte offset", async () => {
    const img = new Uint8Array(readFileSync(repoFixture("fits/generated/scaled-blank.fits")));
    const absurd = await exercise(setCard(img, "NAXIS1", "NAXIS1  =     1000000000000000"));
    expect(isFitsError(absurd)).toBe(true);
    expect(absurd).toMatchObject({ hdu: 0 });
    expect((absurd as { code: string }).code).toMatch(/TRUNCATED|TOO_LARGE/);
    expect(await exercise(setCard(img, "BITPIX", "BITPIX  =                    7"))).toMatchObject({
      code: "BAD_BITPIX",
      hdu: 0,
      offset: 0,
    });
    expect(await exercise(setCard(img, "NAXIS2", "NAXIS2  =                   -5"))).toMatchObject({
      code: "BAD_NAXIS",
      hdu: 0,
    });
    const noEnd = setCard(img, "END", "");
    expect(await exercise(noEnd)).toMatchObject({ code: "BAD_HEADER", hdu: 0 });
    const junk = img.slice();
    junk[200] = 0x07;
    expect(await exercise(junk)).toMatchObject({ code: "BAD_CARD", hdu: 0, offset: 200 });
    expect(await exercise(img.subarray(0, 2900))).toMatchObject({ code: "TRUNCATED", hdu: 0, offset: 2880 });
    expect(await exercise(img.subarray(0, 1000))).toMatchObject({ code: "NOT_FITS" });
    const table = new Uint8Array(readFileSync(repoFixture("fits/generated/bintable-all.fits")));
    const badForm = await exercise(setCardAfter(table, 2880, "TFORM3", "TFORM3  = 'QQ9'"));
    expect(badForm).toMatchObject({ code: "BAD_TFORM", hdu: 1, keyword: "TFORM3" });
    const huge = await exercise(setCardAfter(table, 2880, "TFORM1", "TFORM1  = '99999999L'"));
    expect(huge).toMatchObject({ code: "BAD_TFORM", hdu: 1 });
  });

  test("random truncation and byte damage never escape as untagged errors", async () => {
    const rand = prng(20261125);
    let failures = 0;
    for (const path of files) {
      const original = new Uint8Array(readFileSync(path));
      for (let k = 0; k < 25; k++) {
        let bytes: Uint8Array;
        const mode = k % 3;
        if (mode === 0) bytes = original.subarray(0, Math.floor(rand() * original.length));
        else {
          bytes = original.slice();
          const n = 1 + Math.floor(rand() * 20);
          // Mode 1 hits anywhere; mode 2 hits the data after the first header block.
          for (let i = 0; i < n; i++) {
            const at =
              mode === 1
                ? Math.floor(rand() * bytes.length)
                : 2880 + Math.floor(rand() * (bytes.length - 2880));
            bytes[at] = Math.floor(rand() * 256);
          }
        }
        const err = await exercise(bytes);
        if (err !== undefined) {
          failures++;
          if (!isFitsError(err))
            throw new Error(`${path} (case ${k}) threw an untagged error: ${String(err)}`);
        }
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});

/** Replace a card in the header that starts at byte `start`. */
function setCardAfter(bytes: Uint8Array, start: number, key: string, image: string): Uint8Array {
  const out = bytes.slice();
  out.set(setCard(bytes.subarray(start), key, image).subarray(0, 2880 * 4), start);
  return out;
}

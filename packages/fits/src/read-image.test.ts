import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import type { ByteSource } from "./byte-source.js";
import { fileSource } from "./file-source.js";
import { FitsFile } from "./fits-file.js";
import { sectionRuns } from "./read-image.js";
import { writeFits } from "./write-fits.js";

/** Wrap a source to count the bytes actually read. */
function counting(source: ByteSource): ByteSource & { bytesRead: number } {
  const wrapped = {
    size: source.size,
    bytesRead: 0,
    async read(offset: number, length: number) {
      wrapped.bytesRead += length;
      return source.read(offset, length);
    },
  };
  return wrapped;
}

describe("sectionRuns", () => {
  test("a full plane of a cube is one run; a rectangle is one run per row", () => {
    expect(sectionRuns([4, 3, 5], [0, 0, 2], [4, 3, 3], 2, 100)).toEqual([
      { offset: 100 + 2 * 12 * 2, length: 24, to: 0 },
    ]);
    expect(sectionRuns([10, 10], [2, 3], [5, 5], 4, 0)).toEqual([
      { offset: (3 * 10 + 2) * 4, length: 12, to: 0 },
      { offset: (4 * 10 + 2) * 4, length: 12, to: 12 },
    ]);
  });
});

test("large images read through the concurrent path equal the in-memory read", async () => {
  const n = 1600; // 10 MiB of float32: read as 8 concurrent chunks
  const data = new Float32Array(n * n).map((_, i) => (i % 977) - 300.25);
  const bytes = writeFits([{ data, axes: [n, n] }], { checksum: false });
  const dir = mkdtempSync(join(tmpdir(), "meridian-fits-big-"));
  try {
    writeFileSync(join(dir, "big.fits"), bytes);
    const fits = await FitsFile.open(await fileSource(join(dir, "big.fits")));
    const img = await fits.readImage(0);
    await fits.close();
    expect(img.data).toBeInstanceOf(Float32Array);
    // Compare the bytes: deep equality on millions of elements is far too slow.
    expect(
      Buffer.compare(
        new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength),
        new Uint8Array(data.buffer),
      ),
    ).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf(!haveSharedFixtures())("sections read only what they need", () => {
  test("a plane of datacube.fit equals that part of the whole cube", async () => {
    const src = counting(await fileSource(sharedFixture("fits/datacube.fit")));
    const fits = await FitsFile.open(src);
    const headerBytes = src.bytesRead;
    const whole = await fits.readImage(0);
    src.bytesRead = 0;
    const plane = await fits.readImage(0, { plane: 7 });
    expect(plane.axes).toEqual([64, 64]);
    expect(src.bytesRead).toBe(64 * 64 * 2);
    const n = 64 * 64;
    expect(Array.from(plane.data as Int16Array)).toEqual(
      Array.from((whole.data as Int16Array).subarray(7 * n, 8 * n)),
    );
    const box = await fits.readImage(0, { section: { start: [10, 20, 3], end: [15, 22, 5] } });
    expect(box.axes).toEqual([5, 2, 2]);
    const expected: number[] = [];
    for (let k = 3; k < 5; k++)
      for (let j = 20; j < 22; j++)
        for (let i = 10; i < 15; i++) expected.push(Number(whole.data[k * n + j * 64 + i]));
    expect(Array.from(box.data, Number)).toEqual(expected);
    expect(headerBytes).toBeLessThan((64 * 64 * 30 * 2) / 4);
    await src.close?.();
  });

  test("a box of a tile-compressed image decodes only the tiles it touches", async () => {
    const src = counting(await fileSource(repoFixture("fits/generated/rice-int16-tiles.fits.fz")));
    const fits = await FitsFile.open(src);
    const whole = await fits.readImage(1);
    src.bytesRead = 0;
    const box = await fits.readImage(1, { section: { start: [33, 21], end: [60, 39] } });
    expect(box.axes).toEqual([27, 18]);
    const expected: number[] = [];
    for (let j = 21; j < 39; j++)
      for (let i = 33; i < 60; i++) expected.push(Number(whole.data[j * 120 + i]));
    expect(Array.from(box.data, Number)).toEqual(expected);
    expect(src.bytesRead).toBeLessThan(src.size / 4);
    await src.close?.();
  });

  test("bad sections are tagged errors", async () => {
    const fits = await FitsFile.open(await fileSource(sharedFixture("fits/datacube.fit")));
    await expect(fits.readImage(0, { section: { start: [0, 0, 0], end: [65, 1, 1] } })).rejects.toMatchObject(
      {
        code: "INVALID_ARGUMENT",
      },
    );
    await expect(fits.readImage(0, { plane: 30 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await fits.close();
  });
});

/** PNG decoding for thumbnails: round trips through the fits PNG encoder (all five filters), palettes, junk. */
import { deflateSync } from "node:zlib";
import { crc32, encodePng } from "@meridian/fits";
import { describe, expect, test } from "vitest";
import { decodePng, pngThumbnail, shrinkRgba } from "./png-thumbnail.js";

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
  return out;
}

describe("PNG thumbnails", () => {
  let seed = 3;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  test("RGB, RGBA, grey and 16-bit grey decode to what was encoded", () => {
    const w = 37;
    const h = 23;
    // Smooth gradients plus noise, so the encoder picks different filters on different rows.
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) {
      const x = i % w;
      const y = Math.floor(i / w);
      rgba[i * 4] = (x * 7) & 255;
      rgba[i * 4 + 1] = (y * 11 + (random() < 0.3 ? 40 : 0)) & 255;
      rgba[i * 4 + 2] = (x * y) & 255;
      rgba[i * 4 + 3] = 255 - ((x + y) & 127);
    }
    const rgb = new Uint8Array(w * h * 3);
    const grey = new Uint8Array(w * h);
    const grey16 = new Uint16Array(w * h);
    for (let i = 0; i < w * h; i++) {
      rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
      grey[i] = rgba[i * 4]!;
      grey16[i] = rgba[i * 4]! * 257;
    }
    const asRgba = (f: (i: number) => [number, number, number, number]) =>
      Uint8Array.from({ length: w * h * 4 }, (_, k) => f(Math.floor(k / 4))[k % 4]!);
    expect(decodePng(encodePng(rgba, w, h, "rgba"))?.rgba).toEqual(rgba);
    expect(decodePng(encodePng(rgb, w, h, "rgb"))?.rgba).toEqual(
      asRgba((i) => [rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!, 255]),
    );
    expect(decodePng(encodePng(grey, w, h, "grey"))?.rgba).toEqual(
      asRgba((i) => [grey[i]!, grey[i]!, grey[i]!, 255]),
    );
    expect(decodePng(encodePng(grey16, w, h, "grey16"))?.rgba).toEqual(
      asRgba((i) => [grey[i]!, grey[i]!, grey[i]!, 255]),
    );
  });

  test("2-bit palette with transparency", () => {
    // 4x2 image, 2 bits per index: rows [0,1,2,3] and [3,2,1,0] (filter 0).
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(4, 0);
    ihdr.writeUInt32BE(2, 4);
    ihdr[8] = 2;
    ihdr[9] = 3;
    const raw = Uint8Array.from([0, 0b00011011, 0, 0b11100100]);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("PLTE", Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])),
      chunk("tRNS", Uint8Array.from([0, 128])),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", new Uint8Array(0)),
    ]);
    const d = decodePng(png);
    const px = (i: number) => Array.from(d!.rgba.subarray(i * 4, i * 4 + 4));
    expect([0, 1, 2, 3, 4].map(px)).toEqual([
      [255, 0, 0, 0],
      [0, 255, 0, 128],
      [0, 0, 255, 255],
      [9, 9, 9, 255],
      [9, 9, 9, 255],
    ]);
  });

  test("shrinking averages blocks; small images are left alone; junk is refused", () => {
    const img = { width: 4, height: 2, rgba: new Uint8Array(32).fill(255) };
    for (let i = 0; i < 8; i += 2) img.rgba.set([0, 0, 0, 255], i * 4);
    expect(Array.from(shrinkRgba(img, 2).rgba)).toEqual([128, 128, 128, 255, 128, 128, 128, 255]);
    const big = encodePng(new Uint8Array(600 * 10 * 3).fill(200), 600, 10, "rgb");
    const thumb = pngThumbnail(big, 100)!;
    expect(decodePng(thumb)).toMatchObject({ width: 100, height: 2 });
    expect(pngThumbnail(encodePng(new Uint8Array(30), 10, 1, "rgb"), 100)).toBeNull();
    for (let i = 0; i < 300; i++) {
      const junk = big.slice(0, Math.floor(random() * big.length));
      const at = 8 + Math.floor(random() * (junk.length - 8));
      if (i % 2 === 1 && at < junk.length) junk[at] = (junk[at] ?? 0) ^ 0xff;
      expect(() => decodePng(junk)).not.toThrow();
    }
  });
});

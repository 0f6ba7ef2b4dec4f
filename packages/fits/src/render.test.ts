import { readFileSync } from "node:fs";
import { unzlibSync } from "fflate";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { COLORMAP_NAMES, colormap } from "./colormap.js";
import { openFitsFile } from "./file-source.js";
import { crc32, encodePng } from "./png.js";
import { renderImage } from "./render.js";

const expected = JSON.parse(readFileSync(repoFixture("fits", "expected", "image.json"), "utf8")) as {
  render: { file: string; width: number; height: number; rgbBase64: string };
};

/** Decode our own PNG output (filters 0–2 only) to check the byte stream round-trips. */
function decodePng(png: Uint8Array): {
  width: number;
  height: number;
  depth: number;
  type: number;
  data: Uint8Array;
} {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    const len = view.getUint32(off);
    const name = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    expect(view.getUint32(off + 8 + len)).toBe(
      (crc32(png.subarray(off + 4, off + 8 + len)) ^ 0xffffffff) >>> 0,
    );
    if (name === "IHDR") {
      width = view.getUint32(off + 8);
      height = view.getUint32(off + 12);
      depth = body[8] as number;
      type = body[9] as number;
    } else if (name === "IDAT") idat.push(body);
    off += 12 + len;
    if (name === "IEND") break;
  }
  const raw = unzlibSync(idat.length === 1 ? (idat[0] as Uint8Array) : new Uint8Array(Buffer.concat(idat)));
  const bpp = ({ 0: 1, 2: 3, 6: 4 } as Record<number, number>)[type]! * (depth / 8);
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)] as number;
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i] as number;
      const left = i >= bpp ? (out[y * stride + i - bpp] as number) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + i] as number) : 0;
      out[y * stride + i] = (v + (f === 1 ? left : f === 2 ? up : 0)) & 0xff;
    }
  }
  return { width, height, depth, type, data: out };
}

describe("PNG encoder", () => {
  test("RGB, RGBA, grey and 16-bit grey round-trip", () => {
    const w = 7;
    const h = 5;
    for (const [color, n] of [
      ["rgb", 3],
      ["rgba", 4],
      ["grey", 1],
    ] as const) {
      const px = Uint8Array.from({ length: w * h * n }, (_, i) => (i * 37) & 0xff);
      const d = decodePng(encodePng(px, w, h, color));
      expect([d.width, d.height, d.depth]).toEqual([w, h, 8]);
      expect(d.data).toEqual(px);
    }
    const g16 = Uint16Array.from({ length: w * h }, (_, i) => i * 1500);
    const d = decodePng(encodePng(g16, w, h, "grey16"));
    expect(d.depth).toBe(16);
    const back = Array.from(
      { length: w * h },
      (_, i) => ((d.data[2 * i] as number) << 8) | (d.data[2 * i + 1] as number),
    );
    expect(back).toEqual(Array.from(g16));
  });

  test("bad sizes are tagged errors", () => {
    expect(() => encodePng(new Uint8Array(3), 2, 1, "rgb")).toThrow(/samples/);
  });
});

describe("colormaps", () => {
  test("all tables have 256 entries and resolve by name, gray alias and _r", () => {
    for (const name of COLORMAP_NAMES) expect(colormap(name).length).toBe(768);
    expect(colormap("gray")).toEqual(colormap("grey"));
    expect(Array.from(colormap("inferno_r").subarray(0, 3))).toEqual(
      Array.from(colormap("inferno").subarray(765)),
    );
    expect(() => colormap("jet2")).toThrow(/unknown colormap/);
  });
});

describe.runIf(haveSharedFixtures())("rendering against matplotlib", () => {
  test("Spitzer image, zscale + asinh + inferno, row 1 at the bottom", async () => {
    const f = await openFitsFile(sharedFixture("fits", expected.render.file));
    const img = await f.readImage(0);
    await f.close();
    const [w, h] = img.axes as [number, number];
    const r = renderImage(img.data as Float32Array, w, h, {
      interval: { kind: "zscale" },
      stretch: { kind: "asinh" },
      cmap: "inferno",
    });
    const want = Buffer.from(expected.render.rgbBase64, "base64");
    expect(r.pixels.length).toBe(want.length);
    // A value on a table-bin edge may fall one entry apart (float32 vs float64 rounding): allow
    // at most 0.1% of pixels to differ, each by one table step.
    let differ = 0;
    for (let i = 0; i < want.length; i += 3) {
      if (r.pixels[i] !== want[i] || r.pixels[i + 1] !== want[i + 1] || r.pixels[i + 2] !== want[i + 2])
        differ++;
    }
    expect(differ).toBeLessThanOrEqual(Math.ceil((w * h) / 1000));
  });
});

describe("colour-index thresholds", () => {
  test("the threshold lookup gives the same table index as evaluating every stretch", async () => {
    const { indexThresholds } = await import("./render.js");
    const { makeStretch, normalize, parseStretch } = await import("./stretch.js");
    const { colormapIndex } = await import("./colormap.js");
    const histData = Float64Array.from({ length: 999 }, (_, i) => Math.sin(i) ** 3);
    const bad: string[] = [];
    for (const name of [
      "linear",
      "sqrt",
      "squared",
      "power:3",
      "powerdist",
      "log",
      "asinh",
      "asinh:0.01",
      "sinh",
      "histeq",
    ]) {
      const f = makeStretch(parseStretch(name, histData));
      const t = indexThresholds(f);
      for (let i = 0; i <= 20000; i++) {
        const x = i / 20000 + (i % 7) * 1e-9;
        const xc = Math.min(1, x);
        let n = 0;
        while (n < 255 && (t[n] as number) <= xc) n++;
        if (n !== colormapIndex(normalize(xc, 0, 1, f))) bad.push(`${name} at ${xc}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe("renderImage colour lookup", () => {
  test("every pixel gets the table entry of its directly evaluated stretch", async () => {
    const { makeStretch, normalize, parseStretch } = await import("./stretch.js");
    const { colormapIndex } = await import("./colormap.js");
    let seed = 4242;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const w = 300;
    const h = 200;
    const data = Float32Array.from({ length: w * h }, (_, i) =>
      i % 97 === 0 ? Number.NaN : rand() * 1000 - 100,
    );
    for (const name of ["linear", "sqrt", "log", "asinh:0.02", "sinh", "power:3", "histeq"]) {
      const spec = parseStretch(name, data);
      const r = renderImage(data, w, h, {
        interval: { kind: "manual", vmin: 0, vmax: 800 },
        stretch: spec,
        cmap: "viridis",
        topDown: true,
      });
      const f = makeStretch(spec);
      const lut = colormap("viridis");
      const want = new Uint8Array(w * h * 3);
      for (let i = 0; i < w * h; i++) {
        const v = data[i] as number;
        if (Number.isNaN(v)) continue;
        const j = 3 * colormapIndex(normalize(v, 0, 800, f));
        want.set(lut.subarray(j, j + 3), 3 * i);
      }
      // One comparison per stretch (a per-pixel expect is far too slow).
      expect(Buffer.from(r.pixels).equals(Buffer.from(want)), name).toBe(true);
    }
  });
});

/**
 * Files written by Meridian: read back identical by our reader and by astropy, pass fitsverify
 * (Debian package `fitsverify`), and carry correct CHECKSUM/DATASUM.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ensureDebianPython, ensureDebianTool, runTool } from "../../../test/debian-tools.js";
import type { FitsArray } from "./element-type.js";
import { FitsFile } from "./fits-file.js";
import { Header, parseHeaderBytes } from "./header.js";
import { verifyFits } from "./verify-fits.js";
import { type HduInput, writeFits } from "./write-fits.js";

function ramp<T extends FitsArray>(make: (n: number) => T, n: number, f: (i: number) => number | bigint): T {
  const a = make(n);
  for (let i = 0; i < n; i++) (a as unknown as (number | bigint)[])[i] = f(i);
  return a;
}

const dir = mkdtempSync(join(tmpdir(), "meridian-fits-write-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const images: Record<string, FitsArray> = {
  uint8: ramp(
    (n) => new Uint8Array(n),
    24,
    (i) => (i * 37) % 256,
  ),
  int8: ramp(
    (n) => new Int8Array(n),
    24,
    (i) => ((i * 37) % 256) - 128,
  ),
  int16: ramp(
    (n) => new Int16Array(n),
    24,
    (i) => i * 1000 - 12000,
  ),
  uint16: ramp(
    (n) => new Uint16Array(n),
    24,
    (i) => i * 2800,
  ),
  int32: ramp(
    (n) => new Int32Array(n),
    24,
    (i) => i * 90000000 - 1000000000,
  ),
  uint32: ramp(
    (n) => new Uint32Array(n),
    24,
    (i) => i * 180000000,
  ),
  int64: ramp(
    (n) => new BigInt64Array(n),
    24,
    (i) => BigInt(i) * 400000000000000000n - 4000000000000000000n,
  ),
  uint64: ramp(
    (n) => new BigUint64Array(n),
    24,
    (i) => BigInt(i) * 800000000000000000n + 1n,
  ),
  float32: ramp(
    (n) => new Float32Array(n),
    24,
    (i) => (i === 5 ? Number.NaN : i / 3),
  ),
  float64: ramp(
    (n) => new Float64Array(n),
    24,
    (i) => (i === 7 ? Number.NaN : Math.PI * i),
  ),
};

function sampleFile(): Uint8Array {
  const header = new Header().set("OBJECT", "M 31", "target").addHistory("written by a test");
  header.set("LONGSTR", "x".repeat(100), "a long string");
  const hdus: HduInput[] = [{ data: images.float32 as FitsArray, axes: [4, 6], header }];
  for (const [name, data] of Object.entries(images))
    hdus.push({ data, axes: [6, 4], name: name.toUpperCase() });
  hdus.push({
    kind: "bintable",
    name: "TABLE",
    columns: [
      { name: "I16", values: new Int16Array([1, -2, 3]) },
      { name: "U16", values: new Uint16Array([1, 40000, 65535]) },
      { name: "F64X2", values: new Float64Array([1, 2, 3, 4, 5, 6]), unit: "deg" },
      { name: "K", values: new BigInt64Array([1n, -(2n ** 62n), 3n]) },
      { name: "NAME", values: ["a", "bcd", ""] },
      { name: "FLAG", values: [true, false, true] },
      { name: "VAR", values: [new Int32Array([1, 2]), new Int32Array([]), new Int32Array([3])] },
      { name: "BITS", values: new Uint8Array([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]), format: "4X" },
      { name: "CPLX", values: new Float32Array([1, -1, 2, -2, 3, -3]), format: "C" },
      { name: "CUBE", values: new Float32Array(18).map((_, i) => i), dims: [3, 2] },
    ],
  });
  return writeFits(hdus);
}

describe("writeFits", () => {
  test("reads back identical with our reader, checksums verify", async () => {
    const bytes = sampleFile();
    const fits = await FitsFile.open(bytes);
    expect(fits.hdus.length).toBe(12);
    expect(fits.hdus[0]?.header.get("OBJECT")).toBe("M 31");
    expect(fits.hdus[0]?.header.get("LONGSTR")).toBe("x".repeat(100));
    for (const [i, [, data]] of Object.entries(images).entries()) {
      const img = await fits.readImage(i + 1);
      expect(img.data.constructor).toBe(data.constructor);
      expect(Array.from(img.data as ArrayLike<number>)).toEqual(Array.from(data as ArrayLike<number>));
    }
    const t = await fits.readTable("TABLE");
    expect(Array.from(t.columns[1]?.values as Uint16Array)).toEqual([1, 40000, 65535]);
    expect(t.columns[4]?.values).toEqual(["a", "bcd", ""]);
    expect(Array.from(t.columns[5]?.values as Uint8Array)).toEqual([1, 0, 1]);
    expect((t.columns[6]!.values as Int32Array[]).map((r) => Array.from(r))).toEqual([[1, 2], [], [3]]);
    expect(Array.from(t.columns[7]?.values as Uint8Array)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
    const v = await verifyFits(fits);
    expect(v.ok).toBe(true);
    expect(v.hdus.every((h) => h.checksum === "ok" && h.datasum === "ok")).toBe(true);
  });

  test("header editing keeps order and comments through a raw rewrite", async () => {
    const fits = await FitsFile.open(sampleFile());
    const hdu = fits.hdus[1];
    if (!hdu) throw new Error("no HDU 1");
    const edited = hdu.header.clone();
    edited.set("EXTNAME", "RENAMED");
    edited.set("OBSERVER", "Hubble", "who", { after: "EXTNAME" });
    const bytes = writeFits([
      { kind: "raw", header: fits.hdus[0]?.header as Header, data: await fits.readDataBytes(0) },
      { kind: "raw", header: edited, data: await fits.readDataBytes(1) },
    ]);
    const again = await FitsFile.open(bytes);
    const keys = again.hdus[1]?.header.keys().filter((k) => k !== "CHECKSUM" && k !== "DATASUM");
    expect(keys).toEqual(edited.keys().filter((k) => k !== "CHECKSUM" && k !== "DATASUM"));
    expect(again.hdus[1]?.header.comment("OBSERVER")).toBe("who");
    expect((await verifyFits(again)).ok).toBe(true);
  });

  test("verify notices a flipped byte", async () => {
    const bytes = sampleFile();
    const fits0 = await FitsFile.open(bytes);
    const at = (fits0.hdus[3]?.dataOffset ?? 0) + 5;
    bytes[at] = (bytes[at] as number) ^ 1;
    const v = await verifyFits(await FitsFile.open(bytes));
    expect(v.ok).toBe(false);
    expect(v.hdus[3]).toMatchObject({ checksum: "bad", datasum: "bad" });
  });

  const fitsverify = ensureDebianTool("fitsverify", "fitsverify");
  test.skipIf(fitsverify === null)("passes fitsverify", () => {
    const path = join(dir, "sample.fits");
    writeFileSync(path, sampleFile());
    const r = runTool(fitsverify as string, [path]);
    expect(r.output).toMatch(/Verification found 0 warning\(s\) and 0 error\(s\)/);
  });

  const python = ensureDebianPython("astropy", "python3-astropy");
  test.skipIf(python === null)("astropy reads the same values and verifies the checksums", async () => {
    const path = join(dir, "astropy.fits");
    writeFileSync(path, sampleFile());
    const script = `
import json, sys, warnings, numpy as np
from astropy.io import fits
warnings.simplefilter("error")  # a checksum mismatch is a warning in astropy: make it fail
out = []
with fits.open(sys.argv[1], checksum=True) as hl:
    for h in hl:
        if h.data is None:
            out.append(None)
        elif isinstance(h, fits.BinTableHDU):
            cols = {}
            for c in h.columns:
                v = h.data[c.name]
                if c.format.lstrip("0123456789").startswith(("P", "Q")):
                    cols[c.name] = [np.asarray(r).tolist() for r in v]
                elif v.dtype.kind == "c":
                    cols[c.name] = np.stack([v.real, v.imag], -1).ravel().tolist()
                elif v.dtype.kind in "SU":
                    cols[c.name] = [str(x) for x in v]
                else:
                    cols[c.name] = np.asarray(v).astype(float).ravel().tolist()
            out.append(cols)
        else:
            out.append({"dtype": str(h.data.dtype.newbyteorder("=")), "values": [None if x != x else float(x) if h.data.dtype.kind == "f" else str(x) for x in h.data.ravel()]})
print(json.dumps(out))
`;
    const r = runTool(python as string, ["-c", script, path]);
    expect(r.status, r.output).toBe(0);
    const got = JSON.parse(r.output) as (
      | { dtype: string; values: (number | string | null)[] }
      | Record<string, unknown[]>
      | null
    )[];
    const types = [
      "uint8",
      "int8",
      "int16",
      "uint16",
      "int32",
      "uint32",
      "int64",
      "uint64",
      "float32",
      "float64",
    ];
    Object.values(images).forEach((data, i) => {
      const e = got[i + 1] as { dtype: string; values: (number | string | null)[] };
      expect(e.dtype).toBe(types[i]);
      const float = data instanceof Float32Array || data instanceof Float64Array;
      const ours = Array.from(data as ArrayLike<number | bigint>, (x) =>
        float ? (Number.isNaN(Number(x)) ? null : Number(x)) : String(x),
      );
      expect(e.values).toEqual(ours);
    });
    const table = got[11] as Record<string, unknown[]>;
    expect(table.U16).toEqual([1, 40000, 65535]);
    expect(table.NAME).toEqual(["a", "bcd", ""]);
    expect(table.FLAG).toEqual([1, 0, 1]);
    expect(table.VAR).toEqual([[1, 2], [], [3]]);
    expect(table.BITS).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(table.CPLX).toEqual([1, -1, 2, -2, 3, -3]);
    expect(table.CUBE).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(table.K).toEqual([1, -(2 ** 62), 3]);
  });
});

test("parseHeaderBytes reads what the writer wrote", () => {
  const bytes = writeFits([{ data: new Float32Array(0), axes: [] }]);
  expect(parseHeaderBytes(bytes).header.get("SIMPLE")).toBe(true);
});

// Zarr v2/v3: reading what Debian's xarray/zarr 2.13 wrote (fixtures/array/make-zarr.py),
// Debian's xarray reading what we write (fixtures/array/read-zarr.py), round trips of every
// dtype, and corrupt chunks named by array and chunk key.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDebianPython } from "../../../test/debian-tools.js";
import { Coordinate } from "./coordinate.js";
import { DataArray } from "./data-array.js";
import { Dataset } from "./dataset.js";
import { DTYPES, type DType, type Scalar } from "./dtype.js";
import { isArrayError } from "./errors.js";
import { MemoryStore } from "./memory-store.js";
import { NDArray } from "./ndarray.js";
import { openZarrArray, readZarr, writeZarr } from "./zarr.js";
import { readZarrDirectory, writeZarrDirectory } from "./zarr-directory.js";

const fixtures = new URL("../../../fixtures/array/", import.meta.url).pathname;

type Enc = { dims: string[]; shape?: number[]; dtype?: string; data: unknown[] };

function expectValues(got: readonly Scalar[], want: readonly unknown[], what: string): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k];
    if (w === null) expect(Number.isNaN(Number(g)), `${what}[${k}]`).toBe(true);
    else if (typeof w === "string") expect(BigInt(g as number | bigint), `${what}[${k}]`).toBe(BigInt(w));
    else if (Array.isArray(w))
      expect([(g as { re: number }).re, (g as { im: number }).im], `${what}[${k}]`).toEqual(w);
    else if (typeof w === "boolean") expect(g, `${what}[${k}]`).toBe(w);
    else expect(Number(g), `${what}[${k}]`).toBe(w);
  });
}

describe("Zarr v2 written by xarray 2022.12 / zarr 2.13 (Blosc, zlib, F order, CF time, complex)", () => {
  const want = JSON.parse(readFileSync(join(fixtures, "xarray-v2.json"), "utf8")) as {
    vars: Record<string, Enc>;
    coords: Record<string, Enc>;
  };
  it("reads every variable and coordinate exactly", async () => {
    const ds = await readZarrDirectory(join(fixtures, "xarray-v2.zarr"));
    expect([...ds.dataVars.keys()].sort()).toEqual(Object.keys(want.vars).sort());
    for (const [name, w] of Object.entries(want.vars)) {
      const v = ds.get(name);
      expect(v.dims, name).toEqual(w.dims);
      expect([...v.shape], name).toEqual(w.shape);
      expect(v.dtype, name).toBe(w.dtype);
      expectValues(v.data.toFlat(), w.data, name);
    }
    for (const [name, w] of Object.entries(want.coords)) {
      const c = ds.coords.get(name) as Coordinate;
      expect(c.dims, name).toEqual(w.dims);
      expectValues(c.labels() as number[], w.data, name);
    }
    // xarray masks the array's fill_value (0 here) as NaN
    expect(ds.get("forder").data.toFlat().map(Number).slice(1)).toEqual(
      Array.from({ length: 19 }, (_, i) => i + 1),
    );
    expect(ds.attrs).toEqual({ title: "xarray fixture" });
    expect(ds.get("temp").attrs).toEqual({ units: "K" });
  });

  it("reads a region chunk by chunk", async () => {
    const { directoryStore } = await import("./zarr-directory.js");
    const arr = await openZarrArray(directoryStore(join(fixtures, "xarray-v2.zarr")), "temp");
    expect(arr.chunkGrid).toEqual([3, 2, 3]);
    const region = await arr.read([{ start: 1, stop: 4 }, { start: 3, stop: 5 }, null]);
    const all = want.vars.temp as Enc;
    const expected: unknown[] = [];
    for (let t = 1; t < 4; t++)
      for (let y = 3; y < 5; y++) for (let x = 0; x < 7; x++) expected.push(all.data[t * 42 + y * 7 + x]);
    expectValues(region.toFlat(), expected, "temp region");
  });
});

function sample(dtype: DType, shape: number[]): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const values: Scalar[] = Array.from({ length: n }, (_, i) => {
    switch (dtype) {
      case "bool":
        return i % 3 === 0;
      case "int64":
        return BigInt(i) * 1_000_000_000_007n - 2n ** 62n;
      case "uint64":
        return 2n ** 63n + BigInt(i);
      case "complex64":
      case "complex128":
        return { re: i + 0.5, im: -i };
      case "float32":
        return Math.fround(i * 0.1 - 3);
      case "float64":
        return i === 1 ? NaN : i * 0.1 - 3;
      case "uint8":
        return i % 256;
      case "int8":
        return (i % 256) - 128;
      default:
        return i;
    }
  });
  return NDArray.from(values as never, { dtype, shape });
}

describe("round trip of every dtype", () => {
  for (const format of [2, 3] as const) {
    for (const dtype of DTYPES) {
      it(`v${format} ${dtype}`, async () => {
        const store = new MemoryStore();
        const data = sample(dtype, [5, 7]);
        const fortran = data.copy("F");
        const ds = new Dataset(
          { v: new DataArray(fortran, ["a", "b"], { attrs: { note: dtype } }) },
          { coords: { a: [0, 1, 2, 3, 4] } },
        );
        await writeZarr(store, ds, { format, chunks: { a: 2, b: 3 } });
        const back = await readZarr(store);
        const v = back.get("v");
        expect(v.dtype).toBe(dtype);
        expect(v.dims).toEqual(["a", "b"]);
        expect(v.attrs).toEqual({ note: dtype });
        expect(v.data.toFlat()).toEqual(data.toFlat());
        expect(back.coords.get("a")?.labels()).toEqual([0, 1, 2, 3, 4]);
      });
    }
  }
});

describe("corrupt and missing chunks", () => {
  async function store(): Promise<MemoryStore> {
    const s = new MemoryStore();
    const da = new DataArray(sample("float32", [4, 6]), ["y", "x"], { name: "sst" });
    await writeZarr(s, new Dataset({ sst: da }), { chunks: { y: 2, x: 3 } });
    return s;
  }

  it("names the array and chunk of a corrupt zlib stream", async () => {
    const s = await store();
    const bytes = s.map.get("/sst/1.0") as Uint8Array;
    s.map.set(
      "/sst/1.0",
      bytes.map((b, i) => (i > 2 ? b ^ 0x5a : b)),
    );
    const err = await readZarr(s).catch((e: unknown) => e);
    expect(isArrayError(err, "ZARR_CHUNK")).toBe(true);
    expect(err).toMatchObject({ array: "sst", chunk: "1.0" });
    expect((err as Error).message).toMatch(/Zarr array "sst": chunk 1\.0/);
  });

  it("names the chunk of an uncompressed chunk that is too short", async () => {
    const s = new MemoryStore();
    await writeZarr(s, new Dataset({ t: new DataArray(sample("int32", [4, 4]), ["y", "x"]) }), {
      chunks: { y: 2 },
      compressor: "none",
    });
    s.map.set("/t/1.0", (s.map.get("/t/1.0") as Uint8Array).subarray(0, 10));
    const err = await readZarr(s).catch((e: unknown) => e);
    expect(isArrayError(err, "ZARR_CHUNK")).toBe(true);
    expect(err).toMatchObject({ array: "t", chunk: "1.0" });
  });

  it("reads a missing chunk as the fill value", async () => {
    const s = await store();
    s.map.delete("/sst/0.1");
    const v = (await readZarr(s)).get("sst");
    expect(Number.isNaN(Number(v.data.get(0, 4)))).toBe(true);
    expect(Number(v.data.get(0, 0))).toBe(Math.fround(-3));
  });
});

const python = ensureDebianPython("xarray", "python3-xarray") && ensureDebianPython("zarr", "python3-zarr");
const tmp = mkdtempSync(join(tmpdir(), "meridian-zarr-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!python)(
  "Debian xarray/zarr 2.13 open what Meridian writes (fixtures/array/read-zarr.py)",
  () => {
    it("every dtype, CF time, NaN fill, attributes, consolidated metadata", async () => {
      const time = [Date.UTC(2023, 0, 1), Date.UTC(2023, 0, 2), Date.UTC(2023, 0, 3, 12)];
      const vars: Record<string, DataArray> = {};
      for (const dtype of DTYPES)
        vars[`v_${dtype}`] = new DataArray(sample(dtype, [3, 4]), ["time", "x"], { attrs: { kind: dtype } });
      const ds = new Dataset(vars, {
        coords: { time: Coordinate.time("time", time), x: [0.5, 1.5, 2.5, 3.5] },
        attrs: { title: "from meridian" },
      });
      const dir = join(tmp, "meridian.zarr");
      await writeZarrDirectory(dir, ds, { chunks: { time: 2, x: 3 } });
      const r = spawnSync(python as string, [join(fixtures, "read-zarr.py"), dir], {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      });
      expect(r.stderr).not.toMatch(/Traceback/);
      const got = JSON.parse(r.stdout) as {
        attrs: Record<string, unknown>;
        vars: Record<string, Enc & { attrs: Record<string, string> }>;
        coords: Record<string, Enc>;
      };
      expect(got.attrs).toEqual({ title: "from meridian" });
      expect(got.coords.time?.data).toEqual(time);
      expect(got.coords.x?.data).toEqual([0.5, 1.5, 2.5, 3.5]);
      for (const dtype of DTYPES) {
        const v = got.vars[`v_${dtype}`] as Enc & { attrs: Record<string, string> };
        expect(v.dtype, dtype).toBe(dtype);
        expect(v.dims).toEqual(["time", "x"]);
        expect(v.attrs.kind).toBe(dtype);
        expectValues(sample(dtype, [3, 4]).toFlat(), v.data, dtype);
      }
    });
  },
);

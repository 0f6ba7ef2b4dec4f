/**
 * The interactive FITS viewer's API on the scenario tree against numpy/astropy
 * (fixtures/viewer/make-wcs-oracle.py → fixtures/viewer/expected/fits-viewer-oracle.json): plane
 * statistics (min/max/mean, zscale, percentile limits), every level of a lazily built pyramid
 * (NaN-aware 2×2 means) of an odd-sized image with a blank block, level-0 tiles and single pixels
 * read from the file, the cache outside the tree and its invalidation by mtime, catalogues (FITS
 * table, sexagesimal CSV, VOTable) and the VOTable parser fuzzed; token and path rules on every route.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHeaderText, writeFits } from "@meridian/fits";
import { type RunningViewer, startViewer } from "@meridian/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { isServerError } from "../src/errors.js";
import { prunePyramids } from "../src/viewer/fits-pyramid.js";
import { parseVotable } from "../src/viewer/fits-votable.js";
import { makeSmallScenario, rawGet, snapshotTree } from "./viewer-harness.js";

interface LevelOracle {
  level: number;
  width: number;
  height: number;
  sum: number;
  blank: number;
  samples: { x: number; y: number; value: number | null }[];
}
interface StatsOracle {
  count?: number;
  blank?: number;
  min: number;
  max: number;
  mean: number;
  zscale: [number, number];
  percentiles: Record<string, [number, number]>;
}
const oracle = JSON.parse(await readFile(repoFixture("viewer/expected/fits-viewer-oracle.json"), "utf8")) as {
  field00: {
    axes: [number, number];
    points: { pixel: [number, number]; value: number }[];
    stats: StatsOracle;
    level1: {
      width: number;
      height: number;
      sum: number;
      samples: { x: number; y: number; value: number }[];
    };
  };
  synthetic: { width: number; height: number; levels: LevelOracle[]; stats: StatsOracle };
  catalogueCsv: string;
  catalogue: { name: string; ra: number; dec: number }[];
  real: {
    file: string;
    hdu: number;
    axes: [number, number];
    celestial: boolean;
    points: { pixel: [number, number]; value: number }[];
    stats: StatsOracle;
    level1?: { width: number; height: number; sum: number };
  }[];
};

/** The synthetic image of the oracle: float32(sin(0.013x)·cos(0.021y)·100 + (7x+3y) mod 11), blank block. */
function synthetic(width: number, height: number): Float32Array {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const blank = x >= 100 && x < 180 && y >= 300 && y < 340;
      data[y * width + x] = blank
        ? Number.NaN
        : Math.sin(0.013 * x) * Math.cos(0.021 * y) * 100 + ((x * 7 + y * 3) % 11);
    }
  }
  return data;
}

// float32 pixels averaged in float64 and rounded to float32 on both sides; sin/cos may differ in
// the last bit between V8 and numpy: 1e-6 relative.
const closeRel = (got: number, want: number, rel = 1e-6) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * rel + 1e-9);

const VOTABLE = `<?xml version="1.0"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
 <RESOURCE>
  <COOSYS ID="sys" system="ICRS"/>
  <TABLE name="cat">
   <FIELD name="id" datatype="char" arraysize="*" ucd="meta.id;meta.main"/>
   <FIELD name="alpha" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main" ref="sys"/>
   <FIELD name="delta" datatype="double" unit="deg" ucd="pos.eq.dec;meta.main" ref="sys"/>
   <DATA><TABLEDATA>
    <TR><TD>a &amp; b</TD><TD>150.01</TD><TD>2.19</TD></TR>
    <TR><TD>c</TD><TD>150.02</TD><TD>2.21</TD></TR>
    <TR><TD/><TD></TD><TD>2.2</TD></TR>
   </TABLEDATA></DATA>
  </TABLE>
 </RESOURCE>
</VOTABLE>
`;

describe("FITS viewer API", () => {
  let base: string;
  let tree: string;
  let cache: string;
  let viewer: RunningViewer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), "meridian-viewer-fits-api-"));
    tree = join(base, "run");
    cache = join(base, "cache");
    makeSmallScenario(tree);
    const { width, height } = oracle.synthetic;
    await writeFile(
      join(tree, "images", "synthetic.fits"),
      writeFits([
        {
          data: synthetic(width, height),
          axes: [width, height],
          header: parseHeaderText("OBJECT  = 'SYNTH'"),
        },
      ]),
    );
    await writeFile(join(tree, "tables", "sexagesimal.csv"), oracle.catalogueCsv);
    await writeFile(join(tree, "tables", "cat.vot"), VOTABLE);
    viewer = await startViewer({ dir: tree, env: { MERIDIAN_VIEW_CACHE: cache } });
    auth = { authorization: `Bearer ${new URL(viewer.openUrl).searchParams.get("token")}` };
  });

  afterAll(async () => {
    await viewer?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  const get = async <T>(route: string, query: Record<string, string | number>): Promise<T> => {
    const res = await fetch(
      `${viewer.url}${route}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`,
      {
        headers: auth,
      },
    );
    const body = (await res.json()) as T & { message?: string };
    if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${body.message}`);
    return body;
  };
  const tile = async (
    path: string,
    level: number,
    col: number,
    row: number,
    extra: Record<string, string> = {},
  ) => {
    const q = new URLSearchParams({
      path,
      level: String(level),
      col: String(col),
      row: String(row),
      ...extra,
    });
    const res = await fetch(`${viewer.url}/api/fits/tile?${q}`, { headers: auth });
    expect(res.status).toBe(200);
    const width = Number(res.headers.get("x-tile-width"));
    const height = Number(res.headers.get("x-tile-height"));
    return { data: new Float32Array(await res.arrayBuffer()), width, height };
  };
  /** A whole level assembled from its tiles. */
  const level = async (
    path: string,
    info: { level: number; width: number; height: number; columns: number; rows: number },
  ) => {
    const out = new Float32Array(info.width * info.height);
    for (let r = 0; r < info.rows; r++) {
      for (let c = 0; c < info.columns; c++) {
        const t = await tile(path, info.level, c, r);
        expect(t.width).toBe(Math.min(256, info.width - c * 256));
        expect(t.height).toBe(Math.min(256, info.height - r * 256));
        for (let y = 0; y < t.height; y++)
          out.set(t.data.subarray(y * t.width, (y + 1) * t.width), (r * 256 + y) * info.width + c * 256);
      }
    }
    return out;
  };
  const checkStats = (got: Record<string, unknown>, want: StatsOracle) => {
    expect(got.min).toBe(want.min);
    expect(got.max).toBe(want.max);
    closeRel(got.mean as number, want.mean, 1e-12);
    const z = got.zscale as [number, number];
    closeRel(z[0], want.zscale[0], 1e-12);
    closeRel(z[1], want.zscale[1], 1e-12);
    const pct = got.percentiles as Record<string, [number, number]>;
    expect(Object.keys(pct).sort()).toEqual(Object.keys(want.percentiles).sort());
    for (const [p, [lo, hi]] of Object.entries(want.percentiles)) {
      closeRel(pct[p]![0], lo, 1e-12);
      closeRel(pct[p]![1], hi, 1e-12);
    }
  };

  test("field-00: statistics, levels and pyramid against numpy and astropy", async () => {
    const info = await get<{
      axes: number[];
      levels: { level: number; width: number; height: number; columns: number; rows: number }[];
      stats: Record<string, unknown>;
      wcs: { ctype: string[] };
    }>("/api/fits/image", { path: "images/field-00.fits" });
    expect(info.axes).toEqual(oracle.field00.axes);
    expect(info.wcs.ctype).toEqual(["RA---TAN", "DEC--TAN"]);
    expect(info.levels).toEqual([
      { level: 0, width: 512, height: 512, columns: 2, rows: 2 },
      { level: 1, width: 256, height: 256, columns: 1, rows: 1 },
    ]);
    checkStats(info.stats, oracle.field00.stats);
    expect(info.stats.zscaleExact).toBe(true);
    expect(info.stats.sampleStride).toBe(1);
    const l1 = await level("images/field-00.fits", info.levels[1]!);
    let sum = 0;
    for (const v of l1) sum += v;
    closeRel(sum, oracle.field00.level1.sum);
    for (const s of oracle.field00.level1.samples) expect(l1[s.y * 256 + s.x]).toBe(s.value);
    const l0 = await level("images/field-00.fits", info.levels[0]!);
    for (const p of oracle.field00.points.filter((q) => Number.isInteger(q.pixel[0]))) {
      expect(l0[(p.pixel[1] - 1) * 512 + p.pixel[0] - 1]).toBe(p.value);
      const px = await get<{ value: number }>("/api/fits/pixel", {
        path: "images/field-00.fits",
        x: p.pixel[0],
        y: p.pixel[1],
      });
      expect(px.value).toBe(p.value);
    }
  });

  test("an odd-sized image with blanks: every level, edge tiles, statistics", async () => {
    const info = await get<{
      levels: { level: number; width: number; height: number; columns: number; rows: number }[];
      stats: Record<string, unknown>;
    }>("/api/fits/image", { path: "images/synthetic.fits" });
    expect(info.levels.map((l) => [l.width, l.height])).toEqual(
      oracle.synthetic.levels.map((l) => [l.width, l.height]),
    );
    for (const want of oracle.synthetic.levels) {
      const data = await level("images/synthetic.fits", info.levels[want.level]!);
      let sum = 0;
      let blank = 0;
      for (const v of data) {
        if (Number.isNaN(v)) blank++;
        else sum += v;
      }
      expect(blank).toBe(want.blank);
      closeRel(sum, want.sum);
      for (const s of want.samples) {
        const v = data[s.y * want.width + s.x]!;
        if (s.value === null) expect(v).toBeNaN();
        else closeRel(v, s.value);
      }
    }
    const s = oracle.synthetic.stats;
    expect(info.stats.count).toBe(s.count);
    expect(info.stats.blank).toBe(s.blank);
    checkStats(info.stats, s);
    // Sampled whole (770,000 < 2^20 pixels): zscale is astropy's exactly even with blanks.
    expect(info.stats.zscaleExact).toBe(true);
  });

  test("pyramids live in the cache, never in the tree, and follow the file's mtime", async () => {
    const before = await snapshotTree(tree);
    await get("/api/fits/image", { path: "images/field-02.fits" });
    await tile("images/field-02.fits", 0, 0, 0);
    expect(await snapshotTree(tree)).toEqual(before);
    const files = await readdir(join(cache, "view", "fits-pyramids"), { recursive: true });
    expect(files.some((f) => f.endsWith(".json"))).toBe(true);
    expect(files.some((f) => f.endsWith(".f32"))).toBe(true);
    // Rewrite field-02 with doubled values: a new mtime gives a new version and new statistics.
    const path = join(tree, "images", "field-02.fits");
    const old = await get<{ version: string; stats: { max: number } }>("/api/fits/image", {
      path: "images/field-02.fits",
    });
    const bytes = await readFile(path);
    const { FitsFile } = await import("@meridian/fits");
    const fits = await FitsFile.open(new Uint8Array(bytes));
    const image = await fits.readImage(0);
    const doubled = Float32Array.from(image.data as Float32Array, (v) => v * 2);
    await writeFile(path, writeFits([{ data: doubled, axes: image.axes, header: fits.imageHeader(0) }]));
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    const fresh = await get<{ version: string; stats: { max: number } }>("/api/fits/image", {
      path: "images/field-02.fits",
    });
    expect(fresh.version).not.toBe(old.version);
    expect(fresh.stats.max).toBe(old.stats.max * 2);
    // An emptied cache is rebuilt on the next request.
    await rm(join(cache, "view", "fits-pyramids"), { recursive: true, force: true });
    const again = await tile("images/field-00.fits", 1, 0, 0);
    expect(again.width).toBe(256);
    const t = await tile("images/field-02.fits", 0, 0, 0);
    expect(t.data[0]).toBe((image.data as Float32Array)[0]! * 2);
  });

  test("old pyramids are pruned by age and by total size, oldest first", async () => {
    const dir = join(base, "prune-cache");
    const sub = join(dir, "fits-pyramids", "ab");
    await mkdir(sub, { recursive: true });
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const make = async (name: string, bytes: number, ageDays: number) => {
      await writeFile(join(sub, name), new Uint8Array(bytes));
      const t = new Date(now - ageDays * day);
      await utimes(join(sub, name), t, t);
    };
    await make("old.f32", 100, 40);
    await make("old.json", 10, 40);
    await make("mid.f32", 1000, 5);
    await make("new.f32", 1000, 1);
    expect(await prunePyramids(dir, {}, now)).toBe(2);
    expect((await readdir(sub)).sort()).toEqual(["mid.f32", "new.f32"]);
    expect(await prunePyramids(dir, { maxBytes: 1500 }, now)).toBe(1);
    expect(await readdir(sub)).toEqual(["new.f32"]);
  });

  test("catalogues: FITS table, sexagesimal CSV (astropy's degrees), VOTable with UCDs", async () => {
    const fitsCat = await get<{
      raColumn: string;
      decColumn: string;
      labelColumn: string;
      ra: number[];
      rows: number;
    }>("/api/fits/catalog", { path: "tables/sources.fits" });
    expect([
      fitsCat.raColumn,
      fitsCat.decColumn,
      fitsCat.labelColumn,
      fitsCat.rows,
      fitsCat.ra.length,
    ]).toEqual(["RA", "DEC", "NAME", 200, 200]);
    const csv = await get<{ ra: number[]; dec: number[]; labels: string[]; skipped: number }>(
      "/api/fits/catalog",
      {
        path: "tables/sexagesimal.csv",
      },
    );
    expect(csv.labels).toEqual(oracle.catalogue.map((c) => c.name));
    expect(csv.skipped).toBe(1);
    oracle.catalogue.forEach((c, i) => {
      expect(Math.abs(csv.ra[i]! - c.ra)).toBeLessThan(1e-9);
      expect(Math.abs(csv.dec[i]! - c.dec)).toBeLessThan(1e-9);
    });
    const vot = await get<{
      raColumn: string;
      ra: number[];
      dec: number[];
      labels: string[];
      skipped: number;
      frame: string;
    }>("/api/fits/catalog", { path: "tables/cat.vot" });
    expect(vot).toMatchObject({
      raColumn: "alpha",
      ra: [150.01, 150.02],
      dec: [2.19, 2.21],
      labels: ["a & b", "c"],
      skipped: 1,
      frame: "icrs",
    });
  });

  test("every FITS route wants the token and stays in the tree", async () => {
    for (const route of [
      "/api/fits/image?path=images/field-00.fits",
      "/api/fits/tile?path=images/field-00.fits&level=0&col=0&row=0",
      "/api/fits/pixel?path=images/field-00.fits&x=1&y=1",
      "/api/fits/catalog?path=tables/sources.fits",
      "/api/fits/progress?path=images/field-00.fits",
    ]) {
      expect((await rawGet(viewer.url, route)).status).toBe(401);
      const name = route.split("?")[0];
      for (const bad of [
        "../../etc/passwd",
        "%2e%2e/%2e%2e/etc/passwd",
        "/etc/passwd",
        "images/..%2f..%2fsecret",
      ]) {
        const res = await rawGet(viewer.url, `${name}?path=${bad}&level=0&col=0&row=0&x=1&y=1`, auth);
        expect(res.status, `${name} ${bad}`).toBe(404);
      }
    }
    const notFits = await rawGet(viewer.url, "/api/fits/image?path=README.md", auth);
    expect(notFits.status).toBe(400);
    expect(JSON.parse(notFits.body).message).toMatch(/not a readable FITS file/);
    const badLevel = await rawGet(
      viewer.url,
      "/api/fits/tile?path=images/field-00.fits&level=5&col=0&row=0",
      auth,
    );
    expect(badLevel.status).toBe(404);
    expect(JSON.parse(badLevel.body).message).toBe("level 5 does not exist (levels 0–1)");
    const badTile = await rawGet(
      viewer.url,
      "/api/fits/tile?path=images/field-00.fits&level=0&col=2&row=0",
      auth,
    );
    expect(JSON.parse(badTile.body).message).toBe("tile (2, 0) is outside the 2×2 grid of level 0");
    const idle = await rawGet(viewer.url, "/api/fits/progress?path=images/field-00.fits", auth);
    expect(JSON.parse(idle.body)).toEqual({ building: false, fraction: null });
    const badPlane = await rawGet(viewer.url, "/api/fits/image?path=images/field-00.fits&plane=3", auth);
    expect(badPlane.status).toBe(400);
    expect(JSON.parse(badPlane.body).message).toBe("plane has 1 indices but the image has 0 extra axes");
  });
});

describe("VOTable parser fuzz", () => {
  let seed = 99;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const check = (text: string) => {
    try {
      const t = parseVotable(text, 100);
      for (const r of t.rows) expect(r.length).toBe(t.fields.length);
    } catch (err) {
      if (!isServerError(err, "BAD_REQUEST"))
        throw new Error(`unexpected ${String(err)} for ${JSON.stringify(text.slice(0, 200))}`);
      expect((err as Error).message).toMatch(/^VOTable: .*(line \d+, column \d+)/);
    }
  };

  test("every truncation, random mutations, garbage", () => {
    for (let i = 0; i <= VOTABLE.length; i++) check(VOTABLE.slice(0, i));
    const alphabet = `<>/="'&;!-?[] \nTRDabc01.`;
    for (let n = 0; n < 3000; n++) {
      const chars = VOTABLE.split("");
      for (let j = 0; j < 1 + Math.floor(random() * 5); j++) {
        const at = Math.floor(random() * chars.length);
        const c = alphabet[Math.floor(random() * alphabet.length)]!;
        const op = random();
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      check(chars.join(""));
    }
    for (let n = 0; n < 300; n++) {
      let s = "";
      for (let i = 0; i < 300; i++) s += String.fromCharCode(Math.floor(random() * 128));
      check(s);
    }
    check(`<VOTABLE><TABLE>${"<FIELD name='x'/>".repeat(2000)}<DATA><TABLEDATA>${"<TR><TD>1".repeat(5000)}`);
  });

  test("errors say what and where; BINARY is refused", () => {
    expect(() =>
      parseVotable("<VOTABLE><TABLE><FIELD name='a'/><DATA><TABLEDATA>\n<TR><TD>1</TD><TD>2</TD></TR>", 10),
    ).toThrow("VOTable: row 1 has 2 cells but the table has 1 FIELDs at line 2, column 25");
    expect(() =>
      parseVotable(
        "<VOTABLE><TABLE><DATA><BINARY><STREAM>AAAA</STREAM></BINARY></DATA></TABLE></VOTABLE>",
        10,
      ),
    ).toThrow(/BINARY serialisation is not supported \(line 1, column 23\)/);
    expect(() => parseVotable("<html></html>", 10)).toThrow(
      "VOTable: expected <VOTABLE>, found <html> at line 1, column 1",
    );
  });
});

if (!haveSharedFixtures())
  console.warn(`[viewer FITS real files] skipped: no shared fixtures at ${sharedFixture()}`);

describe.skipIf(!haveSharedFixtures())(
  "FITS viewer API on real files (DSS plate, Fermi counts, M51, tile-compressed)",
  () => {
    let base: string;
    let viewer: RunningViewer;
    let auth: Record<string, string>;

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), "meridian-viewer-fits-real-"));
      await mkdir(join(base, "tree", "fits"), { recursive: true });
      for (const r of oracle.real) await copyFile(sharedFixture(r.file), join(base, "tree", r.file));
      viewer = await startViewer({
        dir: join(base, "tree"),
        env: { MERIDIAN_VIEW_CACHE: join(base, "cache") },
      });
      auth = { authorization: `Bearer ${new URL(viewer.openUrl).searchParams.get("token")}` };
    });

    afterAll(async () => {
      await viewer?.close();
      if (base) await rm(base, { recursive: true, force: true });
    });

    test.each(oracle.real.map((r) => [r.file, r] as const))(
      "%s: statistics, pixels, pyramid",
      async (_file, want) => {
        const q = (route: string, extra: Record<string, string | number> = {}) =>
          fetch(
            `${viewer.url}${route}?${new URLSearchParams({ path: want.file, hdu: String(want.hdu), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) })}`,
            { headers: auth },
          );
        const info = (await (await q("/api/fits/image")).json()) as {
          axes: number[];
          levels: { level: number; width: number; height: number; columns: number; rows: number }[];
          stats: {
            min: number;
            max: number;
            mean: number;
            zscale: [number, number];
            percentiles: Record<string, [number, number]>;
          };
          wcs: { celestial: boolean } | null;
        };
        expect(info.axes).toEqual(want.axes);
        expect(info.wcs?.celestial ?? false).toBe(want.celestial);
        expect(info.stats.min).toBe(want.stats.min);
        expect(info.stats.max).toBe(want.stats.max);
        expect(Math.abs(info.stats.mean - want.stats.mean)).toBeLessThanOrEqual(
          Math.abs(want.stats.mean) * 1e-12 + 1e-12,
        );
        for (const k of [0, 1] as const)
          expect(Math.abs(info.stats.zscale[k] - want.stats.zscale[k])).toBeLessThanOrEqual(
            Math.abs(want.stats.zscale[k]) * 1e-12 + 1e-12,
          );
        for (const [p, [lo, hi]] of Object.entries(want.stats.percentiles)) {
          expect(Math.abs(info.stats.percentiles[p]![0] - lo)).toBeLessThanOrEqual(
            Math.abs(lo) * 1e-12 + 1e-12,
          );
          expect(Math.abs(info.stats.percentiles[p]![1] - hi)).toBeLessThanOrEqual(
            Math.abs(hi) * 1e-12 + 1e-12,
          );
        }
        for (const p of want.points) {
          const px = (await (await q("/api/fits/pixel", { x: p.pixel[0], y: p.pixel[1] })).json()) as {
            value: number;
          };
          expect(px.value).toBe(p.value);
        }
        if (want.level1 !== undefined) {
          const l1 = info.levels[1]!;
          expect([l1.width, l1.height]).toEqual([want.level1.width, want.level1.height]);
          let sum = 0;
          for (let r = 0; r < l1.rows; r++) {
            for (let c = 0; c < l1.columns; c++) {
              const res = await q("/api/fits/tile", { level: 1, col: c, row: r });
              for (const v of new Float32Array(await res.arrayBuffer())) if (!Number.isNaN(v)) sum += v;
            }
          }
          expect(Math.abs(sum - want.level1.sum)).toBeLessThanOrEqual(Math.abs(want.level1.sum) * 1e-6);
        }
      },
    );
  },
);

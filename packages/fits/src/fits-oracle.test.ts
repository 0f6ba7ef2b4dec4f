/**
 * Every real FITS file in ../shared/fixtures/fits and every generated one in fixtures/fits/generated
 * against astropy.io.fits (fixtures/fits/make-expected.py): HDU list, every header card, shapes,
 * dtypes and sha256 digests of the data as float64 (exact: digests must be equal).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import type { FitsArray } from "./element-type.js";
import { openFitsFile } from "./file-source.js";
import type { HduInfo } from "./hdu-layout.js";
import { type Header, makeCard } from "./header.js";
import { verifyFits } from "./verify-fits.js";

interface ExpectedCard {
  key: string;
  type: string;
  value: unknown;
  comment: string;
}
interface ExpectedColumn {
  name: string;
  format: string;
  error?: string;
  kind?: string;
  dtype?: string;
  shape?: number[];
  f8?: string;
  strings?: string;
  lengths?: number[];
}
interface ExpectedHdu {
  index: number;
  class: string;
  name: string;
  ver: number;
  header: ExpectedCard[];
  imageHeader?: ExpectedCard[];
  shape?: number[];
  dtype?: string;
  f8?: string;
  rows?: number;
  columns?: ExpectedColumn[];
  groups?: number;
  parnames?: string[];
  params?: string[];
  dataShape?: number[];
  checksum?: number;
  datasum?: number;
}

/** sha256 of values as big-endian float64 with NaN canonicalised (as the script does). */
export function f8Digest(values: ArrayLike<number | bigint> | FitsArray): string {
  const n = values.length;
  const buf = new Uint8Array(n * 8);
  const dv = new DataView(buf.buffer);
  for (let i = 0; i < n; i++) {
    const v = Number(values[i] as number | bigint);
    if (Number.isNaN(v)) dv.setUint32(i * 8, 0x7ff80000);
    else dv.setFloat64(i * 8, v);
  }
  return createHash("sha256").update(buf).digest("hex");
}

function sha(text: string): string {
  return createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
}

const KIND_CLASS: Record<string, string> = {
  primary: "PrimaryHDU",
  image: "ImageHDU",
  bintable: "BinTableHDU",
  table: "TableHDU",
  "random-groups": "GroupsHDU",
  "compressed-image": "CompImageHDU",
};

function comparableCard(c: Header["cards"][number]): ExpectedCard {
  let value: unknown = c.value;
  let type: string = c.type;
  if (typeof value === "bigint") value = value.toString();
  if (c.type === "complex") value = [(c.value as { re: number }).re, (c.value as { im: number }).im];
  if (c.kind === "commentary" && !["COMMENT", "HISTORY", ""].includes(c.key)) type = "string";
  if (c.type === "undefined") value = null;
  return { key: c.key, type, value, comment: c.comment ?? "" };
}

function compareHeader(ours: Header, expected: ExpectedCard[]): void {
  const got = ours.cards.map(comparableCard);
  expect(got.map((c) => c.key)).toEqual(expected.map((c) => c.key));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as ExpectedCard;
    if (e.type === "invalid") continue;
    expect(got[i], `card ${i} ${e.key}`).toEqual(e);
  }
}

const DTYPES: Record<string, string> = {
  uint8: "uint8",
  int8: "int8",
  int16: "int16",
  uint16: "uint16",
  int32: "int32",
  uint32: "uint32",
  int64: "int64",
  uint64: "uint64",
  float32: "float32",
  float64: "float64",
  boolean: "bool",
  bit: "bool",
};

function cases(): { name: string; path: string; expected: string }[] {
  const dir = repoFixture("fits", "expected");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(fits|fit|fz|gz|evt)\.json\.gz$/.test(f))
    .map((f) => {
      const name = f.slice(0, -8);
      const path = name.startsWith("generated-")
        ? repoFixture("fits", "generated", name.slice("generated-".length))
        : sharedFixture("fits", name);
      return { name, path, expected: repoFixture("fits", "expected", f) };
    })
    .filter((c) => !c.path.includes("shared") || haveSharedFixtures());
}

async function checkHdu(
  fits: Awaited<ReturnType<typeof openFitsFile>>,
  hdu: HduInfo,
  e: ExpectedHdu,
): Promise<void> {
  expect(KIND_CLASS[hdu.kind]).toBe(e.class);
  expect(hdu.name.toUpperCase()).toBe(e.name.toUpperCase());
  expect(hdu.version).toBe(e.ver);
  compareHeader(hdu.header, e.header);
  if (hdu.kind === "compressed-image") {
    // astropy's image header keeps some Z keywords; compare the image's own cards by key.
    const ours = fits.imageHeader(hdu.index);
    for (const c of e.imageHeader ?? []) {
      if (
        /^(Z|CHECKSUM|DATASUM|EXTEND|EXTNAME|XTENSION|SIMPLE|PCOUNT|GCOUNT)/.test(c.key) ||
        c.type === "text"
      )
        continue;
      expect(comparableCard(ours.getCard(c.key) ?? makeCard("MISSING", 0)), c.key).toEqual(c);
    }
  }
  if (hdu.kind === "primary" || hdu.kind === "image" || hdu.kind === "compressed-image") {
    const img = await fits.readImage(hdu.index);
    expect([...img.axes].reverse()).toEqual(e.shape);
    if (e.f8 !== undefined) {
      expect(img.type).toBe(e.dtype);
      expect(f8Digest(img.data)).toBe(e.f8);
    }
  } else if (hdu.kind === "random-groups") {
    const g = await fits.readGroups(hdu.index);
    expect(g.groups).toBe(e.groups);
    expect(g.parameterNames).toEqual(e.parnames);
    expect([g.groups, ...[...g.axes].reverse()]).toEqual(e.dataShape);
    expect(g.type).toBe(e.dtype);
    expect(f8Digest(g.data)).toBe(e.f8);
    const pc = g.parameterNames.length;
    g.parameterNames.forEach((_, p) => {
      const col = Array.from({ length: g.groups }, (_, k) => g.parameters[k * pc + p] as number);
      expect(f8Digest(col), `parameter ${p}`).toBe(e.params?.[p]);
    });
  } else if (hdu.kind === "bintable") {
    const t = await fits.readTable(hdu.index);
    expect(t.rows).toBe(e.rows);
    for (const [i, ec] of (e.columns ?? []).entries()) {
      const c = t.columns[i];
      if (!c) throw new Error(`missing column ${i}`);
      expect(c.column.name).toBe(ec.name);
      if (ec.error) continue;
      if (ec.kind === "variable") {
        const rows = c.values as (FitsArray | string)[];
        if (ec.strings !== undefined) expect(sha(rows.join("\n"))).toBe(ec.strings);
        else {
          expect(rows.map((r) => r.length)).toEqual(ec.lengths);
          const flat: number[] = [];
          for (const r of rows) for (const v of r as FitsArray) flat.push(Number(v));
          expect(f8Digest(flat), ec.name).toBe(ec.f8);
        }
      } else if (ec.strings !== undefined) {
        expect(sha((c.values as string[]).join("\n")), ec.name).toBe(ec.strings);
      } else {
        expect(DTYPES[c.type] ?? c.type, ec.name).toBe(
          ec.dtype?.replace("complex64", "float32").replace("complex128", "float64"),
        );
        expect(f8Digest(c.values as FitsArray), ec.name).toBe(ec.f8);
      }
    }
  } else if (hdu.kind === "table") {
    const t = await fits.readAsciiTable(hdu.index);
    expect(t.rows).toBe(e.rows);
    for (const [i, ec] of (e.columns ?? []).entries()) {
      const c = t.columns[i];
      if (!c) throw new Error(`missing column ${i}`);
      expect(c.column.name).toBe(ec.name);
      // astropy cannot convert some malformed fields ("- 23"); we read them leniently.
      if (ec.error) continue;
      if (ec.strings !== undefined) expect(sha((c.values as string[]).join("\n")), ec.name).toBe(ec.strings);
      else expect(f8Digest(c.values as Float64Array), ec.name).toBe(ec.f8);
    }
  }
}

describe("FITS files against astropy", () => {
  for (const c of cases()) {
    test(c.name, async () => {
      const expected = JSON.parse(gunzipSync(readFileSync(c.expected)).toString("utf8")) as {
        hdus: ExpectedHdu[];
      };
      const fits = await openFitsFile(c.path);
      try {
        expect(fits.hdus.length).toBe(expected.hdus.length);
        for (const e of expected.hdus) await checkHdu(fits, fits.hdu(e.index), e);
        const v = await verifyFits(fits);
        const status = { ok: 1, bad: 0, missing: 2 } as const;
        for (const e of expected.hdus) {
          if (e.checksum === undefined) continue;
          expect(status[v.hdus[e.index]?.checksum ?? "missing"], `CHECKSUM of HDU ${e.index}`).toBe(
            e.checksum,
          );
          expect(status[v.hdus[e.index]?.datasum ?? "missing"], `DATASUM of HDU ${e.index}`).toBe(e.datasum);
        }
      } finally {
        await fits.close();
      }
    });
  }
});

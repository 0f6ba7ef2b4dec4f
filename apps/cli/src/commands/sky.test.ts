import { describe, expect, test, vi } from "vitest";
import { readExpected } from "../../../../fixtures/sky/read-expected.js";
import { runCli } from "../program.js";

const fx = readExpected<{
  convert: { args: string[]; lon: number; lat: number }[];
  sep: { args: string[]; deg: number; pa: number };
}>("cli");

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await runCli(["node", "meridian", ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const MAS_DEG = 1 / 3.6e6;

describe("meridian sky convert (against astropy, 1 mas)", () => {
  for (const c of fx.convert) {
    test(c.args.join(" "), async () => {
      const r = await run(["sky", "convert", ...c.args, "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { output: { lon: number; lat: number } };
      const dl = Math.abs(j.output.lon - c.lon);
      expect(Math.min(dl, 360 - dl) * Math.cos((c.lat * Math.PI) / 180)).toBeLessThan(MAS_DEG);
      expect(Math.abs(j.output.lat - c.lat)).toBeLessThan(MAS_DEG);
    });
  }
  test("human output is one line with sexagesimal and decimal degrees", async () => {
    const r = await run(["sky", "convert", "12:34:42.5 +47:22:52", "--from", "fk5", "--to", "icrs"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^12:34:42\.\d{4} \+47:22:5\d\.\d{3} {2}188\.\d{8} \+47\.\d{8} {2}icrs\n$/);
  });
  test("bad input exits 2 with a one-line message pointing at the character", async () => {
    const r = await run(["sky", "convert", "12:34:4x +47:22:52", "--from", "fk5", "--to", "galactic"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^meridian: bad coordinates .*character \d+.*\[PARSE_COORDINATES\]\n$/);
    const f = await run(["sky", "convert", "1 2", "--from", "fk6", "--to", "galactic"]);
    expect(f.code).toBe(2);
    expect(f.err).toContain("UNKNOWN_FRAME");
  });
});

describe("meridian sky sep", () => {
  test("separation and position angle against astropy", async () => {
    const r = await run(["sky", "sep", ...fx.sep.args, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { separation: { deg: number; arcsec: number }; positionAngle: number };
    expect(Math.abs(j.separation.deg - fx.sep.deg)).toBeLessThan(1e-3 * MAS_DEG);
    expect(Math.abs(j.positionAngle - fx.sep.pa)).toBeLessThan(1e-9);
    const h = await run(["sky", "sep", ...fx.sep.args]);
    expect(h.out).toMatch(
      /^\d+\.\d{9} deg {2}\d+\.\d{7} arcmin {2}\d+\.\d{5} arcsec {2}PA \d+\.\d{6} deg\n$/,
    );
  });
});

describe("meridian sky convert --file", () => {
  test("one output line per input line, comments skipped, errors name the line", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "sky-cli-"));
    try {
      const file = join(dir, "coords.txt");
      writeFileSync(file, `# M104 and M51\n12:39:59.4 -11:37:23\n\n13:29:52.7 +47:11:43  # M51\n`);
      const r = await run(["sky", "convert", "--file", file, "--from", "fk5", "--to", "fk5", "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { output: { lonSexagesimal: string; latSexagesimal: string } }[];
      expect(j.map((x) => `${x.output.lonSexagesimal} ${x.output.latSexagesimal}`)).toEqual([
        "12:39:59.4000 -11:37:23.000",
        "13:29:52.7000 +47:11:43.000",
      ]);
      writeFileSync(file, "12:39:59.4 -11:37:23\n13:29:5x.7 +47:11:43\n");
      const bad = await run(["sky", "convert", "--file", file, "--from", "fk5", "--to", "galactic"]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("coords.txt:2:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

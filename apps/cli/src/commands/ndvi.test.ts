import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { repoFixture } from "../../../../test/paths.js";
import { runCaptured } from "../../test/capture.js";

// Numbers come from xarray through fixtures/array/make-ndvi.py on the committed stack.
const oracle = JSON.parse(readFileSync(repoFixture("array", "ndvi.json"), "utf8")) as {
  series: (number | null)[];
  monthly: { time: number[] };
};
const dir = mkdtempSync(join(tmpdir(), "meridian-ndvi-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("meridian ndvi", () => {
  test("run --json on the committed stack: monthly scene means agree with xarray (1e-6)", async () => {
    const r = await runCaptured([
      "ndvi",
      "run",
      repoFixture("array", "s2-stack"),
      "--out",
      join(dir, "out"),
      "--json",
      "--quiet",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      months: number;
      series: { month: string; ndvi: number | null }[];
      files: string[];
    };
    expect(s.months).toBe(oracle.series.length);
    expect(s.series.map((m) => m.month)).toEqual(
      oracle.monthly.time.map((t) => new Date(t).toISOString().slice(0, 7)),
    );
    s.series.forEach((m, i) => {
      expect(Math.abs((m.ndvi ?? NaN) - (oracle.series[i] as number))).toBeLessThan(1e-6);
    });
    for (const f of s.files) expect(existsSync(f), f).toBe(true);
  });

  test("demo generates and analyses; text output names the plots", async () => {
    const r = await runCaptured([
      "ndvi",
      "demo",
      join(dir, "demo"),
      "--width",
      "8",
      "--height",
      "8",
      "--months",
      "13",
      "--every",
      "15",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/13 monthly composites/);
    expect(r.stdout).toMatch(/ndvi-mean\.png/);
    expect(r.stdout).toMatch(/ndvi-series\.svg/);
  });

  test("bad input: a directory without a stack, a bad threshold", async () => {
    const r = await runCaptured(["ndvi", "run", dir, "--out", join(dir, "x")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no files named .*\[READ_FAILED\]/);
    const u = await runCaptured(["ndvi", "run", dir, "--out", join(dir, "x"), "--cloud-threshold", "300"]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--cloud-threshold must be in \(0, 100\]/);
  });
});

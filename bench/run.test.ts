import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
// @ts-expect-error plain JavaScript runner without type declarations
import { formatNumber, formatTable, normaliseRow, parseArgs, runBenchmarks } from "./run.js";

let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "meridian-bench-runner-"));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function entry(dir: string, source: string): Promise<void> {
  await mkdir(join(work, "benches", dir), { recursive: true });
  await writeFile(join(work, "benches", dir, "bench.mjs"), source);
}

test("runs the selected entries, prints a table and writes JSON; a broken entry fails alone", async () => {
  await entry(
    "alpha",
    `export const name = "alpha";
     export async function run(ctx) {
       ctx.log("working " + ctx.options.size + " " + ctx.quick);
       return [{ case: "sum", ours: 2, peer: 4, unit: "s", notes: "n" }, { case: "only ours", ours: 12345.6, unit: "rows/s" }];
     }`,
  );
  await entry("beta", "export const benches = {};");
  await mkdir(join(work, "benches", "no-entry"));
  const printed: string[] = [];
  const out = join(work, "out");
  const report = await runBenchmarks({
    benchDir: join(work, "benches"),
    out,
    quick: true,
    options: { size: "7" },
    print: (text: string) => printed.push(text),
  });
  expect(report.entries.map((e: { dir: string; ok: boolean }) => [e.dir, e.ok])).toEqual([
    ["alpha", true],
    ["beta", false],
  ]);
  expect(report.entries[0].rows).toEqual([
    { case: "sum", ours: 2, peer: 4, unit: "s", ratio: 0.5, notes: "n" },
    { case: "only ours", ours: 12345.6, peer: null, unit: "rows/s", ratio: null, notes: "" },
  ]);
  const text = printed.join("\n");
  expect(text).toContain("  working 7 true");
  expect(text).toContain("FAILED (beta): bench.mjs exports no run(ctx); see docs/bench.md for the contract");
  expect(text).toMatch(/cores: \d+/);
  const files = (await readdir(out)).sort();
  expect(files).toHaveLength(2);
  expect(files).toContain("latest.json");
  const saved = JSON.parse(await readFile(join(out, "latest.json"), "utf8"));
  expect(saved.entries[0].rows[0].ratio).toBe(0.5);
  expect(saved.machine.cores).toBeGreaterThan(0);

  const only = await runBenchmarks({
    benchDir: join(work, "benches"),
    names: ["alpha"],
    out,
    print: () => {},
  });
  expect(only.entries.map((e: { dir: string }) => e.dir)).toEqual(["alpha"]);
  await expect(runBenchmarks({ benchDir: join(work, "benches"), names: ["gamma"], out })).rejects.toThrow(
    "no benchmark entry named gamma; entries: alpha, beta",
  );
});

test("rows are checked, numbers formatted and the table aligned", () => {
  expect(() => normaliseRow({ ours: 1 }, "x")).toThrow('x: each row needs a string "case"');
  expect(() => normaliseRow({ case: "c", ours: "fast" }, "x")).toThrow(
    'x: row "c": "ours" must be a number or null',
  );
  expect(normaliseRow({ case: "c", ours: 3, peer: 0 }, "x").ratio).toBe(null);
  expect(normaliseRow({ case: "c", ours: 3, peer: 6, ratio: 9 }, "x").ratio).toBe(9);
  expect([
    formatNumber(1234567.8),
    formatNumber(0.000123456),
    formatNumber(42.42),
    formatNumber(null),
  ]).toEqual(["1,234,568", "0.000123", "42.4", "—"]);
  expect(formatTable([normaliseRow({ case: "a", ours: 1, peer: 2, unit: "s", notes: "x" }, "t")])).toBe(
    [
      "case  ours  peer  unit  ratio  notes",
      "----  ----  ----  ----  -----  -----",
      "a        1     2  s       0.5  x",
    ].join("\n"),
  );
  expect(parseArgs(["server", "--quick", "--duration=3", "--list"])).toMatchObject({
    names: ["server"],
    quick: true,
    list: true,
    options: { duration: "3" },
  });
});

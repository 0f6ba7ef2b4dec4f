import { generateSentinel2Stack, ndviReport } from "@meridian/array/node";
import type { Command } from "commander";
import { UsageError } from "../cli-error.js";
import { printJson } from "../output.js";

/** A progress line on stderr: redrawn on a terminal, one line per stage otherwise. */
function progress(quiet: boolean): (stage: string, done: number, total: number) => void {
  let last = "";
  return (stage, done, total) => {
    if (quiet) return;
    if (process.stderr.isTTY) {
      const width = 30;
      const fill = Math.round((done / Math.max(1, total)) * width);
      process.stderr.write(
        `\r${stage.padEnd(9)} [${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${total}`,
      );
      if (done === total) process.stderr.write("\n");
    } else if (done === total && last !== stage) {
      process.stderr.write(`${stage}: ${total}/${total}\n`);
      last = stage;
    }
  };
}

function int(name: string, text: string | undefined, dflt: number, min = 1): number {
  if (text === undefined) return dflt;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return v;
}

interface GenerateFlags {
  width?: string;
  height?: string;
  months?: string;
  every?: string;
  seed?: string;
  start?: string;
  quiet?: boolean;
}

async function generate(dir: string, o: GenerateFlags) {
  const p = progress(o.quiet ?? false);
  return generateSentinel2Stack(dir, {
    width: int("width", o.width, 128),
    height: int("height", o.height, 128),
    months: int("months", o.months, 24),
    everyDays: int("every", o.every, 5),
    seed: int("seed", o.seed, 1, 0),
    ...(o.start ? { start: o.start } : {}),
    onProgress: (d, n) => p("generate", d, n),
  });
}

interface RunFlags {
  out: string;
  cloudThreshold?: string;
  json?: boolean;
  quiet?: boolean;
}

async function analyse(input: string, o: RunFlags): Promise<void> {
  const threshold = o.cloudThreshold === undefined ? 40 : Number(o.cloudThreshold);
  if (!(threshold > 0 && threshold <= 100))
    throw new UsageError(`--cloud-threshold must be in (0, 100], got "${o.cloudThreshold}"`);
  const s = await ndviReport({
    input,
    output: o.out,
    cloudThreshold: threshold,
    onProgress: progress(o.quiet ?? false),
  });
  if (o.json) return printJson(s);
  const f = (v: number) => v.toFixed(3);
  process.stdout.write(
    [
      `${s.acquisitions} acquisitions, ${s.shape.y}×${s.shape.x} pixels (${String(s.crs)}), ${s.months} monthly composites`,
      `mean NDVI ${f(s.meanNdvi)}; trend per year: min ${f(s.trendPerYear.min)}, median ${f(s.trendPerYear.median)}, max ${f(s.trendPerYear.max)}`,
      `monthly scene means: ${s.series.map((m) => `${m.month} ${m.ndvi === null ? "—" : m.ndvi.toFixed(2)}`).join(", ")}`,
      `load ${s.seconds.load.toFixed(2)} s, analysis ${s.seconds.analysis.toFixed(2)} s, write ${s.seconds.write.toFixed(2)} s`,
      "wrote:",
      ...s.files.map((x) => `  ${x}`),
      "",
    ].join("\n"),
  );
}

/** Register `meridian ndvi` (generate a Sentinel-2-like stack, run the NDVI analysis, demo). */
export function registerNdviCommands(program: Command): void {
  const ndvi = program
    .command("ndvi")
    .description(
      "NDVI from Sentinel-2 B04/B08 GeoTIFF stacks: cloud mask, monthly composites, trend, plots (docs/array.md)",
    );

  ndvi
    .command("generate <dir>")
    .description("write a synthetic Sentinel-2 L2A-like stack: B04, B08 and CLD GeoTIFFs per date")
    .option("--width <px>", "pixels across (default 128)")
    .option("--height <px>", "pixels down (default 128)")
    .option("--months <n>", "months covered (default 24)")
    .option("--every <days>", "days between acquisitions (default 5)")
    .option("--start <date>", "first date, YYYY-MM-DD (default 2021-01-01)")
    .option("--seed <n>", "random seed (default 1)")
    .option("--quiet", "no progress on stderr")
    .option("--json", "print the dates and files as JSON")
    .action(async (dir: string, o: GenerateFlags & { json?: boolean }) => {
      const s = await generate(dir, o);
      if (o.json) printJson(s);
      else
        process.stdout.write(
          `${s.dates.length} dates (${s.dates[0]} … ${s.dates.at(-1)}), ${s.files.length} files in ${dir}\n`,
        );
    });

  ndvi
    .command("run <input>")
    .description(
      "load a stack directory, compute NDVI, masked monthly composites, per-pixel trend; write PNG/SVG plots, Zarr, summary.json",
    )
    .requiredOption("-o, --out <dir>", "output directory")
    .option(
      "--cloud-threshold <pct>",
      "mask pixels whose CLD cloud probability is at least this (default 40)",
    )
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress on stderr")
    .action(analyse);

  ndvi
    .command("demo <dir>")
    .description("generate a stack into <dir>/stack and analyse it into <dir>/out")
    .option("--width <px>", "pixels across (default 128)")
    .option("--height <px>", "pixels down (default 128)")
    .option("--months <n>", "months covered (default 24)")
    .option("--every <days>", "days between acquisitions (default 5)")
    .option("--seed <n>", "random seed (default 1)")
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress on stderr")
    .action(async (dir: string, o: GenerateFlags & { json?: boolean }) => {
      await generate(`${dir}/stack`, o);
      await analyse(`${dir}/stack`, {
        out: `${dir}/out`,
        ...(o.json ? { json: true } : {}),
        ...(o.quiet ? { quiet: true } : {}),
      });
    });
}

import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { runCaptured } from "../../test/capture.js";
import { type SlurmOptions, shellQuote, slurmScript } from "./cluster.js";

const base: SlurmOptions = {
  workers: 8,
  partition: "compute",
  redis: "redis://10.0.0.5:6379/2",
  cpusPerWorker: 4,
  mem: "8G",
  time: "02:00:00",
  jobName: "meridian-worker",
  logDir: "/scratch/logs",
  resources: "io=1,gpu=1",
  groups: ["gpu"],
  prefix: "mc",
  lockMs: 30000,
  command: "/usr/bin/node /opt/meridian/apps/cli/bin/meridian.js",
};

/** sbatch reads `#SBATCH` lines only before the first command (comments and blanks allowed). */
function directives(script: string): string[] {
  const out: string[] = [];
  for (const line of script.split("\n").slice(1)) {
    if (line.startsWith("#SBATCH")) out.push(line);
    else if (line.trim() !== "" && !line.startsWith("#")) break;
  }
  return out;
}

describe("meridian cluster slurm", () => {
  test("the script is a job array of workers with directives sbatch reads", () => {
    const s = slurmScript(base);
    expect(s.startsWith("#!/bin/bash\n")).toBe(true);
    expect(directives(s)).toEqual([
      "#SBATCH --job-name=meridian-worker",
      "#SBATCH --partition=compute",
      "#SBATCH --array=0-7",
      "#SBATCH --ntasks=1",
      "#SBATCH --cpus-per-task=4",
      "#SBATCH --mem=8G",
      "#SBATCH --time=02:00:00",
      "#SBATCH --output=/scratch/logs/meridian-worker-%A_%a.out",
    ]);
    // Every #SBATCH line in the file is one sbatch sees (none after the first command).
    expect(s.split("\n").filter((l) => l.startsWith("#SBATCH"))).toEqual(directives(s));
    // Each directive is `--option=value` with no white space in the value.
    for (const d of directives(s)) expect(d).toMatch(/^#SBATCH --[a-z-]+=\S+$/);
    expect(s.trimEnd().split("\n").at(-1)).toBe(
      "exec /usr/bin/node /opt/meridian/apps/cli/bin/meridian.js worker --redis redis://10.0.0.5:6379/2 " +
        "--concurrency 4 --lock-ms 30000 --prefix mc --resources io=1,gpu=1 --group gpu",
    );
  });

  test("bash parses the script (bash -n)", () => {
    const s = slurmScript({
      ...base,
      account: "astro_42",
      redis: "redis://u:p'w@h:1/0",
      scratch: "/shared/scratch dir",
      allowModules: ["file:///opt/kernels/"],
    });
    expect(s).toContain(" --scratch '/shared/scratch dir' --allow-module file:///opt/kernels/\n");
    expect(directives(s)).toContain("#SBATCH --account=astro_42");
    const r = spawnSync("bash", ["-n"], { input: s });
    expect(r.status).toBe(0);
    expect(s).toContain(`--redis 'redis://u:p'\\''w@h:1/0'`);
  });

  test("shell quoting survives a round trip through sh", () => {
    for (const v of ["plain", "with space", "it's", "$HOME", "a;b", "`x`"]) {
      const r = spawnSync("sh", ["-c", `printf %s ${shellQuote(v)}`]);
      expect(r.stdout.toString()).toBe(v);
    }
  });

  test("bad options are usage errors naming the option", async () => {
    expect(() => slurmScript({ ...base, partition: "a b" })).toThrow(
      '--partition "a b" is not a partition name',
    );
    expect(() => slurmScript({ ...base, workers: 0 })).toThrow("--workers must be >= 1, got 0");
    expect(() => slurmScript({ ...base, time: "2h" })).toThrow(
      '--time "2h": use minutes, HH:MM:SS or D-HH:MM:SS',
    );
    expect(() => slurmScript({ ...base, mem: "lots" })).toThrow('--mem "lots": use e.g. 4G or 4000M');
    const r = await runCaptured(["cluster", "slurm", "--workers", "2", "--partition", "x;y", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('meridian: --partition "x;y" is not a partition name\n');
  });

  test("--dry-run prints the script", async () => {
    const r = await runCaptured([
      "cluster",
      "slurm",
      "--workers",
      "3",
      "--partition",
      "short",
      "--command",
      "meridian",
      "--dry-run",
    ]);
    expect(r.code).toBe(0);
    expect(directives(r.stdout)).toContain("#SBATCH --array=0-2");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(
      "exec meridian worker --redis redis://127.0.0.1:6379 --concurrency 1 --lock-ms 30000 --prefix mc",
    );
  });
});

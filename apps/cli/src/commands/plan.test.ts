import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../../test/paths.js";
import { runCaptured } from "../../test/capture.js";

const obs = JSON.parse(readFileSync(repoFixture("plan", "expected", "observability.json"), "utf8")) as {
  sites: {
    name: string;
    lat: number;
    lon: number;
    elev: number;
    date: string;
    events: Record<string, { time: number; kind: string }[]>;
  }[];
};

describe("meridian plan", () => {
  test("--json night events agree with astropy within one minute; SVG written", async () => {
    const s = obs.sites[0]!;
    const dir = mkdtempSync(join(tmpdir(), "plan-"));
    const svg = join(dir, "chart.svg");
    const r = await runCaptured([
      "plan",
      "--site",
      `${s.lat},${s.lon},${s.elev}`,
      "--date",
      s.date,
      "M 83",
      "12:30:00 -30:00:00",
      "--json",
      "--plot",
      svg,
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const want = s.events.astronomical?.find((e) => e.kind === "set")?.time ?? 0;
    expect(Math.abs(Date.parse(out.night.events.astronomicalDusk) - want)).toBeLessThan(60_000);
    expect(out.targets.map((t: { name: string }) => t.name)).toEqual(["M 83", "12:30:00 -30:00:00"]);
    expect(out.targets[0].series.length).toBe(1441);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  test("--at gives positions at one instant", async () => {
    const r = await runCaptured([
      "plan",
      "--site",
      "-30.24,-70.74,2715",
      "--at",
      "2022-06-22T03:00:00Z",
      "Vega",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.targets[0].name).toBe("Vega");
    expect(out.targets[0].altitude).toBeGreaterThan(0);
  });

  test("unknown names exit 2 with suggestions", async () => {
    const r = await runCaptured(["plan", "--site", "0,0", "--date", "2022-06-21", "Betelgeuze"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'meridian: unknown target "Betelgeuze"; did you mean "Betelgeuse"? [UNKNOWN_TARGET]\n',
    );
  });
});

describe.skipIf(!haveSharedFixtures())("meridian satcheck", () => {
  test("finds crossings, reports bad TLE lines by number and keeps the rest", async () => {
    const lines = readFileSync(sharedFixture("tle", "stellarium-0.22.2.3le"), "utf8").split("\n");
    lines[4] = `${lines[4]!.slice(0, 68)}${(Number(lines[4]![68]) + 1) % 10}`; // bad checksum on line 5
    const dir = mkdtempSync(join(tmpdir(), "satcheck-"));
    const file = join(dir, "all.tle");
    writeFileSync(file, lines.join("\n"));
    const r = await runCaptured([
      "satcheck",
      "--site",
      "-30.2407,-70.7366,2715",
      "--ra",
      "20:00:00",
      "--dec",
      "-10",
      "--fov",
      "3",
      "--start",
      "2022-06-16T02:00:00Z",
      "--duration",
      "240",
      "--tle",
      file,
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 5: checksum is \d, computed \d \(skipped\)/);
    const out = JSON.parse(r.stdout);
    expect(out.stats.objects).toBe(5017);
    expect(out.crossings.length).toBeGreaterThan(0);
    const c = out.crossings[0];
    expect(c.elements.line1).toMatch(/^1 /);
    expect(typeof c.sunlit).toBe("boolean");
    expect(c.track.length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * `meridian login` and `meridian files search|headers` against a real listening server (PGlite):
 * login with a password creates an API key saved 0600; the search gives what astropy expects
 * (fixtures/portal/search-expected.json) in JSON and as a table; mistakes exit 2 with one line.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../../../test/paths.js";
import { dataFiles, datasets } from "../../../server/src/db/portal-schema.js";
import { users } from "../../../server/src/db/schema.js";
import type { Harness } from "../../../server/test/harness.js";
import { openTestPglite } from "../../../server/test/pglite.js";
import {
  apiKeyOf,
  buildHarnessOn,
  type PortalCast,
  portalCast,
} from "../../../server/test/portal-harness.js";
import { runCaptured } from "../../test/capture.js";
import { parseCone, parseRange } from "./files.js";

const bin = join(repoRoot, "apps/cli/bin/meridian.js");
const fixture = JSON.parse(await readFile(`${repoRoot}/fixtures/portal/search-expected.json`, "utf8")) as {
  files: Record<string, unknown>[];
  cones: { name: string; ra: number; dec: number; radius: number; match: string[] }[];
  combined: { name: string; match: string[] }[];
};

/** Run the built CLI as a process with `input` on stdin. */
function runBin(
  args: string[],
  env: Record<string, string>,
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("meridian login and files", () => {
  let h: Harness;
  let c: PortalCast;
  let server: string;
  let config: string;
  let observerName: string;
  const savedXdg = process.env.XDG_CONFIG_HOME;

  beforeAll(async () => {
    h = await buildHarnessOn(await openTestPglite());
    c = await portalCast(h, "cli");
    const [u] = await h.database.db.select().from(users).where(eq(users.id, c.observer.userId));
    observerName = u!.username;
    const [ds] = await h.database.db.insert(datasets).values({ orgId: c.orgId, name: "survey" }).returning();
    await h.database.db.insert(dataFiles).values(
      fixture.files.map((f) => ({
        id: f.id as string,
        orgId: c.orgId,
        datasetId: ds!.id,
        name: f.name as string,
        size: 2880,
        sha256: "0".repeat(64),
        storageKey: `cli/${f.id}`,
        format: "fits",
        object: f.object as string,
        ra: f.ra as number,
        dec: f.dec as number,
        healpix29: BigInt(f.healpix29 as string),
        footprint: f.footprint as [number, number][] | null,
        radiusDeg: f.radiusDeg as number | null,
        dateObs: new Date(f.dateObs as string),
        exptime: f.exptime as number,
        filter: f.filter as string,
        instrument: f.instrument as string,
        frameType: f.frameType as "light",
        keywords: f.keywords as Record<string, number>,
        headers: [{ index: 0, type: "PRIMARY", cards: f.keywords as Record<string, number> }],
      })),
    );
    server = await h.app.listen({ port: 0, host: "127.0.0.1" });
    config = await mkdtemp(join(tmpdir(), "meridian-cli-config-"));
    process.env.XDG_CONFIG_HOME = config;
  }, 120_000);
  afterAll(async () => {
    if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedXdg;
    await h?.close();
    if (config) await rm(config, { recursive: true, force: true });
  });

  test("login with a password saves a new API key, readable by the owner only", async () => {
    const res = await runBin(
      ["login", server, "--username", observerName, "--password-stdin", "--portal", "cli", "--json"],
      { XDG_CONFIG_HOME: config },
      "correct horse battery\n",
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const path = join(config, "meridian", "config.json");
    expect(JSON.parse(res.stdout)).toEqual({ server, username: observerName, portal: "cli", config: path });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(path, "utf8")) as {
      server: string;
      apiKey: string;
      portal: string;
    };
    expect(saved).toMatchObject({ server, portal: "cli" });
    expect(saved.apiKey).toMatch(/^mk_/);
  });

  test("a wrong password or an unknown portal is one line and a non-zero exit; nothing is saved", async () => {
    const before = await readFile(join(config, "meridian", "config.json"), "utf8");
    const wrong = await runBin(
      ["login", server, "--username", observerName, "--password-stdin"],
      { XDG_CONFIG_HOME: config },
      "nope\n",
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^meridian: log in: .*\[INVALID_CREDENTIALS\]\n$/);
    const key = await apiKeyOf(h, c.member, ["read"]);
    const noPortal = await runBin(
      ["login", server, "--api-key-stdin", "--portal", "nowhere"],
      { XDG_CONFIG_HOME: config },
      key.apiKey,
    );
    expect(noPortal.stderr).toBe('meridian: portal "nowhere": no portal "nowhere" [NOT_FOUND]\n');
    expect(await readFile(join(config, "meridian", "config.json"), "utf8")).toBe(before);
  });

  test("files search: cone plus date range, all pages, JSON", async () => {
    const whole = fixture.cones.find((q) => q.name === "whole field")!;
    const expected = fixture.combined.find((q) => q.name === "cone+date")!.match;
    const res = await runCaptured([
      "files",
      "search",
      "--cone",
      `${whole.ra} ${whole.dec} ${whole.radius}`,
      "--from",
      "2026-03-01",
      "--to",
      "2026-07-01",
      "--limit",
      "7",
      "--all",
      "--json",
    ]);
    expect(res.stderr).toBe("");
    const body = JSON.parse(res.stdout) as { items: { id: string }[]; nextCursor: string | null };
    expect(body.items.map((i) => i.id).sort()).toEqual([...expected].sort());
    expect(body.nextCursor).toBeNull();
  });

  test("files search: header conditions and a table; headers of a file", async () => {
    const expected = fixture.combined.find((q) => q.name === "cone+header")!.match;
    const whole = fixture.cones.find((q) => q.name === "whole field")!;
    const res = await runCaptured([
      "files",
      "search",
      "--cone",
      `${whole.ra} ${whole.dec} ${whole.radius}`,
      "--header",
      "EXPTIME>30",
      "--header",
      "OBSERVER=Vera",
      "--limit",
      "1000",
    ]);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+OBJECT\s+DATE-OBS\s+FILTER\s+EXPTIME\s+TYPE\s+RA\s+DEC\s+DIST°\s+ID$/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(/\s+/).at(-1))
        .sort(),
    ).toEqual([...expected].sort());
    const headers = await runCaptured(["files", "headers", expected[0]!, "--json"]);
    expect(JSON.parse(headers.stdout).headers[0].type).toBe("PRIMARY");
  });

  test("bad options exit 2 with the reason", async () => {
    const cone = await runCaptured(["files", "search", "--cone", "10 20"]);
    expect(cone.code).toBe(2);
    expect(cone.stderr).toContain('"10 20" is not "RA DEC RADIUS"');
    const header = await runCaptured(["files", "search", "--header", "EXPTIME>long"]);
    expect(header.code).toBe(2);
    expect(header.stderr).toBe(
      'meridian: GET /api/portals/cli/files?header=EXPTIME%3Elong&limit=100: header condition "EXPTIME>long": > needs a number, got "long" [BAD_REQUEST]\n',
    );
  });
});

describe("argument parsers", () => {
  test("cones in degrees and sexagesimal", () => {
    expect(parseCone("83.82 -5.39 0.5")).toEqual([83.82, -5.39, 0.5]);
    const [ra, dec, r] = parseCone("05:35:17.3 -05:23:28 10arcmin");
    expect(ra).toBeCloseTo(83.822083, 5);
    expect(dec).toBeCloseTo(-5.391111, 5);
    expect(r).toBeCloseTo(1 / 6, 12);
    expect(() => parseCone("1 2")).toThrow(/is not "RA DEC RADIUS"/);
    expect(() => parseCone("1 95 1")).toThrow();
  });
  test("exposure ranges", () => {
    expect(parseRange("30:120")).toEqual([30, 120]);
    expect(parseRange("30:")).toEqual([30, undefined]);
    expect(parseRange(":10")).toEqual([undefined, 10]);
    expect(parseRange("60")).toEqual([60, 60]);
    expect(() => parseRange("a:b")).toThrow();
  });
});

/**
 * Tools API, satellites: POST /api/tools/satcheck with element sets as text, from a URL (a local
 * HTTP server: limits on size and time, private addresses refused unless allowed) and from the
 * server's catalogue (history by epoch, the set used returned with its age). Positions are
 * checked against skyfield in fixtures/plan/expected/satellites.json (fixtures/plan/make-expected.py).
 */
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { tleChecksum } from "@meridian/plan";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { haveSharedFixtures, repoFixture, sharedFixture } from "../../../test/paths.js";
import { ElementStore } from "../src/tools/element-store.js";
import { buildHarness, type Harness, type LoggedIn, login } from "./harness.js";

interface SatObject {
  name: string;
  line1: string;
  line2: string;
  ra: number[];
  dec: number[];
  rangeKm: number[];
}
const fixture = JSON.parse(await readFile(repoFixture("plan/expected/satellites.json"), "utf8")) as {
  site: { lat: number; lon: number; elev: number };
  start: string;
  offsetsSeconds: number[];
  objects: SatObject[];
};
const tleText = fixture.objects.map((o) => `${o.name}\n${o.line1}\n${o.line2}\n`).join("");
const site = `${fixture.site.lat},${fixture.site.lon},${fixture.site.elev}`;
const t0 = Date.parse(fixture.start);

/** Epoch of a TLE line 1 (YYDDD.DDDDDDDD), Unix ms: the TLE's own field, not a computed result. */
function tleEpoch(line1: string): number {
  const yy = Number(line1.slice(18, 20));
  const day = Number(line1.slice(20, 32));
  return Date.UTC(yy < 57 ? 2000 + yy : 1900 + yy, 0, 1) + (day - 1) * 86400000;
}

/** The same TLE with its epoch moved by `days` (checksum redone). */
function shiftEpoch(line1: string, days: number): string {
  const day = Number(line1.slice(20, 32)) + days;
  const body = `${line1.slice(0, 20)}${day.toFixed(8).padStart(12, "0")}${line1.slice(32, 68)}`;
  return `${body}${tleChecksum(body)}`;
}

function angularArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const d = Math.PI / 180;
  const c =
    Math.sin(dec1 * d) * Math.sin(dec2 * d) +
    Math.cos(dec1 * d) * Math.cos(dec2 * d) * Math.cos((ra1 - ra2) * d);
  return (Math.acos(Math.min(1, c)) / d) * 3600;
}

interface Crossing {
  name: string;
  satnum: string;
  track: { time: string; ra: number; dec: number; rangeKm: number }[];
  elements: { line1?: string; epoch: string; ageDays: number; stale: boolean };
  sunlit: boolean;
}
interface SatDoc {
  source: string;
  problems: { line: number; message: string }[];
  stats: { objects: number };
  crossings: Crossing[];
}

let h: Harness;
let me: LoggedIn;
let httpServer: Server;
let baseUrl: string;

function post(url: string, payload: unknown, who: LoggedIn | null = me, harness: Harness = h) {
  return harness.app.inject({
    method: "POST",
    url,
    payload: payload as Record<string, unknown>,
    headers: who ? { cookie: who.cookie, "x-csrf-token": who.csrfToken } : {},
  });
}

/** Field centred on where skyfield puts `obj` at offset `k`, exposure ±10 s around it. */
function checkAt(obj: SatObject, k: number, elements: unknown, field: unknown = { radius: 1 }) {
  const at = t0 + (fixture.offsetsSeconds[k] as number) * 1000;
  return {
    site,
    pointing: { ra: obj.ra[k] as number, dec: obj.dec[k] as number },
    field,
    start: new Date(at - 10000).toISOString(),
    duration: 20,
    elements,
  };
}

const starlink = fixture.objects.find((o) => o.name === "STARLINK-2362") as SatObject;
const gps = fixture.objects.find((o) => o.name.startsWith("GPS BIIRM-2")) as SatObject;
const OFFSET_7200 = fixture.offsetsSeconds.indexOf(7200);
const OFFSET_600 = fixture.offsetsSeconds.indexOf(600);

beforeAll(async () => {
  httpServer = createServer((req, res) => {
    if (req.url === "/gp.tle") {
      res.writeHead(200, { "content-type": "text/plain" }).end(tleText);
    } else if (req.url === "/moved") {
      res.writeHead(302, { location: "/gp.tle" }).end();
    } else if (req.url === "/huge") {
      // No content-length: the limit must cut the stream.
      res.writeHead(200, { "content-type": "text/plain" });
      res.write(tleText);
      res.end(tleText);
    } else if (req.url === "/slow") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write(tleText.slice(0, 100));
      setTimeout(() => res.end(), 5000).unref();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  process.env.MERIDIAN_TOOLS_FETCH_ALLOW_PRIVATE = "true";
  process.env.MERIDIAN_TOOLS_FETCH_MAX_BYTES = String(tleText.length + 10);
  process.env.MERIDIAN_TOOLS_FETCH_TIMEOUT_MS = "1500";
  try {
    h = await buildHarness();
  } finally {
    delete process.env.MERIDIAN_TOOLS_FETCH_ALLOW_PRIVATE;
    delete process.env.MERIDIAN_TOOLS_FETCH_MAX_BYTES;
    delete process.env.MERIDIAN_TOOLS_FETCH_TIMEOUT_MS;
  }
  me = await login(h, "observer", "observer-password-1");
});

afterAll(async () => {
  await h?.close();
  httpServer?.closeAllConnections();
  await new Promise((r) => httpServer?.close(r));
});

describe("POST /api/tools/satcheck", () => {
  test("TLE text: the satellite is found where skyfield puts it (< 1″), with the TLE used and its age", async () => {
    const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { text: tleText }));
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as SatDoc;
    expect(doc.source).toBe("text");
    expect(doc.stats.objects).toBe(fixture.objects.length);
    const c = doc.crossings.find((x) => x.name === "STARLINK-2362");
    expect(c, JSON.stringify(doc.crossings.map((x) => x.name))).toBeDefined();
    const at = new Date(t0 + 7200000).toISOString();
    const p = c?.track.find((q) => q.time === at);
    expect(p).toBeDefined();
    expect(angularArcsec(p!.ra, p!.dec, starlink.ra[OFFSET_7200]!, starlink.dec[OFFSET_7200]!)).toBeLessThan(
      1,
    );
    expect(Math.abs(p!.rangeKm - starlink.rangeKm[OFFSET_7200]!)).toBeLessThan(0.01);
    expect(c?.elements.line1).toBe(starlink.line1);
    const epoch = tleEpoch(starlink.line1);
    expect(Math.abs(Date.parse(c!.elements.epoch) - epoch)).toBeLessThan(1);
    expect(c!.elements.ageDays).toBeCloseTo((t0 + 7200000 - epoch) / 86400000, 6);
    expect(c!.elements.stale).toBe(false);
  });

  test("rectangular field, sexagesimal pointing, old elements flagged", async () => {
    const body = checkAt(gps, OFFSET_600, { text: tleText }, { width: 0.5, height: 0.3, pa: 30 });
    const res = await post("/api/tools/satcheck", { ...body, maxAgeDays: 0.2 });
    expect(res.statusCode, res.body).toBe(200);
    const c = (res.json() as SatDoc).crossings.find((x) => x.name === gps.name);
    const p = c?.track.find((q) => q.time === new Date(t0 + 600000).toISOString());
    expect(angularArcsec(p!.ra, p!.dec, gps.ra[OFFSET_600]!, gps.dec[OFFSET_600]!)).toBeLessThan(1);
    expect(c?.elements.stale).toBe(true);
  });

  test("bad TLE lines are reported by line number and the rest is used", async () => {
    const lines = tleText.split("\n");
    lines[1] = `${(lines[1] ?? "").slice(0, 68)}${((Number((lines[1] ?? "").at(68)) + 1) % 10).toString()}`;
    const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { text: lines.join("\n") }));
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as SatDoc;
    expect(doc.problems[0]?.line).toBe(2);
    expect(doc.problems[0]?.message).toMatch(/checksum/);
    expect(doc.stats.objects).toBe(fixture.objects.length - 1);
    expect(doc.crossings.some((x) => x.name === "STARLINK-2362")).toBe(true);
    const none = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { text: "not a TLE\n" }));
    expect(none.statusCode).toBe(400);
  });

  test.skipIf(!haveSharedFixtures())(
    "a pasted catalogue larger than the server's default body limit (1 MiB) is accepted",
    async () => {
      const big = (await readFile(sharedFixture("tle/stellarium-0.22.2.3le"), "utf8")).repeat(2);
      expect(big.length).toBeGreaterThan(1024 * 1024);
      const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { text: big }));
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect((res.json() as SatDoc).crossings.some((x) => x.name === "STARLINK-2362")).toBe(true);
    },
  );

  test("truncated element text: the complete sets are used, the cut one reported, never a 500", async () => {
    const xml = `<ndm><omm><body><segment><metadata><OBJECT_NAME>X</OBJECT_NAME></metadata></segment></body></omm></ndm>`;
    for (const text of [
      ...Array.from({ length: 12 }, (_, i) => tleText.slice(0, Math.round(((i + 1) * tleText.length) / 13))),
      xml.slice(0, 40),
      '[{"OBJECT_NAME":"X","EPOCH":"2022-06-16T00:00:00",',
      "NORAD_CAT_ID,EPOCH\n25544,not-a-date\n",
    ]) {
      const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { text }));
      expect([200, 400], text.slice(-80)).toContain(res.statusCode);
      if (res.statusCode === 200) {
        const doc = res.json() as SatDoc;
        const complete = Math.floor(text.split("\n").length / 3);
        expect(doc.stats.objects).toBeGreaterThanOrEqual(complete - 1);
      } else {
        expect(Object.keys(res.json() as object).sort()).toEqual(["code", "message"]);
      }
    }
  });

  test("elements from a URL, following a redirect; size and time limits", async () => {
    const res = await post(
      "/api/tools/satcheck",
      checkAt(starlink, OFFSET_7200, { url: `${baseUrl}/moved` }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SatDoc).source).toBe("url");
    expect((res.json() as SatDoc).crossings.some((x) => x.name === "STARLINK-2362")).toBe(true);
    const huge = await post(
      "/api/tools/satcheck",
      checkAt(starlink, OFFSET_7200, { url: `${baseUrl}/huge` }),
    );
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toMatch(/limit of \d+ bytes/);
    const began = Date.now();
    const slow = await post(
      "/api/tools/satcheck",
      checkAt(starlink, OFFSET_7200, { url: `${baseUrl}/slow` }),
    );
    expect(slow.statusCode).toBe(400);
    expect(slow.json().message).toMatch(/within 1500 ms/);
    expect(Date.now() - began).toBeLessThan(4500);
    const missing = await post(
      "/api/tools/satcheck",
      checkAt(starlink, OFFSET_7200, { url: `${baseUrl}/nope` }),
    );
    expect(missing.json().message).toMatch(/HTTP 404/);
    const file = await post(
      "/api/tools/satcheck",
      checkAt(starlink, OFFSET_7200, { url: "file:///etc/passwd" }),
    );
    expect(file.statusCode).toBe(400);
    expect(file.json().message).toMatch(/only http and https/);
  });

  test("by default the server refuses loopback and private addresses", async () => {
    const strict = await buildHarness();
    try {
      const who = await login(strict, "observer2", "observer-password-2");
      for (const url of [
        `${baseUrl}/gp.tle`,
        "http://localhost:9/x",
        "http://[::1]:9/x",
        "http://10.1.2.3/x",
      ]) {
        const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { url }), who, strict);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().message, url).toMatch(/private or local/);
      }
    } finally {
      await strict.close();
    }
  });

  test("the server's catalogue keeps every epoch and answers with the nearest set and its age", async () => {
    const empty = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { catalogue: true }));
    expect(empty.statusCode).toBe(400);
    const added = await post("/api/tools/satellites", { text: tleText });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ added: fixture.objects.length, objects: fixture.objects.length });
    // An older set of the same object (epoch 3 days earlier).
    const older = `${starlink.name}\n${shiftEpoch(starlink.line1, -3)}\n${starlink.line2}\n`;
    expect((await post("/api/tools/satellites", { text: older })).json()).toMatchObject({ added: 1 });
    const satnum = starlink.line1.slice(2, 7);
    const hist = await h.app.inject({
      method: "GET",
      url: `/api/tools/satellites/${satnum}`,
      headers: { cookie: me.cookie },
    });
    expect(hist.statusCode).toBe(200);
    const epochs = (hist.json() as { history: { epoch: string }[] }).history.map((x) => Date.parse(x.epoch));
    expect(epochs).toHaveLength(2);
    expect(epochs[1]! - epochs[0]!).toBeCloseTo(3 * 86400000, -1);

    const res = await post("/api/tools/satcheck", checkAt(starlink, OFFSET_7200, { catalogue: true }));
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as SatDoc;
    expect(doc.source).toBe("catalogue");
    const c = doc.crossings.find((x) => x.name === "STARLINK-2362");
    expect(c?.elements.line1).toBe(starlink.line1);
    const p = c?.track.find((q) => q.time === new Date(t0 + 7200000).toISOString());
    expect(angularArcsec(p!.ra, p!.dec, starlink.ra[OFFSET_7200]!, starlink.dec[OFFSET_7200]!)).toBeLessThan(
      1,
    );

    const info = await h.app.inject({
      method: "GET",
      url: "/api/tools/satellites",
      headers: { cookie: me.cookie },
    });
    expect(info.json()).toMatchObject({
      objects: fixture.objects.length,
      elementSets: fixture.objects.length + 1,
    });
    // Stored as files; a new store reads the same history back.
    const dir = join(h.config.home, "tools", "elements");
    expect((await readdir(dir)).filter((f) => !f.startsWith("."))).toHaveLength(2);
    const again = new ElementStore(dir);
    expect((await again.catalogue()).history(satnum)).toHaveLength(2);

    const anonymous = await post("/api/tools/satellites", { text: tleText }, null);
    expect(anonymous.statusCode).toBe(401);
  });
});

/**
 * Tools API, planning: POST /api/tools/plan and /plan/yearly, GET /api/tools/targets/resolve,
 * against astropy's numbers in fixtures/plan/expected/observability.json (made by
 * fixtures/plan/make-expected.py). Sites and telescopes come from the portal tables on PGlite.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoFixture } from "../../../test/paths.js";
import { createUser } from "../src/accounts/users.js";
import {
  memberships,
  observingSites,
  organisations,
  targetListItems,
  targetLists,
  targets,
  telescopes,
} from "../src/db/portal-schema.js";
import { buildHarness, type Harness, type LoggedIn, login } from "./harness.js";

interface Ev {
  time: number;
  kind: string;
}
interface ExpectedSite {
  name: string;
  lat: number;
  lon: number;
  elev: number;
  date: string;
  utcOffsetHours: number;
  start: number;
  times: number[];
  ut1MinusUtc: number;
  altitude: number[][];
  events: Record<string, Ev[]>;
  transits: number[][];
}
const expected = JSON.parse(readFileSync(repoFixture("plan/expected/observability.json"), "utf8")) as {
  targets: { ra: number[]; dec: number[] };
  sites: ExpectedSite[];
};
const pachon = expected.sites[0] as ExpectedSite;
const targetsRa = expected.targets.ra;
const targetsDec = expected.targets.dec;

interface PlanDoc {
  site: { name?: string; source: string; utcOffsetHours?: number; latitude: number };
  telescope?: { name: string };
  constraints: Record<string, unknown>;
  night: {
    start: string;
    end: string;
    events: Record<string, string | null>;
    series: { time: string; sunAltitude: number }[];
  };
  targets: {
    name: string;
    type: string;
    dec?: number;
    transit: string | null;
    observableHours: number;
    series?: { time: string; altitude: number; hourAngle: number; observable: boolean }[];
  }[];
}

let h: Harness;
let me: LoggedIn;

function post(url: string, payload: unknown, who: LoggedIn | null = me) {
  return h.app.inject({
    method: "POST",
    url,
    payload: payload as Record<string, unknown>,
    headers: who ? { cookie: who.cookie, "x-csrf-token": who.csrfToken } : {},
  });
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN);

beforeAll(async () => {
  h = await buildHarness();
  me = await login(h, "observer", "observer-password-1");
  const other = await createUser(h.database.db, { username: "stranger", password: "stranger-password-1" });
  const db = h.database.db;
  const [mine] = await db
    .insert(organisations)
    .values({ slug: "aura", name: "AURA", isPublic: false })
    .returning();
  const [hidden] = await db
    .insert(organisations)
    .values({ slug: "secret", name: "Secret", isPublic: false })
    .returning();
  await db.insert(memberships).values({ orgId: mine!.id, userId: me.userId, role: "member" });
  await db.insert(memberships).values({ orgId: hidden!.id, userId: other.id, role: "owner" });
  const [site] = await db
    .insert(observingSites)
    .values({
      orgId: mine!.id,
      name: "Cerro Pachon",
      latitude: pachon.lat,
      longitude: pachon.lon,
      elevation: pachon.elev,
      timeZone: "America/Santiago",
    })
    .returning();
  await db.insert(observingSites).values({
    orgId: hidden!.id,
    name: "Hidden Peak",
    latitude: 10,
    longitude: 10,
    elevation: 0,
  });
  await db.insert(telescopes).values({
    orgId: mine!.id,
    siteId: site!.id,
    name: "Fork 4m",
    limits: {
      minAltitudeDeg: 30,
      hourAngleMinH: -2,
      hourAngleMaxH: 3,
      minDeclinationDeg: -70,
      maxDeclinationDeg: 15,
    },
  });
});

const pmFixture = JSON.parse(readFileSync(repoFixture("plan/expected/proper-motion.json"), "utf8")) as {
  times: number[];
  ut1MinusUtc: number;
  stars: {
    name: string;
    raAtEpoch: number;
    decAtEpoch: number;
    pmRa: number;
    pmDec: number;
    alt: number[];
  }[];
};

beforeAll(async () => {
  // A target list: ε Ind given at its 2022.47 position with its proper motion, and Vega.
  const db = h.database.db;
  const [org] = await db.select().from(organisations).limit(1);
  const eps = pmFixture.stars.find((x) => x.name === "eps Ind")!;
  const mid = pmFixture.times[6] ?? 0;
  const epoch = 2000 + (mid - Date.UTC(2000, 0, 1, 11, 58, 55.816)) / (365.25 * 86400000);
  const [t1] = await db
    .insert(targets)
    .values({
      orgId: org!.id,
      name: "eps Ind now",
      ra: eps.raAtEpoch,
      dec: eps.decAtEpoch,
      pmRa: eps.pmRa,
      pmDec: eps.pmDec,
      epoch,
    })
    .returning();
  const [t2] = await db
    .insert(targets)
    .values({ orgId: org!.id, name: "Vega J2000", ra: 279.2347, dec: 38.7837 })
    .returning();
  const [list] = await db.insert(targetLists).values({ orgId: org!.id, name: "Night 1" }).returning();
  await db.insert(targetListItems).values([
    { listId: list!.id, targetId: t2!.id, position: 2 },
    { listId: list!.id, targetId: t1!.id, position: 1 },
  ]);
});

afterAll(async () => {
  await h?.close();
});

const coordinateTargets = () =>
  targetsRa.slice(0, 8).map((ra, i) => ({ name: `T${i}`, ra, dec: targetsDec[i] as number }));

describe("POST /api/tools/plan", () => {
  test("a night at a database site matches astropy: altitudes, twilights, transits", async () => {
    const res = await post("/api/tools/plan", {
      site: "Cerro Pachon",
      date: pachon.date,
      targets: coordinateTargets(),
      ut1MinusUtc: pachon.ut1MinusUtc,
      constraints: { twilight: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.site).toMatchObject({ name: "Cerro Pachon", source: "database", utcOffsetHours: -4 });
    // Noon to noon in the site's zone (America/Santiago, UTC−4 in June).
    expect(doc.night.start).toBe(`${pachon.date}T16:00:00Z`);
    // Twilights within 5 s of astropy (10-s grid, interpolated); our times are rounded to 1 s.
    const pairs: [string, string, "set" | "rise"][] = [
      ["sunset", "sunset", "set"],
      ["sunrise", "sunset", "rise"],
      ["civilDusk", "civil", "set"],
      ["civilDawn", "civil", "rise"],
      ["nauticalDusk", "nautical", "set"],
      ["nauticalDawn", "nautical", "rise"],
      ["astronomicalDusk", "astronomical", "set"],
      ["astronomicalDawn", "astronomical", "rise"],
    ];
    for (const [ours, theirs, kind] of pairs) {
      const want = pachon.events[theirs]?.find((e) => e.kind === kind)?.time ?? Number.NaN;
      expect(Math.abs(ms(doc.night.events[ours]) - want), ours).toBeLessThan(5000);
    }
    // Altitudes on astropy's 30-minute grid: within 2″ (+ 0.36″ of rounding to 1e-4°).
    const series0 = doc.targets[0]?.series ?? [];
    const index = new Map(series0.map((s, k) => [ms(s.time), k]));
    let worst = 0;
    let compared = 0;
    pachon.times.forEach((t, k) => {
      const i = index.get(Math.round(t / 1000) * 1000);
      if (i === undefined) return;
      doc.targets.forEach((tg, j) => {
        const got = tg.series?.[i]?.altitude ?? Number.NaN;
        worst = Math.max(worst, Math.abs(got - (pachon.altitude[j]?.[k] ?? Number.NaN)) * 3600);
        compared++;
      });
    });
    expect(compared).toBeGreaterThan(8 * 40);
    expect(worst).toBeLessThan(2.4);
    // Transits inside the night: within 5 s of astropy's culminations.
    doc.targets.forEach((tg, j) => {
      const inNight = (pachon.transits[j] ?? []).filter(
        (t) => t > ms(doc.night.start) + 600000 && t < ms(doc.night.end) - 600000,
      );
      if (inNight.length === 0 || tg.transit === null) return;
      expect(Math.abs(ms(tg.transit) - (inNight[0] as number)), tg.name).toBeLessThan(5000);
    });
  });

  test("positions at one instant equal astropy's", async () => {
    const k = 20;
    const t = new Date(pachon.times[k] as number).toISOString();
    const res = await post("/api/tools/plan", {
      site: `${pachon.lat},${pachon.lon},${pachon.elev}`,
      at: t,
      targets: coordinateTargets(),
      ut1MinusUtc: pachon.ut1MinusUtc,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.site.source).toBe("coordinates");
    doc.targets.forEach((tg, j) => {
      expect(Math.abs((tg.series?.[0]?.altitude ?? 0) - (pachon.altitude[j]?.[k] ?? 0)) * 3600).toBeLessThan(
        2.4,
      );
    });
  });

  test("a telescope brings its site and limits (altitude, hour angle, declination)", async () => {
    const res = await post("/api/tools/plan", {
      telescope: "Fork 4m",
      date: pachon.date,
      targets: coordinateTargets(),
      constraints: { minAltitude: 20, hourAngle: { min: -4, max: 2 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.telescope?.name).toBe("Fork 4m");
    expect(doc.site.name).toBe("Cerro Pachon");
    // The stricter of request and telescope: min altitude 30, HA [−2, 2], Dec [−70, 15].
    expect(doc.constraints).toMatchObject({
      minAltitude: 30,
      hourAngle: { min: -2, max: 2 },
      declination: { min: -70, max: 15 },
    });
    const sun = doc.night.series.map((s) => s.sunAltitude);
    for (const tg of doc.targets) {
      const dec = tg.dec ?? 0;
      for (const [k, s] of (tg.series ?? []).entries()) {
        const allowed =
          s.altitude >= 30 &&
          s.hourAngle >= -2 &&
          s.hourAngle <= 2 &&
          dec >= -70 &&
          dec <= 15 &&
          (sun[k] ?? 0) <= -18;
        expect(s.observable, `${tg.name} ${s.time}`).toBe(allowed);
      }
      if (dec > 15 || dec < -70) expect(tg.observableHours).toBe(0);
    }
    expect(doc.targets.some((t) => (t.dec ?? 0) > 15)).toBe(true);
  });

  test("horizon profile, Moon separation and time windows narrow the windows", async () => {
    const base = { site: "Cerro Pachon", date: pachon.date, targets: coordinateTargets(), constraints: {} };
    const free = (await post("/api/tools/plan", base)).json() as PlanDoc;
    const limited = await post("/api/tools/plan", {
      ...base,
      constraints: {
        horizon: "# az alt\n0 25\n180 45\n360 25\n",
        minMoonSeparation: 40,
        windows: [{ start: "2022-06-22T02:00:00Z", end: "2022-06-22T06:00:00Z" }],
      },
    });
    expect(limited.statusCode, limited.body).toBe(200);
    const doc = limited.json() as PlanDoc;
    doc.targets.forEach((t, i) => {
      expect(t.observableHours).toBeLessThanOrEqual(free.targets[i]?.observableHours ?? 0);
      for (const s of t.series ?? []) {
        if (!s.observable) continue;
        expect(ms(s.time)).toBeGreaterThanOrEqual(Date.parse("2022-06-22T02:00:00Z"));
        expect(ms(s.time)).toBeLessThanOrEqual(Date.parse("2022-06-22T06:00:00Z"));
        expect(s.altitude).toBeGreaterThanOrEqual(25);
      }
    });
    const bad = await post("/api/tools/plan", { ...base, constraints: { horizon: "0 10\n90 x\n" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/line 2/);
  });

  test("a date range, series off", async () => {
    const res = await post("/api/tools/plan", {
      site: "paranal",
      start: "2022-06-21T12:00:00Z",
      end: "2022-06-23T12:00:00Z",
      targets: ["M 83", "Saturn"],
      series: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.site.source).toBe("bundled");
    expect(doc.targets.map((t) => t.name)).toEqual(["M 83", "Saturn"]);
    expect(doc.targets[0]?.series).toBeUndefined();
  });

  test("bad input: unknown names with suggestions, invisible sites, no site, too much, no login", async () => {
    const unknown = await post("/api/tools/plan", {
      site: "paranal",
      date: "2022-06-21",
      targets: ["Betelgeuze"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('did you mean "Betelgeuse"');
    // Another organisation's private site is not found (and not a bundled observatory either).
    const hidden = await post("/api/tools/plan", {
      site: "Hidden Peak",
      date: "2022-06-21",
      targets: ["M 31"],
    });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().message).toMatch(/PARSE_SITE/);
    const noSite = await post("/api/tools/plan", { date: "2022-06-21", targets: ["M 31"] });
    expect(noSite.statusCode).toBe(400);
    const both = await post("/api/tools/plan", {
      site: "paranal",
      date: "2022-06-21",
      at: "2022-06-21T00:00:00Z",
      targets: ["M 31"],
    });
    expect(both.statusCode).toBe(400);
    const long = await post("/api/tools/plan", {
      site: "paranal",
      start: "2022-06-01T00:00:00Z",
      end: "2022-07-01T00:00:00Z",
      targets: ["M 31"],
    });
    expect(long.statusCode).toBe(400);
    const extra = await post("/api/tools/plan", {
      site: "paranal",
      date: "2022-06-21",
      targets: ["M 31"],
      bogus: 1,
    });
    expect(extra.statusCode).toBe(400);
    const anonymous = await post(
      "/api/tools/plan",
      { site: "paranal", date: "2022-06-21", targets: ["M 31"] },
      null,
    );
    expect(anonymous.statusCode).toBe(401);
  });
});

describe("target lists", () => {
  test("a portal target list (epoch and proper motion honoured) and a CSV list", async () => {
    const res = await post("/api/tools/plan", {
      site: `${pachon.lat},${pachon.lon},${pachon.elev}`,
      date: pachon.date,
      targets: ["M 83"],
      targetList: "aura/Night 1",
      targetsCsv: "name,ra,dec\nCSV one,12:30:00,-30:00:00\nM 31,,\n",
      ut1MinusUtc: pmFixture.ut1MinusUtc,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.targets.map((t) => t.name)).toEqual(["M 83", "eps Ind now", "Vega J2000", "CSV one", "M 31"]);
    const eps = pmFixture.stars.find((x) => x.name === "eps Ind")!;
    const series = doc.targets[1]?.series ?? [];
    const index = new Map(series.map((x, k) => [ms(x.time), k]));
    let compared = 0;
    pmFixture.times.forEach((t, j) => {
      const k = index.get(Math.round(t / 1000) * 1000);
      if (k === undefined || (eps.alt[j] ?? 0) < 5) return;
      expect(Math.abs((series[k]?.altitude ?? 0) - (eps.alt[j] ?? 0)) * 3600).toBeLessThan(2.5);
      compared++;
    });
    expect(compared).toBeGreaterThan(3);
    const missing = await post("/api/tools/plan", {
      site: "paranal",
      date: "2022-06-21",
      targetList: "Hidden list",
    });
    expect(missing.statusCode).toBe(404);
    const none = await post("/api/tools/plan", { site: "paranal", date: "2022-06-21" });
    expect(none.statusCode).toBe(400);
    const badCsv = await post("/api/tools/plan", {
      site: "paranal",
      date: "2022-06-21",
      targetsCsv: "name,ra,dec\nX,99:00:00,0\n",
    });
    expect(badCsv.statusCode).toBe(400);
    expect(badCsv.json().message).toMatch(/line 2/);
  });
});

describe("moving targets through the API", () => {
  test("a comet and an asteroid by name: altitudes within 3″ of skyfield + astropy", async () => {
    const moving = JSON.parse(readFileSync(repoFixture("plan/expected/small-bodies.json"), "utf8")) as {
      times: number[];
      ut1MinusUtc: number;
      objects: { name: string; alt: number[] }[];
    };
    const names = ["C/2020 F3 (NEOWISE)", "4 Vesta"];
    const res = await post("/api/tools/plan", {
      site: `${pachon.lat},${pachon.lon},${pachon.elev}`,
      date: pachon.date,
      targets: ["C/2020 F3", "Vesta"],
      ut1MinusUtc: moving.ut1MinusUtc,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as PlanDoc;
    expect(doc.targets.map((t) => [t.name, t.type])).toEqual([
      ["C/2020 F3 (NEOWISE)", "comet"],
      ["4 Vesta", "asteroid"],
    ]);
    names.forEach((name, i) => {
      const want = moving.objects.find((o) => o.name === name);
      const series = doc.targets[i]?.series ?? [];
      const index = new Map(series.map((s, k) => [ms(s.time), k]));
      moving.times.forEach((t, j) => {
        const k = index.get(Math.round(t / 1000) * 1000);
        if (k === undefined) return;
        expect(Math.abs((series[k]?.altitude ?? 0) - (want?.alt[j] ?? 0)) * 3600, name).toBeLessThan(3);
      });
    });
  });
});

describe("malformed requests", () => {
  test("truncated and mistyped bodies get a 400 with a code, never a 500", async () => {
    const valid = JSON.stringify({
      site: "paranal",
      date: "2022-06-21",
      targets: ["M 83", { ra: "12:30:00", dec: "-30:00:00" }],
      constraints: {
        maxAirmass: 2,
        horizon: "0 10\n180 20\n",
        windows: [{ start: "2022-06-22T00:00:00Z", end: "2022-06-22T04:00:00Z" }],
      },
    });
    const bodies: string[] = [];
    for (let n = 1; n < valid.length; n += 9) bodies.push(valid.slice(0, n));
    bodies.push(
      valid.replace('"paranal"', "42"),
      valid.replace('"2022-06-21"', '"2022-13-45"'),
      valid.replace('"12:30:00"', '"25:99:00"'),
      valid.replace('maxAirmass":2', 'maxAirmass":0.5'),
      valid.replace('"0 10\\n180 20\\n"', '"0 x\\n"'),
      valid.replace('"2022-06-22T00:00:00Z"', '"yesterday"'),
      valid.replace('"M 83"', '""'),
    );
    for (const payload of bodies) {
      const res = await h.app.inject({
        method: "POST",
        url: "/api/tools/plan",
        payload,
        headers: { cookie: me.cookie, "x-csrf-token": me.csrfToken, "content-type": "application/json" },
      });
      expect(res.statusCode, payload).toBe(400);
      expect(Object.keys(res.json() as object).sort(), payload).toEqual(["code", "message"]);
    }
  });
});

describe("POST /api/tools/plan/yearly", () => {
  test("hours per night never exceed the dark hours; dark hours match astropy's twilights", async () => {
    const res = await post("/api/tools/plan/yearly", {
      site: `${pachon.lat},${pachon.lon},${pachon.elev}`,
      date: pachon.date,
      nights: 20,
      targets: ["M 83", { name: "T0", ra: targetsRa[0] as number, dec: targetsDec[0] as number }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as {
      nights: string[];
      darkHours: number[];
      targets: { name: string; hours: number[]; monthly: { month: string }[] }[];
    };
    expect(doc.nights).toHaveLength(20);
    expect(doc.nights[0]).toBe(pachon.date);
    for (const t of doc.targets) {
      for (const [k, x] of t.hours.entries()) expect(x).toBeLessThanOrEqual((doc.darkHours[k] ?? 0) + 1e-9);
    }
    const dusk = pachon.events.astronomical?.find((e) => e.kind === "set")?.time ?? 0;
    const dawn = pachon.events.astronomical?.find((e) => e.kind === "rise")?.time ?? 0;
    // A 10-minute grid: within one step of astropy's length of the astronomical night.
    expect(Math.abs((doc.darkHours[0] ?? 0) - (dawn - dusk) / 3600000)).toBeLessThanOrEqual(1 / 6 + 1e-9);
    expect(doc.targets[0]?.monthly.map((m) => m.month)).toEqual(["2022-06", "2022-07"]);
  });
});

describe("yearly plans at a portal site", () => {
  test("nights follow the site's zone through a daylight-saving change (Chile, 2022-04-03)", async () => {
    const res = await post("/api/tools/plan/yearly", {
      site: "Cerro Pachon",
      date: "2022-03-30",
      nights: 8,
      targets: ["M 83"],
      stepMinutes: 30,
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as { nights: string[]; starts: string[] };
    expect(doc.nights[0]).toBe("2022-03-30");
    // Local noon: 15:00 UTC under UTC−3 (to 2 April), 16:00 UTC under UTC−4 (from 3 April).
    expect(doc.starts.map((s) => s.slice(11, 16))).toEqual([
      "15:00",
      "15:00",
      "15:00",
      "15:00",
      "16:00",
      "16:00",
      "16:00",
      "16:00",
    ]);
  });
});

describe("GET /api/tools/sites", () => {
  test("portal sites you can see, then the bundled observatories", async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/api/tools/sites",
      headers: { cookie: me.cookie },
    });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { name: string; key: string; source: string }[] }).items;
    expect(items[0]).toMatchObject({ name: "Cerro Pachon", key: "aura/Cerro Pachon", source: "database" });
    expect(items.some((x) => x.name === "Hidden Peak")).toBe(false);
    expect(items.some((x) => x.key === "paranal" && x.source === "bundled")).toBe(true);
  });
});

describe("GET /api/tools/targets/resolve", () => {
  function resolve(name: string) {
    return h.app.inject({
      method: "GET",
      url: `/api/tools/targets/resolve?name=${encodeURIComponent(name)}`,
      headers: { cookie: me.cookie },
    });
  }
  test("names, coordinates and suggestions", async () => {
    const m31 = await resolve("Andromeda Galaxy");
    expect(m31.statusCode).toBe(200);
    expect(m31.json()).toMatchObject({ name: "M 31", kind: "fixed", source: "OpenNGC" });
    const jup = await resolve("jupiter");
    expect(jup.json()).toMatchObject({ name: "Jupiter", kind: "body" });
    const coords = await resolve("12:30:00 -30:00:00");
    expect(coords.json()).toMatchObject({ kind: "fixed", ra: 187.5, dec: -30 });
    const halley = (await resolve("Halley")).json() as {
      name: string;
      kind: string;
      type: string;
      orbit: { e: number; perihelion: string };
    };
    expect(halley).toMatchObject({ name: "1P/Halley", kind: "orbit", type: "comet" });
    // The SBDB input itself (comets.dat): e = 0.967142908462304, perihelion at JD 2446467.395317051 (TDB).
    expect(halley.orbit.e).toBeCloseTo(0.967142908, 9);
    expect(Date.parse(halley.orbit.perihelion) / 86400000 + 2440587.5).toBeCloseTo(2446467.395317, 5);
    const unknown = await resolve("Betelgeuze");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().suggestions[0]).toBe("Betelgeuse");
    const anonymous = await h.app.inject({ method: "GET", url: "/api/tools/targets/resolve?name=M31" });
    expect(anonymous.statusCode).toBe(401);
  });
});

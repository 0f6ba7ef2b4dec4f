/** Members and roles, night logs and the rebuilt night, datasets, files, targets and CSV import. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dataFiles, organisations } from "../src/db/portal-schema.js";
import { databaseTargets } from "./databases.js";
import type { Harness } from "./harness.js";
import { buildHarnessOn, call, fastUser, ok, type PortalCast, portalCast } from "./portal-harness.js";

const dbTargets = await databaseTargets();

describe.each(dbTargets)("on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let h: Harness;
    let c: PortalCast;
    const base = "/api/portals/res";
    beforeAll(async () => {
      h = await buildHarnessOn(await target.open());
      c = await portalCast(h, "res");
    });
    afterAll(() => h?.close());

    describe("members and roles", () => {
      test("admins add members; only owners make owners; the last owner stays", async () => {
        const vera = await fastUser(h, "vera");
        const added = await ok<{ member: { username: string; role: string } }>(
          h,
          c.admin,
          "POST",
          `${base}/members`,
          {
            username: "vera",
            role: "member",
          },
        );
        expect(added.member).toMatchObject({ username: "vera", role: "member" });
        const again = await call(h, c.admin, "POST", `${base}/members`, {
          username: "vera",
          role: "observer",
        });
        expect(again.json()).toEqual({
          code: "CONFLICT",
          message: "vera is already a member; change their role instead",
        });
        const noOwner = await call(h, c.admin, "PATCH", `${base}/members/${vera.userId}`, { role: "owner" });
        expect(noOwner.json()).toEqual({
          code: "FORBIDDEN",
          message: "only an owner may make someone an owner",
        });
        const touchOwner = await call(h, c.admin, "DELETE", `${base}/members/${c.owner.userId}`);
        expect(touchOwner.json()).toEqual({
          code: "FORBIDDEN",
          message: "only an owner may change or remove an owner",
        });
        const last = await call(h, c.owner, "PATCH", `${base}/members/${c.owner.userId}`, { role: "admin" });
        expect(last.statusCode).toBe(409);
        expect(last.json().message).toBe(
          "the last owner cannot be removed or demoted; make someone else owner first",
        );
        expect((await call(h, c.owner, "DELETE", `${base}/members/${c.owner.userId}`)).statusCode).toBe(409);
        // With a second owner, the first may step down.
        await ok(h, c.owner, "PATCH", `${base}/members/${vera.userId}`, { role: "owner" });
        await ok(h, c.owner, "PATCH", `${base}/members/${c.owner.userId}`, { role: "admin" });
        await ok(h, vera, "PATCH", `${base}/members/${c.owner.userId}`, { role: "owner" });
        await ok(h, c.owner, "DELETE", `${base}/members/${vera.userId}`);
        const members = await ok<{ items: { username: string; role: string }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/members`,
        );
        expect(members.items.map((m) => m.role).sort()).toEqual(["admin", "member", "observer", "owner"]);
        const unknown = await call(h, c.admin, "POST", `${base}/members`, {
          username: "nobody",
          role: "member",
        });
        expect(unknown.json()).toEqual({ code: "NOT_FOUND", message: 'no user named "nobody"' });
      });

      test("two owners demoting each other at once leave one owner", async () => {
        const second = await fastUser(h, "second");
        await ok(h, c.owner, "POST", `${base}/members`, { username: "second", role: "owner" });
        const [a, b] = await Promise.all([
          call(h, c.owner, "PATCH", `${base}/members/${second.userId}`, { role: "member" }),
          call(h, second, "PATCH", `${base}/members/${c.owner.userId}`, { role: "member" }),
        ]);
        // The loser gets 409 (last owner) or, when the winner committed before its request was
        // authorised, 403 (no longer an owner).
        const [won, lost] = [a.statusCode, b.statusCode].sort();
        expect(won).toBe(200);
        expect([403, 409]).toContain(lost);
        const members = await ok<{ items: { role: string }[] }>(h, c.owner, "GET", `${base}/members`).catch(
          () => ok<{ items: { role: string }[] }>(h, second, "GET", `${base}/members`),
        );
        expect(members.items.filter((m) => m.role === "owner")).toHaveLength(1);
      });
    });

    describe("night logs and the night rebuilt from files", () => {
      test("entries, observations, calibrations and the timeline with blocks, filters and gaps", async () => {
        const site = await ok<{ site: { id: string } }>(h, c.admin, "POST", `${base}/sites`, {
          name: "La Silla",
          longitude: -70.73,
          latitude: -29.26,
          timeZone: "America/Santiago",
        });
        const scope = await ok<{ telescope: { id: string } }>(h, c.admin, "POST", `${base}/telescopes`, {
          name: "T60",
          siteId: site.site.id,
        });
        const log = await ok<{ nightLog: { id: string; night: string } }>(
          h,
          c.member,
          "POST",
          `${base}/night-logs`,
          {
            telescopeId: scope.telescope.id,
            night: "2026-11-24",
            observers: ["Vera"],
            weather: "clear",
          },
        );
        const logId = log.nightLog.id;
        const dup = await call(h, c.member, "POST", `${base}/night-logs`, {
          telescopeId: scope.telescope.id,
          night: "2026-11-24",
        });
        expect(dup.statusCode).toBe(409);
        const badNight = await call(h, c.member, "POST", `${base}/night-logs`, {
          telescopeId: scope.telescope.id,
          night: "2026-02-30",
        });
        expect(badNight.json()).toEqual({
          code: "VALIDATION_FAILED",
          message: 'night "2026-02-30" is not a calendar date',
        });
        await ok(h, c.member, "POST", `${base}/night-logs/${logId}/entries`, {
          at: "2026-11-25T01:00:00Z",
          text: "dome open",
        });
        await ok(h, c.member, "POST", `${base}/night-logs/${logId}/entries`, {
          at: "2026-11-25T03:30:00Z",
          text: "clouds",
        });
        await ok(h, c.member, "POST", `${base}/night-logs/${logId}/calibrations`, {
          kind: "bias",
          notes: "21 frames",
        });
        const badObs = await call(h, c.member, "POST", `${base}/night-logs/${logId}/observations`, {
          targetName: "M42",
          startAt: "2026-11-25T03:00:00Z",
          endAt: "2026-11-25T02:00:00Z",
        });
        expect(badObs.json()).toEqual({ code: "VALIDATION_FAILED", message: "endAt is before startAt" });

        // A second night: lists under one night log show only its own rows; night logs filter by dates.
        const other = await ok<{ nightLog: { id: string } }>(h, c.member, "POST", `${base}/night-logs`, {
          telescopeId: scope.telescope.id,
          night: "2026-11-25",
        });
        await ok(h, c.member, "POST", `${base}/night-logs/${other.nightLog.id}/entries`, {
          text: "another night",
        });
        const own = await ok<{ items: { text: string }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/night-logs/${logId}/entries`,
        );
        expect(own.items.map((e) => e.text)).toEqual(["dome open", "clouds"]);
        const theirs = await ok<{ items: { text: string }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/night-logs/${other.nightLog.id}/entries`,
        );
        expect(theirs.items.map((e) => e.text)).toEqual(["another night"]);
        const missing = await call(h, c.observer, "GET", `${base}/night-logs/${scope.telescope.id}/entries`);
        expect(missing.statusCode).toBe(404);
        const nights = async (q: string) =>
          (
            await ok<{ items: { night: string }[] }>(h, c.observer, "GET", `${base}/night-logs?${q}`)
          ).items.map((l) => l.night);
        expect(await nights("")).toEqual(["2026-11-25", "2026-11-24"]);
        expect(await nights("from=2026-11-25")).toEqual(["2026-11-25"]);
        expect(await nights("to=2026-11-24")).toEqual(["2026-11-24"]);
        expect(await nights(`telescopeId=${site.site.id}`)).toEqual([]);
        expect((await call(h, c.observer, "GET", `${base}/night-logs?from=yesterday`)).statusCode).toBe(400);

        const ds = await ok<{ dataset: { id: string } }>(h, c.member, "POST", `${base}/datasets`, {
          name: "night 24",
        });
        // Frames: 3 bias (0 s), 2 flats in V, a science block on M42 in V then R, a 40-minute gap, M31 in V.
        const t0 = Date.parse("2026-11-25T00:30:00Z");
        const frames: [number, number, string, string | null, string | null][] = [
          [0, 0, "bias", null, null],
          [10, 0, "bias", null, null],
          [20, 0, "bias", null, null],
          [120, 5, "flat", null, "V"],
          [140, 5, "flat", null, "V"],
          [600, 60, "light", "M42", "V"],
          [670, 60, "light", "M42", "V"],
          [740, 60, "light", "M42", "R"],
          [740 + 60 + 2400, 120, "light", "M31", "V"],
        ];
        await h.database.db.insert(dataFiles).values(
          frames.map(([dt, exptime, frameType, object, filter], i) => ({
            orgId: c.orgId,
            datasetId: ds.dataset.id,
            name: `f${i}.fits`,
            size: 2880,
            sha256: `${i}`.padStart(64, "0"),
            storageKey: `t/${i}`,
            format: "fits",
            dateObs: new Date(t0 + dt * 1000),
            exptime,
            frameType: frameType as "light",
            object,
            filter,
            instrument: "CAM",
            nightLogId: logId,
          })),
        );
        const t = await ok<Record<string, unknown> & { blocks: Record<string, unknown>[] }>(
          h,
          c.observer,
          "GET",
          `${base}/night-logs/${logId}/timeline`,
        );
        expect(
          t.blocks.map((b) => [b.frameType, b.object, b.filter, b.frames, b.exposureSeconds, b.start, b.end]),
        ).toEqual([
          ["bias", null, null, 3, 0, "2026-11-25T00:30:00.000Z", "2026-11-25T00:30:20.000Z"],
          ["flat", null, "V", 2, 10, "2026-11-25T00:32:00.000Z", "2026-11-25T00:32:25.000Z"],
          ["light", "M42", "V", 2, 120, "2026-11-25T00:40:00.000Z", "2026-11-25T00:42:10.000Z"],
          ["light", "M42", "R", 1, 60, "2026-11-25T00:42:20.000Z", "2026-11-25T00:43:20.000Z"],
          ["light", "M31", "V", 1, 120, "2026-11-25T01:23:20.000Z", "2026-11-25T01:25:20.000Z"],
        ]);
        expect(t.gaps).toEqual([
          { start: "2026-11-25T00:32:25.000Z", end: "2026-11-25T00:40:00.000Z", seconds: 455 },
          { start: "2026-11-25T00:43:20.000Z", end: "2026-11-25T01:23:20.000Z", seconds: 2400 },
        ]);
        expect(t.targets).toEqual([
          { object: "M42", frames: 3, exposureSeconds: 180, filters: ["R", "V"] },
          { object: "M31", frames: 1, exposureSeconds: 120, filters: ["V"] },
        ]);
        expect(t.calibrations).toEqual({ bias: 3, flat: 2 });
        expect(t.filters).toEqual(["R", "V"]);
        expect(t.scienceSeconds).toBe(300);
        expect((t.entries as { text: string }[]).map((e) => e.text)).toEqual(["dome open", "clouds"]);
        expect(t.site).toMatchObject({ name: "La Silla", timeZone: "America/Santiago" });
        // A shorter gap threshold also reports the bias-to-flat pause (100 s).
        const t2 = await ok<{ gaps: unknown[] }>(
          h,
          c.observer,
          "GET",
          `${base}/night-logs/${logId}/timeline?gapSeconds=60`,
        );
        expect(t2.gaps).toHaveLength(3);

        // The rebuilt blocks become observations and calibrations with their files, once.
        const made = await ok(h, c.member, "POST", `${base}/night-logs/${logId}/reconstruct`, {}, 200);
        expect(made).toEqual({ observations: 3, calibrations: 2, files: 9 });
        expect(await ok(h, c.member, "POST", `${base}/night-logs/${logId}/reconstruct`, {}, 200)).toEqual({
          observations: 0,
          calibrations: 0,
          files: 0,
        });
        const obs = await ok<{
          items: { id: string; targetName: string; filter: string; startAt: string; endAt: string }[];
        }>(h, c.observer, "GET", `${base}/night-logs/${logId}/observations`);
        expect(obs.items.map((o) => [o.targetName, o.filter, o.startAt, o.endAt])).toEqual([
          ["M42", "V", "2026-11-25T00:40:00.000Z", "2026-11-25T00:42:10.000Z"],
          ["M42", "R", "2026-11-25T00:42:20.000Z", "2026-11-25T00:43:20.000Z"],
          ["M31", "V", "2026-11-25T01:23:20.000Z", "2026-11-25T01:25:20.000Z"],
        ]);
        const cals = await ok<{ items: { kind: string }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/night-logs/${logId}/calibrations`,
        );
        expect(cals.items.map((k) => k.kind).sort()).toEqual(["bias", "bias", "flat"]);
        // Files of a block can be set by hand too.
        const m31 = await ok<{ items: { id: string }[] }>(h, c.observer, "GET", `${base}/files?object=M31`);
        const set = await ok(
          h,
          c.member,
          "PUT",
          `${base}/night-logs/${logId}/observations/${obs.items[0]!.id}/files`,
          {
            fileIds: m31.items.map((f) => f.id),
          },
        );
        expect(set).toEqual({ count: 1 });
        const bad = await call(
          h,
          c.member,
          "PUT",
          `${base}/night-logs/${logId}/observations/${obs.items[0]!.id}/files`,
          {
            fileIds: [obs.items[1]!.id],
          },
        );
        expect(bad.json()).toEqual({
          code: "BAD_REQUEST",
          message: `no file with id "${obs.items[1]!.id}" in this portal`,
        });

        // A dataset that holds files cannot be deleted; its files can (admins), then it can.
        const refused = await call(h, c.admin, "DELETE", `${base}/datasets/${ds.dataset.id}`);
        expect(refused.json()).toEqual({
          code: "CONFLICT",
          message: 'dataset "night 24" still holds 9 files; delete them first',
        });
        const files = await ok<{ items: { id: string }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/files?dataset=${ds.dataset.id}&limit=1000`,
        );
        expect(files.items).toHaveLength(9);
        expect((await call(h, c.member, "DELETE", `${base}/files/${files.items[0]!.id}`)).statusCode).toBe(
          403,
        );
        for (const f of files.items) await ok(h, c.admin, "DELETE", `${base}/files/${f.id}`);
        await ok(h, c.admin, "DELETE", `${base}/datasets/${ds.dataset.id}`);
        const [org] = await h.database.db.select().from(organisations).where(eq(organisations.id, c.orgId));
        expect(org!.usedBytes).toBe(0);
      });
    });

    describe("targets", () => {
      test("CSV import: sexagesimal and degrees, update by name, into a list", async () => {
        const csv =
          "name,ra,dec,pm_ra,notes\nM31,00:42:44.3,+41:16:09,,Andromeda\nVega,279.2347,38.7837,200.94,\n";
        const res = await call(h, c.member, "POST", `${base}/targets/import?list=Tonight`, csv, {
          "content-type": "text/csv",
        });
        expect(res.statusCode).toBe(200);
        const body = res.json() as { created: number; updated: number; listId: string };
        expect([body.created, body.updated]).toEqual([2, 0]);
        const again = await call(
          h,
          c.member,
          "POST",
          `${base}/targets/import`,
          "name,ra,dec\nm31,10.6846,41.2692\n",
          {
            "content-type": "text/csv",
          },
        );
        expect(again.json()).toMatchObject({ created: 0, updated: 1 });
        const list = await ok<{ items: { name: string; ra: number }[] }>(
          h,
          c.observer,
          "GET",
          `${base}/target-lists/${body.listId}/targets`,
        );
        expect(list.items.map((t) => t.name)).toEqual(["m31", "Vega"]);
        expect(list.items[0]!.ra).toBe(10.6846);
      });

      test("CSV errors name the row and column; nothing is imported", async () => {
        const send = async (csv: string) =>
          (
            await call(h, c.member, "POST", `${base}/targets/import`, csv, { "content-type": "text/csv" })
          ).json();
        expect(await send("")).toEqual({
          code: "BAD_REQUEST",
          message: "the CSV is empty; expected a header row with name, ra, dec",
        });
        expect(await send("name,ra\nX,1\n")).toEqual({
          code: "BAD_REQUEST",
          message: "row 1, column dec: missing; the header needs name, ra and dec",
        });
        expect(await send("name,ra,dec,colour\n")).toMatchObject({
          message:
            'row 1, column 4: unknown column "colour" (expected name, ra, dec, pm_ra, pm_dec, epoch, notes)',
        });
        expect(await send("name,ra,dec\nA,1,2\nB,1\n")).toEqual({
          code: "BAD_REQUEST",
          message: "row 3, column -: has 2 fields, the header has 3",
        });
        expect((await send("name,ra,dec\nA,1,2\nB,25h,3\n")).message).toMatch(/^row 3, column ra: /);
        expect((await send("name,ra,dec\nA,1,95\n")).message).toMatch(/^row 2, column dec: /);
        expect(await send('name,ra,dec\n"unterminated,1,2\n')).toMatchObject({ code: "BAD_REQUEST" });
        expect(await send("name,ra,dec\nA,1,2\na,3,4\n")).toEqual({
          code: "BAD_REQUEST",
          message: 'row 3, column name: "a" appears twice',
        });
        const json = await call(h, c.member, "POST", `${base}/targets/import`, { name: "x" });
        expect(json.statusCode).toBe(415);
        expect(json.json()).toEqual({
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: "send the CSV as the body with Content-Type: text/csv",
        });
        const names = await ok<{ items: { name: string }[] }>(h, c.observer, "GET", `${base}/targets`);
        expect(names.items.map((t) => t.name)).toEqual(["m31", "Vega"]);
      });

      test("a CSV fuzz: truncations and byte flips never crash or half-import", async () => {
        const good = "name,ra,dec,epoch\nAlpha,12:00:00,-30:00:00,2000\nBeta,180.5,-29.5,2016\n";
        let seed = 7;
        const rand = () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed / 2 ** 31;
        };
        const count = async () =>
          (await ok<{ items: unknown[] }>(h, c.observer, "GET", `${base}/targets`)).items.length;
        for (let i = 0; i < 60; i++) {
          let text = good.slice(0, Math.floor(rand() * good.length));
          if (i % 2 === 1) {
            const chars = [...good];
            chars[Math.floor(rand() * chars.length)] = String.fromCharCode(Math.floor(rand() * 128));
            text = chars.join("");
          }
          const before = await count();
          const res = await call(h, c.member, "POST", `${base}/targets/import`, text, {
            "content-type": "text/csv",
          });
          expect([200, 400]).toContain(res.statusCode);
          if (res.statusCode === 400) expect(await count()).toBe(before);
          else expect(await count()).toBe(before + (res.json() as { created: number }).created);
        }
      });
    });
  });
});

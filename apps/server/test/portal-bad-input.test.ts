/**
 * Bad input to the portal API: malformed bodies and parameters, out-of-range numbers, and ids of
 * another portal's rows (which must look like rows that do not exist). Each gets a clear 4xx and
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseTargets } from "./databases.js";
import type { Harness, LoggedIn } from "./harness.js";
import { buildHarnessOn, call, ok, type PortalCast, portalCast } from "./portal-harness.js";

const dbTargets = await databaseTargets();

describe.each(dbTargets)("bad input on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let h: Harness;
    let a: PortalCast;
    let b: PortalCast;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      h = await buildHarnessOn(await target.open());
      a = await portalCast(h, "alpha");
      b = await portalCast(h, "beta");
      // Rows of portal beta, to be named through portal alpha's URLs.
      ids.site = (
        await ok<{ site: { id: string } }>(h, b.admin, "POST", "/api/portals/beta/sites", {
          name: "S",
          longitude: 1,
          latitude: 2,
        })
      ).site.id;
      ids.telescope = (
        await ok<{ telescope: { id: string } }>(h, b.admin, "POST", "/api/portals/beta/telescopes", {
          name: "T",
        })
      ).telescope.id;
      ids.target = (
        await ok<{ target: { id: string } }>(h, b.member, "POST", "/api/portals/beta/targets", {
          name: "X",
          ra: 1,
          dec: 2,
        })
      ).target.id;
      ids.list = (
        await ok<{ targetList: { id: string } }>(h, a.member, "POST", "/api/portals/alpha/target-lists", {
          name: "L",
        })
      ).targetList.id;
    });
    afterAll(() => h?.close());

    const code = async (
      who: LoggedIn,
      method: "POST" | "PATCH" | "GET" | "PUT" | "DELETE",
      url: string,
      body?: unknown,
    ) => {
      const res = await call(h, who, method, url, body);
      return [
        res.statusCode,
        (res.json() as { code: string }).code,
        (res.json() as { message: string }).message,
      ] as const;
    };

    test("portal bodies: slugs, lengths, unknown fields, malformed JSON", async () => {
      for (const slug of ["Bad Slug", "-x", "x-", "a".repeat(65), "", "ünï"]) {
        expect((await code(a.owner, "POST", "/api/portals", { slug, name: "n" }))[0], slug).toBe(400);
      }
      expect((await code(a.owner, "POST", "/api/portals", { slug: "ok", name: "" }))[1]).toBe(
        "VALIDATION_FAILED",
      );
      expect((await code(a.owner, "POST", "/api/portals", { slug: "ok", name: "n", owner: "me" }))[1]).toBe(
        "VALIDATION_FAILED",
      );
      const res = await call(h, a.owner, "POST", "/api/portals", '{"slug": "ok",');
      expect([res.statusCode, res.json().code]).toEqual([400, "MALFORMED_JSON"]);
      const proto = await call(
        h,
        a.owner,
        "POST",
        "/api/portals",
        '{"slug":"ok","name":"n","__proto__":{"isAdmin":true}}',
      );
      expect(proto.statusCode).toBe(400);
      const mine = await ok<{ items: unknown[] }>(h, a.owner, "GET", "/api/portals");
      expect(mine.items).toHaveLength(1);
    });

    test("numbers out of range", async () => {
      expect(
        (
          await code(a.admin, "POST", "/api/portals/alpha/sites", { name: "S", longitude: 1, latitude: 95 })
        )[0],
      ).toBe(400);
      expect(
        (
          await code(a.admin, "POST", "/api/portals/alpha/sites", { name: "S", longitude: "1", latitude: 5 })
        )[0],
      ).toBe(400);
      expect(
        (await code(a.admin, "POST", "/api/portals/alpha/telescopes", { name: "T", apertureM: -1 }))[0],
      ).toBe(400);
      expect(
        (
          await code(a.admin, "POST", "/api/portals/alpha/telescopes", {
            name: "T",
            limits: { maxAirmass: 0.5 },
          })
        )[0],
      ).toBe(400);
      expect(
        (await code(a.member, "POST", "/api/portals/alpha/targets", { name: "T", ra: 360, dec: 0 }))[0],
      ).toBe(400);
      expect((await code(a.member, "GET", "/api/portals/alpha/files?limit=0"))[0]).toBe(400);
      expect((await code(a.member, "GET", "/api/portals/alpha/files?radius=-1&ra=1&dec=1"))[2]).toBe(
        "radius -1 is not in (0, 180] degrees",
      );
      expect((await code(a.member, "GET", "/api/portals/alpha/files?exptimeMin=abc"))[0]).toBe(400);
    });

    test("another portal's rows are not found, as references or in URLs", async () => {
      expect(
        await code(a.admin, "POST", "/api/portals/alpha/telescopes", { name: "T2", siteId: ids.site }),
      ).toEqual([400, "BAD_REQUEST", `no site with id "${ids.site}" in this portal`]);
      expect(
        (
          await code(a.member, "POST", "/api/portals/alpha/night-logs", {
            telescopeId: ids.telescope,
            night: "2026-01-01",
          })
        )[2],
      ).toBe(`no telescope with id "${ids.telescope}" in this portal`);
      expect(await code(a.owner, "GET", `/api/portals/alpha/sites/${ids.site}`)).toEqual([
        404,
        "NOT_FOUND",
        `no site with id "${ids.site}"`,
      ]);
      expect((await code(a.owner, "DELETE", `/api/portals/alpha/telescopes/${ids.telescope}`))[0]).toBe(404);
      expect(
        (await code(a.owner, "PATCH", `/api/portals/alpha/targets/${ids.target}`, { name: "stolen" }))[0],
      ).toBe(404);
      expect(
        (
          await code(a.member, "PUT", `/api/portals/alpha/target-lists/${ids.list}/targets`, {
            targetIds: [ids.target],
          })
        )[2],
      ).toBe(`no target with id "${ids.target}" in this portal`);
      expect((await code(a.owner, "GET", `/api/portals/alpha/night-logs/${ids.telescope}/timeline`))[0]).toBe(
        404,
      );
      // Beta's rows are unchanged.
      const t = await ok<{ target: { name: string } }>(
        h,
        b.observer,
        "GET",
        `/api/portals/beta/targets/${ids.target}`,
      );
      expect(t.target.name).toBe("X");
    });

    test("ids that are not uuids, and unknown routes", async () => {
      expect((await code(a.owner, "GET", "/api/portals/alpha/sites/not-a-uuid"))[0]).toBeGreaterThanOrEqual(
        400,
      );
      expect((await code(a.owner, "GET", "/api/portals/alpha/sites/not-a-uuid"))[0]).toBeLessThan(500);
      expect((await code(a.owner, "GET", "/api/portals/alpha/nothing-here"))[0]).toBe(404);
    });
  });
});

/** The portal API core: portals, public page, sites, telescopes, roles, audit. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseTargets } from "./databases.js";
import type { Harness } from "./harness.js";
import { apiKeyOf, buildHarnessOn, call, ok, type PortalCast, portalCast } from "./portal-harness.js";

const dbTargets = await databaseTargets();

describe.each(dbTargets)("on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let h: Harness;
    let c: PortalCast;
    beforeAll(async () => {
      h = await buildHarnessOn(await target.open());
      c = await portalCast(h, "obs");
    });
    afterAll(() => h?.close());

    describe("portals", () => {
      test("the creator is owner; list mine shows role", async () => {
        const mine = await ok<{ items: { portal: { slug: string }; role: string }[] }>(
          h,
          c.owner,
          "GET",
          "/api/portals",
        );
        expect(mine.items.map((i) => [i.portal.slug, i.role])).toEqual([["obs", "owner"]]);
        const theirs = await ok<{ items: { portal: { slug: string }; role: string }[] }>(
          h,
          c.member,
          "GET",
          "/api/portals",
        );
        expect(theirs.items.map((i) => [i.portal.slug, i.role])).toEqual([["obs", "member"]]);
      });

      test("a taken slug is a conflict, whatever its case", async () => {
        const res = await call(h, c.member, "POST", "/api/portals", { slug: "obs", name: "again" });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toEqual({ code: "CONFLICT", message: 'a portal named "obs" exists' });
      });

      test("public page: anonymous sees sites and telescopes with role public", async () => {
        const site = await ok<{ site: { id: string } }>(h, c.admin, "POST", "/api/portals/obs/sites", {
          name: "Cerro Test",
          longitude: -70.73,
          latitude: -30.24,
          elevation: 2200,
          timeZone: "America/Santiago",
        });
        await ok(h, c.admin, "POST", "/api/portals/obs/telescopes", {
          name: "T1",
          siteId: site.site.id,
          apertureM: 0.6,
          limits: { minAltitudeDeg: 20 },
        });
        const page = await ok<{ role: string; sites: { name: string }[]; telescopes: { name: string }[] }>(
          h,
          null,
          "GET",
          "/api/portals/OBS",
        );
        expect(page.role).toBe("public");
        expect(page.sites.map((s) => s.name)).toEqual(["Cerro Test"]);
        expect(page.telescopes.map((s) => s.name)).toEqual(["T1"]);
        expect((await ok<{ role: string }>(h, c.observer, "GET", "/api/portals/obs")).role).toBe("observer");
        expect((await ok<{ role: string }>(h, c.serverAdmin, "GET", "/api/portals/obs")).role).toBe("owner");
      });

      test("roles: a member cannot add a site; an API key needs the write scope", async () => {
        const body = { name: "Other", longitude: 10, latitude: 10 };
        const res = await call(h, c.member, "POST", "/api/portals/obs/sites", body);
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toBe('this needs the admin role in portal "obs"; you are member');
        const readKey = await apiKeyOf(h, c.admin, ["read"]);
        const denied = await call(h, readKey, "POST", "/api/portals/obs/sites", body);
        expect(denied.json()).toEqual({ code: "FORBIDDEN", message: 'this API key lacks the "write" scope' });
        expect((await call(h, readKey, "GET", "/api/portals/obs/sites")).statusCode).toBe(200);
        const writeKey = await apiKeyOf(h, c.admin, ["write"]);
        expect((await call(h, writeKey, "POST", "/api/portals/obs/sites", body)).statusCode).toBe(201);
      });

      test("a bad time zone and unknown fields are refused", async () => {
        const res = await call(h, c.admin, "POST", "/api/portals/obs/sites", {
          name: "Z",
          longitude: 1,
          latitude: 1,
          timeZone: "Mars/Olympus",
        });
        expect(res.json()).toEqual({
          code: "VALIDATION_FAILED",
          message: 'timeZone "Mars/Olympus" is not an IANA time zone',
        });
        const extra = await call(h, c.admin, "POST", "/api/portals/obs/sites", {
          name: "Z",
          longitude: 1,
          latitude: 1,
          x: 1,
        });
        expect(extra.statusCode).toBe(400);
        expect(extra.json().code).toBe("VALIDATION_FAILED");
      });

      test("the audit log lists writes with the actor", async () => {
        const log = await ok<{ items: { action: string; actorUserId: string }[] }>(
          h,
          c.owner,
          "GET",
          "/api/portals/obs/audit",
        );
        expect(log.items.map((i) => i.action)).toContain("site.created");
        expect(log.items.at(-1)).toMatchObject({ action: "portal.created", actorUserId: c.owner.userId });
      });

      test("unknown portal is 404 for members of others; private portal is closed to outsiders", async () => {
        expect((await call(h, c.outsider, "GET", "/api/portals/nope")).statusCode).toBe(404);
        await ok(h, c.owner, "PATCH", "/api/portals/obs", { isPublic: false });
        expect((await call(h, null, "GET", "/api/portals/obs")).statusCode).toBe(401);
        expect((await call(h, c.outsider, "GET", "/api/portals/obs")).statusCode).toBe(403);
        await ok(h, c.owner, "PATCH", "/api/portals/obs", { isPublic: true });
      });
    });
  });
});

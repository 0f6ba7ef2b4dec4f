/** First start with MERIDIAN_DEMO creates a public demo portal owned by the demo user. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureFirstStart } from "../src/accounts/first-start.js";
import { createDemoPortal } from "../src/portal/demo.js";
import { databaseTargets } from "./databases.js";
import type { Harness } from "./harness.js";
import { login } from "./harness.js";
import { buildHarnessOn, ok } from "./portal-harness.js";

const dbTargets = await databaseTargets();

describe.each(dbTargets)("on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    let h: Harness;
    let home: string;
    let demoPassword: string;
    beforeAll(async () => {
      h = await buildHarnessOn(await target.open());
      home = await mkdtemp(join(tmpdir(), "meridian-demo-"));
      const first = await ensureFirstStart(h.database.db, {
        home,
        adminPassword: "admin password 1",
        demo: true,
      });
      demoPassword = first!.demoPassword!;
    });
    afterAll(async () => {
      await h?.close();
      await rm(home, { recursive: true, force: true });
    });

    test("anyone sees the demo portal's site and telescope; the demo user owns it", async () => {
      const page = await ok<{
        portal: { name: string };
        role: string;
        sites: { name: string; timeZone: string }[];
        telescopes: { name: string }[];
      }>(h, null, "GET", "/api/portals/demo");
      expect(page.portal.name).toBe("Demo Observatory");
      expect(page.role).toBe("public");
      expect(page.sites.map((s) => [s.name, s.timeZone])).toEqual([["Cerro Tololo", "America/Santiago"]]);
      expect(page.telescopes.map((t) => t.name)).toEqual(["Demo 0.6 m"]);
      const demo = await login(h, "demo", demoPassword, false);
      const mine = await ok<{ items: { portal: { slug: string }; role: string }[] }>(
        h,
        demo,
        "GET",
        "/api/portals",
      );
      expect(mine.items.map((i) => [i.portal.slug, i.role])).toEqual([["demo", "owner"]]);
      const logs = await ok<{ items: { night: string }[] }>(h, demo, "GET", "/api/portals/demo/night-logs");
      expect(logs.items.map((l) => l.night)).toEqual(["2026-11-24"]);
      const instruments = await ok<{ items: { name: string; filters: string[] }[] }>(
        h,
        demo,
        "GET",
        "/api/portals/demo/instruments",
      );
      expect(instruments.items).toMatchObject([{ name: "Demo CCD", filters: ["B", "V", "R", "I", "Ha"] }]);
      // A second call (another process starting at once) changes nothing.
      expect(await createDemoPortal(h.database.db, demo.userId)).toBeNull();
    });
  });
});

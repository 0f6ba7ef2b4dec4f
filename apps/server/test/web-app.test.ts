/** The built web app at `/`: files, SPA fallback, API paths stay JSON, no path escapes. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildHarness, type Harness } from "./harness.js";
import { checkRoutePolicies } from "./route-policy-check.js";

let web: string;
let h: Harness;
beforeAll(async () => {
  web = await mkdtemp(join(tmpdir(), "meridian-web-"));
  await mkdir(join(web, "assets"));
  await writeFile(join(web, "index.html"), "<!doctype html><title>Meridian</title>");
  await writeFile(join(web, "assets", "app-1234.js"), "console.log('meridian')");
  await writeFile(join(web, "favicon.svg"), "<svg/>");
  h = await buildHarness({ MERIDIAN_WEB_DIR: web }, { database: "none" });
});
afterAll(async () => {
  await h?.close();
  await rm(web, { recursive: true, force: true });
});

test("index, files and client-side routes", async () => {
  const index = await h.app.inject({ method: "GET", url: "/" });
  expect(index.statusCode).toBe(200);
  expect(index.headers["content-type"]).toMatch(/text\/html/);
  expect(index.body).toBe("<!doctype html><title>Meridian</title>");
  expect(index.headers).toMatchObject({
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
  });

  const asset = await h.app.inject({ method: "GET", url: "/assets/app-1234.js" });
  expect(asset.statusCode).toBe(200);
  expect(asset.headers["content-type"]).toMatch(/javascript/);
  expect(asset.headers["cache-control"]).toContain("immutable");

  const route = await h.app.inject({ method: "GET", url: "/account/keys?tab=1" });
  expect(route.statusCode).toBe(200);
  expect(route.body).toBe(index.body);
  expect(route.headers["cache-control"]).toBe("no-cache");

  expect((await h.app.inject({ method: "GET", url: "/favicon.svg" })).body).toBe("<svg/>");
});

test("unknown API paths stay JSON 404s; traversal serves nothing outside the build", async () => {
  const api = await h.app.inject({ method: "GET", url: "/api/nothing" });
  expect(api.statusCode).toBe(404);
  expect(api.json()).toEqual({ code: "NOT_FOUND", message: "no route GET /api/nothing" });
  for (const url of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd"]) {
    const res = await h.app.inject({ method: "GET", url });
    expect(res.body, url).not.toContain("root:");
  }
});

test("the catch-all route is public and declared", async () => {
  const route = h.app.meridianRoutes.find((r) => r.url === "/*" && r.method === "GET");
  expect(route?.policy).toEqual({ auth: "public" });
  expect(await checkRoutePolicies(h.app, h.app.meridianRoutes)).toEqual([]);
});

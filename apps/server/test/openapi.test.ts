/**
 * The OpenAPI document is generated from the route schemas and committed as docs/openapi.json;
 * this test regenerates it and fails on any difference. To refresh the committed copy run
 * `npm run openapi:write -w @meridian/server`.
 */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "../../../test/paths.js";
import { buildHarness, type Harness } from "./harness.js";

const committed = `${repoRoot}/docs/openapi.json`;
let h: Harness;
beforeAll(async () => {
  h = await buildHarness({}, { database: "none" });
});
afterAll(() => h?.close());

test("docs/openapi.json matches the app's document", async () => {
  const res = await h.app.inject({ method: "GET", url: "/api/openapi.json" });
  expect(res.statusCode).toBe(200);
  const generated: unknown = res.json();
  if (process.env.MERIDIAN_UPDATE_GENERATED === "1")
    await writeFile(committed, `${JSON.stringify(generated, null, 2)}\n`);
  // Compared as data: the committed file may be re-indented by the formatter.
  expect(generated).toEqual(JSON.parse(await readFile(committed, "utf8")));
});

test("the document describes every API route with its access policy", async () => {
  const doc = (await h.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
    openapi: string;
    paths: Record<string, Record<string, { description?: string; security?: unknown[] }>>;
  };
  expect(doc.openapi).toBe("3.1.0");
  // Portal paths are enumerated by the permission matrix (permission-matrix.test.ts).
  expect(
    Object.keys(doc.paths)
      .filter((p) => !p.startsWith("/api/portals"))
      .sort(),
  ).toEqual([
    "/api/apikeys",
    "/api/apikeys/{id}",
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/me",
    "/api/health",
    "/api/tools/plan",
    "/api/tools/plan/yearly",
    "/api/tools/satcheck",
    "/api/tools/satellites",
    "/api/tools/satellites/{satnum}",
    "/api/tools/sites",
    "/api/tools/targets/resolve",
    "/api/users",
    "/api/users/me/password",
  ]);
  expect(doc.paths["/api/health"]?.get?.security).toEqual([]);
  expect(doc.paths["/api/users"]?.get?.description).toContain("Access: administrators");
  expect(doc.paths["/api/apikeys"]?.post?.security).toEqual([{ apiKey: [] }, { session: [] }]);
});

test("interactive docs page is served at /api/docs", async () => {
  const res = await h.app.inject({ method: "GET", url: "/api/docs/" });
  expect(res.statusCode).toBe(200);
  expect(res.headers["content-type"]).toMatch(/text\/html/);
  expect(res.body).toContain("swagger");
});

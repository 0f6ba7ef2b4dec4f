/** Every route declares a policy, and every non-public route refuses anonymous callers. */
import Fastify, { type RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { isServerError } from "../src/errors.js";
import { buildApp } from "../src/http/app.js";
import { MissingPolicyError, type RegisteredRoute, type RoutePolicy } from "../src/http/policy.js";
import { buildHarness, type Harness } from "./harness.js";
import { checkRoutePolicies } from "./route-policy-check.js";

describe("route policies of the real app", () => {
  let h: Harness;
  beforeAll(async () => {
    // Anonymous requests never reach the database: a policy that let one through would fail here too.
    h = await buildHarness({}, { database: "none" });
  });
  afterAll(() => h?.close());

  test("every registered route declares a policy and keeps anonymous callers out", async () => {
    const routes = h.app.meridianRoutes;
    // The API routes of the contract are all there (the list is enumerated, not hand-picked, below).
    // Portal routes are enumerated by the permission matrix (permission-matrix.test.ts).
    const api = routes.filter(
      (r) =>
        r.url.startsWith("/api/") &&
        r.method !== "HEAD" &&
        !r.url.startsWith("/api/docs") &&
        !r.url.startsWith("/api/portals"),
    );
    expect(api.map((r) => `${r.method} ${r.url} ${r.policy?.auth}`).sort()).toEqual([
      "DELETE /api/apikeys/:id user",
      "GET /api/apikeys user",
      "GET /api/auth/me user",
      "GET /api/health public",
      "GET /api/openapi.json public",
      "GET /api/tools/satellites user",
      "GET /api/tools/satellites/:satnum user",
      "GET /api/tools/sites user",
      "GET /api/tools/targets/resolve user",
      "GET /api/users admin",
      "PATCH /api/users/me/password user",
      "POST /api/apikeys user",
      "POST /api/auth/login public",
      "POST /api/auth/logout public",
      "POST /api/tools/plan user",
      "POST /api/tools/plan/yearly user",
      "POST /api/tools/satcheck user",
      "POST /api/tools/satellites user",
      "POST /api/users admin",
    ]);
    // Docs pages and HEAD twins are checked too.
    expect(routes.filter((r) => r.url.startsWith("/api/docs")).length).toBeGreaterThan(3);
    expect(routes.length).toBeGreaterThan(api.length);
    expect(await checkRoutePolicies(h.app, routes)).toEqual([]);
  });

  test("registering a route without a policy is refused at startup", async () => {
    const err = await buildApp({
      config: h.config,
      database: h.database,
      extend: (app) => {
        app.get("/api/forgotten", async () => ({ secret: true }));
      },
    }).then(
      (app) => app.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingPolicyError);
    expect((err as Error).message).toBe(
      "route GET /api/forgotten declares no access policy (config.policy); every route must declare one",
    );
    expect(isServerError(err)).toBe(false);
  });
});

describe("deny by default at request time", () => {
  test("a route whose policy is not a valid policy when the request arrives is refused with 403", async () => {
    const h = await buildHarness({}, { database: "none", ready: false });
    // Registered with a valid policy, then corrupted: the request-time check must not fall open.
    const policy: { auth: string } = { auth: "public" };
    await h.app.register(async (scope) => {
      scope.get("/api/corrupted", { config: { policy: policy as RoutePolicy } }, async () => ({
        open: true,
      }));
    });
    await h.app.ready();
    policy.auth = "nobody";
    const res = await h.app.inject({ method: "GET", url: "/api/corrupted" });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ code: "FORBIDDEN", message: "this route declares no access policy" });
    await h.close();
  });
});

describe("the checker itself (test of the test)", () => {
  test("reports a route without a policy and a route that lets anonymous callers in", async () => {
    // A bare Fastify app without our policy hook: collect routes with onRoute, as the real app does.
    const app = Fastify();
    const routes: RegisteredRoute[] = [];
    app.addHook("onRoute", (route: RouteOptions) => {
      const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, policy });
    });
    app.get("/api/open", { config: { policy: { auth: "public" } } }, async () => ({ ok: true }));
    app.get("/api/no-policy", async () => ({ leaked: true }));
    app.post(
      "/api/claims-user/:id",
      { config: { policy: { auth: "user", scope: "write" } } },
      async () => ({}),
    );
    app.get("/api/claims-admin", { config: { policy: { auth: "admin" } } }, async () => {
      throw new Error("boom");
    });
    await app.ready();
    expect(await checkRoutePolicies(app, routes)).toEqual([
      { method: "GET", url: "/api/no-policy", problem: "declares no access policy" },
      { method: "HEAD", url: "/api/no-policy", problem: "declares no access policy" },
      {
        method: "POST",
        url: "/api/claims-user/:id",
        problem: "policy user but an anonymous request got 200",
      },
      { method: "GET", url: "/api/claims-admin", problem: "anonymous request got 500" },
      { method: "HEAD", url: "/api/claims-admin", problem: "anonymous request got 500" },
    ]);
    await app.close();
  });
});

/**
 * The permission matrix: every route under /api/portals × every caller (anonymous, the admin of
 * another portal, observer, member, admin, owner; and API keys with each scope) against the
 * outcome its declared policy promises. The routes and the expectations both come from the app
 * (`meridianRoutes` and the policies), so a new route is covered the moment it is registered.
 *
 * Allowed means any answer but 401/403 (and never 5xx): writes are probed with an unknown JSON
 * field, which an allowed caller sees refused by the body schema (400). Each DELETE route gets a
 * fresh portal, and callers go from weakest to strongest, so a deletion cannot hide a denial.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "../src/accounts/api-keys.js";
import type { Scope } from "../src/accounts/scopes.js";
import {
  calibrations,
  dataFiles,
  dataPackages,
  datasets,
  instruments,
  memberships,
  nightLogEntries,
  nightLogs,
  ORG_ROLES,
  type OrgRole,
  observations,
  observingSites,
  organisations,
  targetLists,
  targets,
  telescopes,
} from "../src/db/portal-schema.js";
import { buildApp } from "../src/http/app.js";
import {
  InvalidPolicyError,
  MissingPolicyError,
  orgPolicy,
  type RegisteredRoute,
  type RoutePolicy,
  requiredScope,
} from "../src/http/policy.js";
import { databaseTargets } from "./databases.js";
import type { Harness, LoggedIn } from "./harness.js";
import { buildHarnessOn, type Caller, call, fastUser } from "./portal-harness.js";

const CALLERS = ["anonymous", "outsider", "observer", "member", "admin", "owner"] as const;
type CallerName = (typeof CALLERS)[number];

/** What the policy promises `who` on a portal whose public page is `isPublic`. */
export function expectedAccess(policy: RoutePolicy, who: CallerName, isPublic: boolean): "allow" | "deny" {
  switch (policy.auth) {
    case "public":
      return "allow";
    case "user":
      return who === "anonymous" ? "deny" : "allow";
    case "admin":
      return "deny";
    case "org": {
      const rank = (ORG_ROLES as readonly string[]).indexOf(who);
      if (rank >= ORG_ROLES.indexOf(policy.role)) return "allow";
      return policy.anonymous === "public-portal" && isPublic ? "allow" : "deny";
    }
  }
}

let h: Harness;
const users = {} as Record<Exclude<CallerName, "anonymous">, LoggedIn>;
let victim: LoggedIn;
let portalRoutes: RegisteredRoute[];
let serial = 0;

const shared = new Map<string, Record<string, string>>();

/** A portal with one resource of each kind (fresh for DELETE routes, else shared); its URL parameters. */
async function fixtureFor(method: string, isPublic: boolean): Promise<Record<string, string>> {
  // Writes are probed with a body their schema refuses, so they change nothing; deletions take no
  // body and do delete, and deleting the portal itself would turn later denials into 404s.
  if (method === "DELETE") return fixture(isPublic);
  const key = `${SAFE.has(method) ? "read" : "write"}:${isPublic}`;
  let params = shared.get(key);
  if (params === undefined) {
    params = await fixture(isPublic);
    shared.set(key, params);
  }
  return params;
}

/** A fresh portal with one resource of each kind; returns the URL parameter values. */
async function fixture(isPublic: boolean): Promise<Record<string, string>> {
  const db = h.database.db;
  const slug = `m${++serial}`;
  const [org] = await db.insert(organisations).values({ slug, name: slug, isPublic }).returning();
  const orgId = org!.id;
  await db
    .insert(memberships)
    .values([
      ...ORG_ROLES.map((role: OrgRole) => ({ orgId, userId: users[role].userId, role })),
      { orgId, userId: victim.userId, role: "member" as const },
    ]);
  const [site] = await db
    .insert(observingSites)
    .values({ orgId, name: "S", longitude: 1, latitude: 2 })
    .returning();
  const [scope] = await db.insert(telescopes).values({ orgId, name: "T", siteId: site!.id }).returning();
  const [instrument] = await db
    .insert(instruments)
    .values({ orgId, name: "I", telescopeId: scope!.id })
    .returning();
  const [log] = await db
    .insert(nightLogs)
    .values({ orgId, telescopeId: scope!.id, night: "2026-11-24" })
    .returning();
  const [entry] = await db
    .insert(nightLogEntries)
    .values({ orgId, nightLogId: log!.id, at: new Date(), text: "dome open" })
    .returning();
  const [observation] = await db.insert(observations).values({ orgId, nightLogId: log!.id }).returning();
  const [calibration] = await db
    .insert(calibrations)
    .values({ orgId, nightLogId: log!.id, kind: "bias" })
    .returning();
  const [dataset] = await db.insert(datasets).values({ orgId, name: "D" }).returning();
  const [file] = await db
    .insert(dataFiles)
    .values({
      orgId,
      datasetId: dataset!.id,
      name: "a.fits",
      size: 2880,
      sha256: "0".repeat(64),
      storageKey: `matrix/${slug}`,
      format: "fits",
    })
    .returning();
  const [target] = await db.insert(targets).values({ orgId, name: "M31", ra: 10.68, dec: 41.27 }).returning();
  const [list] = await db.insert(targetLists).values({ orgId, name: "L" }).returning();
  const [pkg] = await db.insert(dataPackages).values({ orgId, title: "P" }).returning();
  return {
    org: slug,
    siteId: site!.id,
    telescopeId: scope!.id,
    instrumentId: instrument!.id,
    nightLogId: log!.id,
    entryId: entry!.id,
    observationId: observation!.id,
    calibrationId: calibration!.id,
    datasetId: dataset!.id,
    fileId: file!.id,
    targetId: target!.id,
    listId: list!.id,
    userId: victim.userId,
    packageId: pkg!.id,
  };
}

function concrete(url: string, params: Record<string, string>): string {
  return url
    .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => params[name] ?? randomUUID())
    .replace(/\*/g, "x");
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

async function probe(route: RegisteredRoute, caller: Caller, params: Record<string, string>) {
  const url = concrete(route.url, params);
  const method = route.method as "GET";
  return SAFE.has(route.method)
    ? call(h, caller, method, url)
    : call(h, caller, method, url, { matrixProbe: 1 });
}

function outcome(status: number): "allow" | "deny" | "error" {
  if (status >= 500) return "error";
  return status === 401 || status === 403 ? "deny" : "allow";
}

const dbTargets = await databaseTargets();

describe.each(dbTargets)("permission matrix on $name", (target) => {
  describe.skipIf(!target.available)("", () => {
    beforeAll(async () => {
      shared.clear();
      serial = 0;
      h = await buildHarnessOn(await target.open());
      for (const name of ["outsider", "observer", "member", "admin", "owner"] as const)
        users[name] = await fastUser(h, `mx-${name}`);
      victim = await fastUser(h, "mx-victim");
      // The outsider is an admin of another portal.
      const [other] = await h.database.db
        .insert(organisations)
        .values({ slug: "elsewhere", name: "Elsewhere" })
        .returning();
      await h.database.db
        .insert(memberships)
        .values({ orgId: other!.id, userId: users.outsider.userId, role: "admin" });
      portalRoutes = h.app.meridianRoutes.filter((r) => r.url.startsWith("/api/portals"));
    }, 60_000);
    afterAll(() => h?.close());

    test("every portal route declares an org policy (or a user policy for the portal list itself)", () => {
      expect(portalRoutes.length).toBeGreaterThan(60);
      const odd = portalRoutes.filter(
        (r) =>
          r.policy === undefined ||
          (r.policy.auth !== "org" && !(r.url === "/api/portals/" || r.url === "/api/portals")),
      );
      expect(odd).toEqual([]);
    });

    test("every route × every role gets what its policy promises (public and private portals)", async () => {
      const mismatches: string[] = [];
      let cells = 0;
      for (const route of portalRoutes) {
        const policy = route.policy!;
        const visibilities = policy.auth === "org" && policy.anonymous !== undefined ? [true, false] : [true];
        for (const isPublic of visibilities) {
          const params = await fixtureFor(route.method, isPublic);
          for (const who of CALLERS) {
            const caller = who === "anonymous" ? null : users[who];
            const res = await probe(route, caller, params);
            const got = outcome(res.statusCode);
            const want = expectedAccess(policy, who, isPublic);
            cells++;
            if (got !== want)
              mismatches.push(
                `${route.method} ${route.url} as ${who} (${isPublic ? "public" : "private"} portal): expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
              );
            // A write that accepted the probe's unknown field has a body schema that is not closed.
            if (
              got === "allow" &&
              !SAFE.has(route.method) &&
              route.method !== "DELETE" &&
              res.statusCode < 400
            )
              mismatches.push(
                `${route.method} ${route.url} accepted an unknown body field (${res.statusCode})`,
              );
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(cells).toBeGreaterThan(portalRoutes.length * CALLERS.length - 1);
    }, 300_000);

    test("API keys of the owner need the scope of the method", async () => {
      const mismatches: string[] = [];
      const keys = {} as Record<Scope, { apiKey: string }>;
      for (const scope of ["read", "write", "upload", "admin"] as const) {
        const { secret } = await createApiKey(h.database.db, users.owner.userId, {
          name: scope,
          scopes: [scope],
        });
        keys[scope] = { apiKey: secret };
      }
      for (const route of portalRoutes) {
        const params = await fixtureFor(route.method, false);
        const needed = requiredScope(route.policy!, route.method) ?? "read";
        const wanted = (held: Scope) => (held === needed || held === "admin" ? "allow" : "deny");
        // Denied keys first: an allowed DELETE may remove what the next request names.
        const order = (["read", "write", "upload", "admin"] as const)
          .slice()
          .sort((a, b) => (wanted(a) === wanted(b) ? 0 : wanted(a) === "deny" ? -1 : 1));
        for (const held of order) {
          const res = await probe(route, keys[held], params);
          const want = wanted(held);
          if (outcome(res.statusCode) !== want)
            mismatches.push(
              `${route.method} ${route.url} with a ${held} key: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`,
            );
        }
      }
      expect(mismatches).toEqual([]);
    }, 300_000);

    test("a server administrator counts as owner of every portal", async () => {
      const root = await fastUser(h, "mx-root", { isAdmin: true });
      const params = await fixture(false);
      const res = await call(h, root, "DELETE", `/api/portals/${params.org}/members/${params.userId}`);
      expect(res.statusCode).toBe(204);
    });

    test("a portal route without a policy, or an org policy without :org, stops the server from starting", async () => {
      const noPolicy = await buildApp({
        config: h.config,
        database: h.database,
        extend: (app) => {
          app.get("/api/portals/:org/forgotten", async () => ({ leaked: true }));
        },
      }).then(
        (app) => app.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(noPolicy).toBeInstanceOf(MissingPolicyError);
      const noOrg = await buildApp({
        config: h.config,
        database: h.database,
        extend: (app) => {
          app.get("/api/portals/everything", { config: { policy: orgPolicy("observer") } }, async () => ({}));
        },
      }).then(
        (app) => app.close().then(() => undefined),
        (e: unknown) => e,
      );
      expect(noOrg).toBeInstanceOf(InvalidPolicyError);
      expect((noOrg as Error).message).toBe(
        "route GET /api/portals/everything: an org policy needs an :org parameter",
      );
    });
  });
});

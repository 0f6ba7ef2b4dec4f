/**
 * The route-policy checker: given every registered route, report routes without a declared policy
 * and non-public routes that answer an anonymous request with anything but 401.
 */
import type { FastifyInstance } from "fastify";
import type { RegisteredRoute } from "../src/http/policy.js";

/** A route the checker objects to. */
export interface PolicyViolation {
  readonly method: string;
  readonly url: string;
  readonly problem: string;
}

/** A concrete URL for a route pattern: parameters and wildcards get harmless values. */
export function concreteUrl(pattern: string): string {
  return pattern
    .replace(/:[A-Za-z0-9_]+/g, "00000000-0000-4000-8000-000000000000")
    .replace(/\*/g, "anything");
}

/** Check every route; an empty list means every route declares a policy and keeps anonymous callers out. */
export async function checkRoutePolicies(
  app: FastifyInstance,
  routes: readonly RegisteredRoute[],
): Promise<PolicyViolation[]> {
  const violations: PolicyViolation[] = [];
  for (const route of routes) {
    const { method, url, policy } = route;
    if (policy === undefined) {
      violations.push({ method, url, problem: "declares no access policy" });
      continue;
    }
    // Public portal pages answer anonymous callers from the database: the permission matrix checks them.
    if (policy.auth === "org" && policy.anonymous !== undefined) continue;
    const res = await app.inject({
      method: method as "GET",
      url: concreteUrl(url),
      headers: method === "GET" || method === "HEAD" ? {} : { "content-type": "application/json" },
      ...(method === "GET" || method === "HEAD" ? {} : { payload: "{}" }),
    });
    if (res.statusCode >= 500) {
      violations.push({ method, url, problem: `anonymous request got ${res.statusCode}` });
    } else if (policy.auth !== "public" && res.statusCode !== 401) {
      violations.push({
        method,
        url,
        problem: `policy ${policy.auth} but an anonymous request got ${res.statusCode}`,
      });
    }
  }
  return violations;
}

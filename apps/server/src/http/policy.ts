/**
 * Route access policies: the one authorization mechanism of the server. Every route declares
 * `config: { policy }`; a route without one is refused when it is registered, and the single
 * onRequest hook installed here authenticates the caller and enforces the policy before anything
 * else runs (before the body is even read). Deny by default.
 *
 * Organisation (portal) routes use `{ auth: "org", role }`: the organisation comes from the `:org`
 * route parameter (its slug), the caller needs at least `role` in it (server administrators count
 * as owners), API keys also need the scope of the method, and `anonymous: "public-portal"` lets
 * anyone (logged in or not, member or not) read a portal whose public page is on. The resolved
 * organisation and role are on `request.portal`.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { type Scope, scopeAllows } from "../accounts/scopes.js";
import { csrfTokenMatches } from "../accounts/sessions.js";
import type { OrgRole } from "../db/portal-schema.js";
import { ServerError } from "../errors.js";
import { orgRoleAtLeast, type PortalAccess, resolvePortalAccess } from "../portal/org-access.js";
import { authenticate, type Principal } from "./authenticate.js";
import type { AppContext } from "./context.js";

/**
 * Who may call a route.
 * - `public`: anyone, no authentication.
 * - `user`: a logged-in user (session cookie) or an API key holding `scope` (or `admin`).
 * - `admin`: an admin user, by session or by an API key with the `admin` scope.
 */
export type RoutePolicy =
  | { readonly auth: "public" }
  | { readonly auth: "user"; readonly scope: Scope }
  | { readonly auth: "admin" }
  | OrgPolicy;

/**
 * An organisation route: the URL has an `:org` parameter (the portal's slug).
 * - `role`: the weakest role that may call it (observer < member < admin < owner); server
 *   administrators count as owners.
 * - `scope`: what an API key must hold; default `read` for GET/HEAD and `write` otherwise
 *   (uploads declare `upload`).
 * - `anonymous: "public-portal"`: when the portal's public page is on, callers without a role
 *   there (anonymous, or logged in but not a member) may call it too, with role `"public"`; the
 *   handler must then show public content only. Only for GET routes.
 */
export interface OrgPolicy {
  readonly auth: "org";
  readonly role: OrgRole;
  readonly scope?: Scope;
  readonly anonymous?: "public-portal";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Frequently used policies. */
export const PUBLIC: RoutePolicy = { auth: "public" };
export const USER_READ: RoutePolicy = { auth: "user", scope: "read" };
export const USER_WRITE: RoutePolicy = { auth: "user", scope: "write" };
export const ADMIN: RoutePolicy = { auth: "admin" };

/** An organisation policy (see {@link OrgPolicy}). */
export function orgPolicy(
  role: OrgRole,
  options: { scope?: Scope; anonymous?: "public-portal" } = {},
): OrgPolicy {
  return { auth: "org", role, ...options };
}

/** The scope an API key needs for `method` on a route with `policy` (null: none needed). */
export function requiredScope(policy: RoutePolicy, method: string): Scope | null {
  if (policy.auth === "public") return null;
  if (policy.auth === "admin") return "admin";
  if (policy.auth === "user") return policy.scope;
  return policy.scope ?? (SAFE_METHODS.has(method) ? "read" : "write");
}

/** One line saying who may call a route, for the API documentation. */
export function describePolicy(policy: RoutePolicy | undefined, method: string): string {
  if (policy === undefined || policy.auth === "public") return "public";
  if (policy.auth === "admin") return "administrators (API keys need the admin scope)";
  const scope = requiredScope(policy, method);
  if (policy.auth === "user") return `logged-in users (API keys need the ${scope} scope)`;
  const who = `members of the portal with role ${policy.role} or higher (server administrators count as owners; API keys need the ${scope} scope)`;
  return policy.anonymous === "public-portal"
    ? `${who}; anyone when the portal is public (public content only)`
    : who;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Access policy of the route; required (see http/policy.ts). */
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** The authenticated caller; null on public routes and before the policy hook ran. */
    principal: Principal | null;
    /** The organisation of an `org` route and the caller's role in it; null on other routes. */
    portal: PortalAccess | null;
  }
  interface FastifyInstance {
    /** Policy given to routes registered by third-party plugins inside this scope (e.g. docs pages). */
    meridianScopePolicy?: RoutePolicy;
    /** Every route registered on this app, with its policy, in registration order. */
    meridianRoutes: RegisteredRoute[];
  }
}

/** A route as seen by the onRoute hook. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly policy: RoutePolicy | undefined;
}

/** A route was registered without a declared access policy. */
export class MissingPolicyError extends Error {
  override readonly name = "MissingPolicyError";
  readonly code = "MISSING_ROUTE_POLICY" as const;
  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super(`route ${method} ${url} declares no access policy (config.policy); every route must declare one`);
  }
}

const ORG_ROLE_NAMES: readonly string[] = ["observer", "member", "admin", "owner"];

function isPolicy(value: unknown): value is RoutePolicy {
  if (value === null || typeof value !== "object") return false;
  const v = value as { auth?: unknown; scope?: unknown; role?: unknown; anonymous?: unknown };
  if (v.auth === "public" || v.auth === "admin") return true;
  if (v.auth === "user") return typeof v.scope === "string";
  if (v.auth === "org") {
    return (
      typeof v.role === "string" &&
      ORG_ROLE_NAMES.includes(v.role) &&
      (v.scope === undefined || typeof v.scope === "string") &&
      (v.anonymous === undefined || v.anonymous === "public-portal")
    );
  }
  return false;
}

/** A route whose policy cannot work as declared (e.g. an org policy without `:org` in the URL). */
export class InvalidPolicyError extends Error {
  override readonly name = "InvalidPolicyError";
  readonly code = "INVALID_ROUTE_POLICY" as const;
  constructor(
    readonly method: string,
    readonly url: string,
    reason: string,
  ) {
    super(`route ${method} ${url}: ${reason}`);
  }
}

/** Install the registration check and the enforcement hook on the root instance. */
export function installPolicies(app: FastifyInstance, context: AppContext): void {
  app.decorate("meridianRoutes", []);
  app.decorateRequest("principal", null);
  app.decorateRequest("portal", null);

  app.addHook("onRoute", function checkPolicy(this: FastifyInstance, route: RouteOptions) {
    const config = (route.config ?? {}) as { policy?: unknown };
    const policy = config.policy ?? this.meridianScopePolicy;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.meridianRoutes.push({ method, url: route.url, policy: isPolicy(policy) ? policy : undefined });
    }
    if (!isPolicy(policy)) throw new MissingPolicyError(methods.join(","), route.url);
    if (policy.auth === "org") {
      if (!/(^|\/):org(\/|$)/.test(route.url))
        throw new InvalidPolicyError(methods.join(","), route.url, "an org policy needs an :org parameter");
      if (policy.anonymous !== undefined && methods.some((m) => !SAFE_METHODS.has(m)))
        throw new InvalidPolicyError(
          methods.join(","),
          route.url,
          "only GET routes may let anonymous callers in",
        );
    }
    route.config = { ...route.config, policy };
  });

  app.addHook("onRequest", async (request) => {
    if (request.is404) return;
    await enforce(request, context);
  });
}

async function enforce(request: FastifyRequest, context: AppContext): Promise<void> {
  const policy = request.routeOptions.config.policy;
  // Unreachable while registration checks hold; kept so that a gap denies instead of allowing.
  if (!isPolicy(policy)) throw new ServerError("FORBIDDEN", "this route declares no access policy");
  if (policy.auth === "public") return;

  const principal = await authenticate(request, context);
  if (policy.auth === "org") {
    await enforceOrg(request, context, policy, principal);
    return;
  }
  if (principal === null) throw new ServerError("UNAUTHENTICATED", "log in or send an API key");
  request.principal = principal;

  if (principal.via === "session") {
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers["x-csrf-token"];
      if (typeof header !== "string" || !csrfTokenMatches(principal.sessionToken, header)) {
        throw new ServerError("CSRF_TOKEN_INVALID", "missing or wrong x-csrf-token header");
      }
    }
    if (policy.auth === "admin" && !principal.user.isAdmin) {
      throw new ServerError("FORBIDDEN", "this needs an administrator");
    }
    return;
  }

  const scopes = principal.apiKey.scopes;
  if (policy.auth === "admin") {
    if (!principal.user.isAdmin) throw new ServerError("FORBIDDEN", "this needs an administrator");
    if (!scopeAllows(scopes, "admin"))
      throw new ServerError("FORBIDDEN", 'this API key lacks the "admin" scope');
    return;
  }
  if (!scopeAllows(scopes, policy.scope)) {
    throw new ServerError("FORBIDDEN", `this API key lacks the "${policy.scope}" scope`);
  }
}

function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.via !== "session" || SAFE_METHODS.has(request.method)) return;
  const header = request.headers["x-csrf-token"];
  if (typeof header !== "string" || !csrfTokenMatches(principal.sessionToken, header)) {
    throw new ServerError("CSRF_TOKEN_INVALID", "missing or wrong x-csrf-token header");
  }
}

async function enforceOrg(
  request: FastifyRequest,
  context: AppContext,
  policy: OrgPolicy,
  principal: Principal | null,
): Promise<void> {
  // Without credentials and without a public way in, refuse before touching the database.
  if (principal === null && policy.anonymous === undefined)
    throw new ServerError("UNAUTHENTICATED", "log in or send an API key");
  const slug = (request.params as { org?: unknown }).org;
  if (typeof slug !== "string") throw new ServerError("FORBIDDEN", "this route names no portal");
  const access = await resolvePortalAccess(context.db, slug, principal?.user ?? null);
  request.principal = principal;
  if (access.role === null) {
    if (policy.anonymous === "public-portal" && access.org.isPublic) {
      request.portal = { org: access.org, role: "public", user: principal?.user ?? null };
    } else if (principal === null) {
      throw new ServerError("UNAUTHENTICATED", `log in to see portal "${access.org.slug}"`);
    } else {
      throw new ServerError("FORBIDDEN", `you are not a member of portal "${access.org.slug}"`);
    }
  } else if (orgRoleAtLeast(access.role, policy.role)) {
    request.portal = { org: access.org, role: access.role, user: principal?.user ?? null };
  } else if (policy.anonymous === "public-portal" && access.org.isPublic) {
    request.portal = { org: access.org, role: "public", user: principal?.user ?? null };
  } else {
    throw new ServerError(
      "FORBIDDEN",
      `this needs the ${policy.role} role in portal "${access.org.slug}"; you are ${access.role}`,
    );
  }
  if (principal === null) return;
  checkCsrf(request, principal);
  if (principal.via === "apiKey") {
    const scope = requiredScope(policy, request.method) ?? "read";
    if (!scopeAllows(principal.apiKey.scopes, scope))
      throw new ServerError("FORBIDDEN", `this API key lacks the "${scope}" scope`);
  }
}

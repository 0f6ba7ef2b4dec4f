/**
 * Route access policies: the one authorization mechanism of the server. Every route declares
 * `config: { policy }`; a route without one is refused when it is registered, and the single
 * onRequest hook installed here authenticates the caller and enforces the policy before anything
 * else runs (before the body is even read). Deny by default.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { type Scope, scopeAllows } from "../accounts/scopes.js";
import { csrfTokenMatches } from "../accounts/sessions.js";
import { ServerError } from "../errors.js";
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
  | { readonly auth: "admin" };

/** Frequently used policies. */
export const PUBLIC: RoutePolicy = { auth: "public" };
export const USER_READ: RoutePolicy = { auth: "user", scope: "read" };
export const USER_WRITE: RoutePolicy = { auth: "user", scope: "write" };
export const ADMIN: RoutePolicy = { auth: "admin" };

declare module "fastify" {
  interface FastifyContextConfig {
    /** Access policy of the route; required (see http/policy.ts). */
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** The authenticated caller; null on public routes and before the policy hook ran. */
    principal: Principal | null;
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

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isPolicy(value: unknown): value is RoutePolicy {
  if (value === null || typeof value !== "object") return false;
  const auth = (value as { auth?: unknown }).auth;
  if (auth === "public" || auth === "admin") return true;
  return auth === "user" && typeof (value as { scope?: unknown }).scope === "string";
}

/** Install the registration check and the enforcement hook on the root instance. */
export function installPolicies(app: FastifyInstance, context: AppContext): void {
  app.decorate("meridianRoutes", []);
  app.decorateRequest("principal", null);

  app.addHook("onRoute", function checkPolicy(this: FastifyInstance, route: RouteOptions) {
    const config = (route.config ?? {}) as { policy?: unknown };
    const policy = config.policy ?? this.meridianScopePolicy;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.meridianRoutes.push({ method, url: route.url, policy: isPolicy(policy) ? policy : undefined });
    }
    if (!isPolicy(policy)) throw new MissingPolicyError(methods.join(","), route.url);
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

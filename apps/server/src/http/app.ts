/**
 * The Fastify application factory. `buildApp` wires configuration, database, the one
 * authorization mechanism, the one error handler, the routes and the docs; it does not listen.
 */
import cookie from "@fastify/cookie";
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger } from "fastify";
import type { Config } from "../config.js";
import type { Database, DatabaseKind } from "../db/database.js";
import { ServerError } from "../errors.js";
import { portalRoutes } from "../portal/routes.js";
import type { Storage } from "../storage/storage.js";
import { toolsRoutes } from "../tools/tools-routes.js";
import type { App } from "./app-type.js";
import type { AppContext } from "./context.js";
import { frameworkErrorHandler, installErrorHandler } from "./error-handler.js";
import { installPolicies } from "./policy.js";
import { apiDocsRoutes, registerOpenApi } from "./routes/api-docs.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { authRoutes } from "./routes/auth.js";
import { healthRoutes } from "./routes/health.js";
import { userRoutes } from "./routes/users.js";
import { webAppRoutes } from "./routes/web-app.js";

/** What {@link buildApp} needs. */
export interface AppDeps {
  readonly config: Config;
  readonly database: { readonly db: Database; readonly kind: DatabaseKind };
  /** File storage (uploads); null or absent when the app serves none. */
  readonly storage?: Storage | null;
  /** A pino logger to use; default: a new one at `config.logLevel`. */
  readonly logger?: FastifyBaseLogger;
  /** Register more routes (each with a policy) before the web app's catch-all route. */
  readonly extend?: (app: App) => void | Promise<void>;
}

/** Build the app (routes registered, not yet listening). Add routes before `ready()` if needed. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    ...(deps.logger === undefined ? { logger: { level: config.logLevel } } : { loggerInstance: deps.logger }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Answer new requests with 503 while in-flight ones finish during shutdown.
    return503OnClosing: true,
    forceCloseConnections: "idle",
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<import("@fastify/type-provider-typebox").TypeBoxTypeProvider>();
  // An empty body labelled JSON (common from HTTP clients on DELETE) means "no body"; the rest is
  // Fastify's parser, which refuses __proto__ and constructor.prototype keys.
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") {
      done(null, undefined);
      return;
    }
    json(request, typeof body === "string" ? body : body.toString("utf8"), done);
  });
  // TypeBox validates: no coercion of bodies, unknown fields rejected (additionalProperties: false).
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const context: AppContext = {
    config,
    db: deps.database.db,
    dbKind: deps.database.kind,
    storage: deps.storage ?? null,
    startedAt: Date.now(),
  };

  installErrorHandler(app);
  app.addHook("onSend", async (_request, reply) => {
    // Cheap hardening for every response; the web app sets its own content security policy.
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    reply.header("x-frame-options", "DENY");
  });
  // The cookie parser's onRequest hook must run before the policy hook reads the session cookie.
  await app.register(cookie);
  installPolicies(app, context);
  app.setNotFoundHandler({}, (request) => {
    throw new ServerError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
  });

  await registerOpenApi(app);
  healthRoutes(app, context);
  authRoutes(app, context);
  apiKeyRoutes(app, context);
  userRoutes(app, context);
  toolsRoutes(app, context);
  await portalRoutes(app, context);
  await apiDocsRoutes(app);
  await deps.extend?.(app);
  await webAppRoutes(app, config.webDir);
  return app;
}

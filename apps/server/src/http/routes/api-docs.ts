/** The OpenAPI document at `/api/openapi.json` and the interactive docs page at `/api/docs`. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { SERVER_VERSION } from "../../version.js";
import type { App } from "../app-type.js";
import { describePolicy, PUBLIC, type RoutePolicy } from "../policy.js";

/** Register @fastify/swagger; must come before any documented route. */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Meridian API",
        version: SERVER_VERSION,
        description:
          "REST API of the Meridian platform. Authenticate with the session cookie from POST /api/auth/login " +
          "(writes then need the x-csrf-token header) or with an API key: `Authorization: Bearer mk_…`.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key, `mk_…`" },
          session: { type: "apiKey", in: "cookie", name: "meridian_session" },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const method = [route.method].flat()[0] ?? "GET";
      const policy = (route.config as { policy?: RoutePolicy } | undefined)?.policy;
      const security: Record<string, string[]>[] =
        policy === undefined || policy.auth === "public" ? [] : [{ apiKey: [] }, { session: [] }];
      const access = describePolicy(policy, method);
      const description = [schema?.description, `Access: ${access}.`].filter(Boolean).join("\n\n");
      return { schema: { ...schema, security, description }, url };
    },
  });
}

/** Register the document and docs routes (all public). */
export async function apiDocsRoutes(app: App): Promise<void> {
  app.get("/api/openapi.json", { config: { policy: PUBLIC }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(async (scope) => {
    // The docs plugin registers its own routes; they are public, declared here for all of them.
    scope.decorate("meridianScopePolicy", { getter: (): RoutePolicy => PUBLIC });
    await scope.register(swaggerUi, { routePrefix: "/api/docs" });
  });
}

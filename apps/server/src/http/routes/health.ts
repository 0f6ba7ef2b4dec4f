/** `GET /api/health`: liveness, version and database kind. */
import { Type } from "typebox";
import { SERVER_VERSION } from "../../version.js";
import type { App } from "../app-type.js";
import type { AppContext } from "../context.js";
import { PUBLIC } from "../policy.js";
import { closed } from "../schemas.js";

export function healthRoutes(app: App, context: AppContext): void {
  app.get(
    "/api/health",
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ["system"],
        summary: "Server health",
        response: {
          200: Type.Object(
            {
              status: Type.Literal("ok"),
              version: Type.String(),
              database: Type.Union([Type.Literal("pglite"), Type.Literal("postgres")]),
              uptimeSeconds: Type.Number(),
            },
            closed,
          ),
        },
      },
    },
    async () => ({
      status: "ok" as const,
      version: SERVER_VERSION,
      database: context.dbKind,
      uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
    }),
  );
}

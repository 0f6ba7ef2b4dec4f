/** The caller's API keys: list, create (secret shown once), revoke. */
import { Type } from "typebox";
import { createApiKey, listApiKeys, revokeApiKey } from "../../accounts/api-keys.js";
import { recordAudit } from "../../accounts/audit.js";
import { scopeAllows } from "../../accounts/scopes.js";
import { ServerError } from "../../errors.js";
import type { App } from "../app-type.js";
import { requirePrincipal } from "../authenticate.js";
import type { AppContext } from "../context.js";
import { USER_READ, USER_WRITE } from "../policy.js";
import { ApiKeySchema, closed, ErrorSchema, errorResponses, ScopeSchema } from "../schemas.js";

export function apiKeyRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.get(
    "/api/apikeys",
    {
      config: { policy: USER_READ },
      schema: {
        tags: ["apikeys"],
        summary: "Your API keys, newest first (revoked ones included)",
        response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }, closed), ...errorResponses },
      },
    },
    async (request) => ({ items: await listApiKeys(db, requirePrincipal(request).user.id) }),
  );

  app.post(
    "/api/apikeys",
    {
      config: { policy: USER_WRITE },
      schema: {
        tags: ["apikeys"],
        summary: "Create an API key; the secret is in this response only",
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
            expiresAt: Type.Optional(Type.String({ format: "date-time" })),
          },
          closed,
        ),
        response: {
          201: Type.Object({ apiKey: ApiKeySchema, secret: Type.String({ pattern: "^mk_" }) }, closed),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      // A key cannot mint a key stronger than itself.
      if (principal.via === "apiKey") {
        const stronger = request.body.scopes.find((s) => !scopeAllows(principal.apiKey.scopes, s));
        if (stronger !== undefined) {
          throw new ServerError("FORBIDDEN", `this API key cannot create a key with the "${stronger}" scope`);
        }
      }
      const created = await createApiKey(db, principal.user.id, request.body);
      await recordAudit(db, {
        action: "apikey.created",
        actorUserId: principal.user.id,
        target: created.apiKey.id,
        ip: request.ip,
        details: { scopes: created.apiKey.scopes },
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    "/api/apikeys/:id",
    {
      config: { policy: USER_WRITE },
      schema: {
        tags: ["apikeys"],
        summary: "Revoke one of your API keys; it stops working at once",
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }, closed),
        response: { 204: Type.Null(), ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const key = await revokeApiKey(db, principal.user.id, request.params.id);
      await recordAudit(db, {
        action: "apikey.revoked",
        actorUserId: principal.user.id,
        target: key.id,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}

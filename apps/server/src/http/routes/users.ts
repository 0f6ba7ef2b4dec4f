/** User administration (admins only): list and create users. */
import { Type } from "typebox";
import { recordAudit } from "../../accounts/audit.js";
import { createUser, listUsers } from "../../accounts/users.js";
import type { App } from "../app-type.js";
import { requirePrincipal } from "../authenticate.js";
import type { AppContext } from "../context.js";
import { ADMIN } from "../policy.js";
import { closed, ErrorSchema, errorResponses, UsernameSchema, UserSchema } from "../schemas.js";

export function userRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.get(
    "/api/users",
    {
      config: { policy: ADMIN },
      schema: {
        tags: ["users"],
        summary: "All users, oldest first, one page at a time",
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          closed,
        ),
        response: {
          200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() }, closed),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      listUsers(db, { limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 }),
  );

  app.post(
    "/api/users",
    {
      config: { policy: ADMIN },
      schema: {
        tags: ["users"],
        summary: "Create a user",
        body: Type.Object(
          {
            username: UsernameSchema,
            password: Type.String({ minLength: 8, maxLength: 1024 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
            isAdmin: Type.Optional(Type.Boolean()),
          },
          closed,
        ),
        response: { 201: Type.Object({ user: UserSchema }, closed), ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const user = await createUser(db, request.body);
      await recordAudit(db, {
        action: "user.created",
        actorUserId: principal.user.id,
        target: user.id,
        ip: request.ip,
      });
      return reply.status(201).send({ user });
    },
  );
}

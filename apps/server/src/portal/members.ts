/**
 * Members and roles. Admins add, change and remove members; only owners grant or take away the
 * owner role; the last owner can be neither demoted nor removed (checked under a row lock, so two
 * owners removing each other at once cannot leave a portal without one).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { Type } from "typebox";
import { findUserByUsername } from "../accounts/users.js";
import type { Database } from "../db/database.js";
import { memberships, type OrgRole } from "../db/portal-schema.js";
import { users } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import { orgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses, UsernameSchema } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { type PortalAccess, requirePortal } from "./org-access.js";
import { closed, DateTime, OrgParams, OrgRoleSchema, orgParamsWith, Uuid } from "./schemas.js";

const MemberSchema = Type.Object(
  { userId: Uuid, username: Type.String(), displayName: Type.String(), role: OrgRoleSchema, since: DateTime },
  closed,
);

async function listMembers(db: Database, orgId: string) {
  const rows = await db
    .select({ m: memberships, u: users })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(sql`lower(${users.username})`));
  return rows.map((r) => ({
    userId: r.u.id,
    username: r.u.username,
    displayName: r.u.displayName,
    role: r.m.role,
    since: r.m.createdAt.toISOString(),
  }));
}

function checkOwnerPower(access: PortalAccess, currentRole: OrgRole | null, newRole: OrgRole | null): void {
  if (access.role === "owner") return;
  if (currentRole === "owner")
    throw new ServerError("FORBIDDEN", "only an owner may change or remove an owner");
  if (newRole === "owner") throw new ServerError("FORBIDDEN", "only an owner may make someone an owner");
}

/** Change (or, with null, remove) `userId`'s membership, refusing to leave the portal without an owner. */
async function changeMembership(
  db: Database,
  access: PortalAccess,
  userId: string,
  newRole: OrgRole | null,
): Promise<{ before: OrgRole; after: OrgRole | null }> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) throw new ServerError("NOT_FOUND", `no member with id "${userId}"`);
  const orgId = access.org.id;
  return db.transaction(async (tx) => {
    // Lock the owners' rows: concurrent demotions queue here.
    const owners = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")))
      .for("update");
    const [current] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    if (current === undefined) throw new ServerError("NOT_FOUND", `no member with id "${userId}"`);
    checkOwnerPower(access, current.role, newRole);
    if (current.role === "owner" && newRole !== "owner" && owners.length <= 1)
      throw new ServerError(
        "CONFLICT",
        "the last owner cannot be removed or demoted; make someone else owner first",
      );
    if (newRole === null) {
      await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    } else {
      await tx
        .update(memberships)
        .set({ role: newRole })
        .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
    }
    return { before: current.role, after: newRole };
  });
}

export function memberRoutes(app: App, context: AppContext): void {
  const { db } = context;

  app.get(
    "/:org/members",
    {
      config: { policy: orgPolicy("observer") },
      schema: {
        tags: ["members"],
        summary: "Members of the portal and their roles",
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(MemberSchema) }, closed), ...errorResponses },
      },
    },
    async (request) => ({ items: await listMembers(db, requirePortal(request).org.id) }),
  );

  app.post(
    "/:org/members",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["members"],
        summary: "Add an existing user as a member (admins; only owners add owners)",
        params: OrgParams,
        body: Type.Object({ username: UsernameSchema, role: OrgRoleSchema }, closed),
        response: {
          201: Type.Object({ member: MemberSchema }, closed),
          ...errorResponses,
          404: ErrorSchema,
          409: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      checkOwnerPower(access, null, request.body.role);
      const user = await findUserByUsername(db, request.body.username);
      if (user === null) throw new ServerError("NOT_FOUND", `no user named "${request.body.username}"`);
      try {
        await db
          .insert(memberships)
          .values({ orgId: access.org.id, userId: user.id, role: request.body.role });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ServerError(
            "CONFLICT",
            `${user.username} is already a member; change their role instead`,
          );
        throw err;
      }
      await recordPortalAudit(db, request, {
        action: "member.added",
        target: user.id,
        details: { username: user.username, role: request.body.role },
      });
      const member = (await listMembers(db, access.org.id)).find((m) => m.userId === user.id)!;
      return reply.status(201).send({ member });
    },
  );

  app.patch(
    "/:org/members/:userId",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["members"],
        summary: "Change a member's role (admins; only owners touch owners; never the last owner)",
        params: orgParamsWith("userId"),
        body: Type.Object({ role: OrgRoleSchema }, closed),
        response: {
          200: Type.Object({ member: MemberSchema }, closed),
          ...errorResponses,
          404: ErrorSchema,
          409: ErrorSchema,
        },
      },
    },
    async (request) => {
      const access = requirePortal(request);
      const change = await changeMembership(db, access, request.params.userId, request.body.role);
      await recordPortalAudit(db, request, {
        action: "member.role_changed",
        target: request.params.userId,
        details: change,
      });
      const member = (await listMembers(db, access.org.id)).find((m) => m.userId === request.params.userId)!;
      return { member };
    },
  );

  app.delete(
    "/:org/members/:userId",
    {
      config: { policy: orgPolicy("admin") },
      schema: {
        tags: ["members"],
        summary: "Remove a member (admins; only owners remove owners; never the last owner)",
        params: orgParamsWith("userId"),
        response: { 204: Type.Null(), ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      const change = await changeMembership(db, access, request.params.userId, null);
      await recordPortalAudit(db, request, {
        action: "member.removed",
        target: request.params.userId,
        details: change,
      });
      return reply.status(204).send(null);
    },
  );
}

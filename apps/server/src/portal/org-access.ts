/** Who the caller is in an organisation: the portal behind a slug and the caller's role there. */
import { and, eq, sql } from "drizzle-orm";
import type { User } from "../accounts/users.js";
import type { Database } from "../db/database.js";
import { memberships, ORG_ROLES, type OrgRole, organisations } from "../db/portal-schema.js";
import { prepared } from "../db/prepared.js";
import { ServerError } from "../errors.js";

/** An organisation row. */
export type Organisation = typeof organisations.$inferSelect;

/** The caller's role in a portal; `"public"` when a public page let a non-member in. */
export type PortalRole = OrgRole | "public";

/** What the policy hook puts on `request.portal` for an `org` route. */
export interface PortalAccess {
  readonly org: Organisation;
  readonly role: PortalRole;
  /** The logged-in caller, or null when anonymous. */
  readonly user: User | null;
}

/** True when `role` is `needed` or stronger (observer < member < admin < owner; public below all). */
export function orgRoleAtLeast(role: PortalRole, needed: OrgRole): boolean {
  if (role === "public") return false;
  return ORG_ROLES.indexOf(role) >= ORG_ROLES.indexOf(needed);
}

/**
 * The organisation with `slug` (any case) and `user`'s role in it: their membership role, `owner`
 * for server administrators, null for anyone else.
 *
 * @throws ServerError NOT_FOUND when no organisation has that slug.
 */
export async function resolvePortalAccess(
  db: Database,
  slug: string,
  user: User | null,
): Promise<{ org: Organisation; role: OrgRole | null }> {
  const query = prepared(db, "portal.access", () =>
    db
      .select({ org: organisations, role: memberships.role })
      .from(organisations)
      .leftJoin(
        memberships,
        and(eq(memberships.orgId, organisations.id), eq(memberships.userId, sql.placeholder("userId"))),
      )
      .where(eq(sql`lower(${organisations.slug})`, sql`lower(${sql.placeholder("slug")})`))
      .limit(1)
      .prepare("portal_access"),
  );
  // A uuid that matches no one stands in for anonymous callers (the statement is prepared once).
  const rows = await query.execute({ slug, userId: user?.id ?? "00000000-0000-0000-0000-000000000000" });
  const row = rows[0];
  if (row === undefined) throw new ServerError("NOT_FOUND", `no portal "${slug}"`);
  const role = user?.isAdmin ? "owner" : (row.role ?? null);
  return { org: row.org, role };
}

/** The portal of an `org` route (set by the policy hook). */
export function requirePortal(request: { portal: PortalAccess | null }): PortalAccess {
  if (request.portal === null) throw new ServerError("FORBIDDEN", "this route has no portal policy");
  return request.portal;
}

/** The portal of an `org` route whose policy needs a logged-in caller, with that caller. */
export function requirePortalUser(request: { portal: PortalAccess | null }): PortalAccess & { user: User } {
  const access = requirePortal(request);
  if (access.user === null) throw new ServerError("UNAUTHENTICATED", "log in or send an API key");
  return access as PortalAccess & { user: User };
}

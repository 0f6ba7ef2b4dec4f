/**
 * Routes for a simple organisation-owned resource: list, get, create, change, delete, each with
 * its policy, TypeBox schemas, audit entries and the organisation check (a row of another
 * organisation is "not found"). Resources with more behaviour add their own routes beside these.
 */
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { type TObject, type TSchema, Type } from "typebox";
import type { Database } from "../db/database.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { ServerError } from "../errors.js";
import type { App } from "../http/app-type.js";
import type { AppContext } from "../http/context.js";
import type { OrgPolicy } from "../http/policy.js";
import { ErrorSchema, errorResponses } from "../http/schemas.js";
import { recordPortalAudit } from "./audit.js";
import { type PortalAccess, requirePortal } from "./org-access.js";
import { closed, orgParamsWith } from "./schemas.js";

/** A table with `id` and `org_id`. */
export type OrgTable = PgTable & { id: AnyPgColumn; orgId: AnyPgColumn };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row `id` of `table` in organisation `orgId`, or NOT_FOUND naming `what`. */
export async function findOrgRow<T extends OrgTable>(
  db: Database,
  table: T,
  orgId: string,
  id: string,
  what: string,
): Promise<T["$inferSelect"]> {
  if (!UUID_RE.test(id)) throw new ServerError("NOT_FOUND", `no ${what} with id "${id}"`);
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.orgId, orgId), eq(table.id, id)))
    .limit(1);
  const row = rows[0];
  if (row === undefined) throw new ServerError("NOT_FOUND", `no ${what} with id "${id}"`);
  return row as T["$inferSelect"];
}

/** Check that an optional reference (`telescopeId`, ...) names a row of the same organisation. */
export async function checkReference(
  db: Database,
  table: OrgTable,
  orgId: string,
  id: string | null | undefined,
  what: string,
): Promise<void> {
  if (id === undefined || id === null) return;
  try {
    await findOrgRow(db, table, orgId, id, what);
  } catch (err) {
    throw new ServerError("BAD_REQUEST", `no ${what} with id "${id}" in this portal`, { cause: err });
  }
}

/** The parent of a nested resource (e.g. the night log of its entries). */
export interface CrudParent {
  readonly table: OrgTable;
  /** URL segment of the parent collection, e.g. "night-logs". */
  readonly path: string;
  /** Name of the parent's id parameter, e.g. "nightLogId". */
  readonly idParam: string;
  readonly noun: string;
  /** Column of the child that holds the parent's id. */
  readonly column: AnyPgColumn;
  /** Property of that column in insert values, e.g. "nightLogId". */
  readonly property: string;
}

/** How to serve one resource. */
export interface CrudSpec<T extends OrgTable, Row, CreateBody, PatchBody> {
  readonly table: T;
  /** For nested resources: `/:org/<parent.path>/:<parent.idParam>/<path>`. */
  readonly parent?: CrudParent;
  /** URL segment under `/:org/` (plural), e.g. "sites". */
  readonly path: string;
  /** Name of the id parameter, e.g. "siteId". */
  readonly idParam: string;
  /** Singular noun for messages and audit actions, e.g. "site". */
  readonly noun: string;
  readonly tag: string;
  readonly schema: TSchema;
  readonly create: TObject;
  readonly patch: TObject;
  readonly view: (row: T["$inferSelect"]) => Row;
  /** Column values of a new row (org_id is added). May check references. */
  readonly toInsert: (
    body: CreateBody,
    access: PortalAccess,
    db: Database,
  ) => Promise<Record<string, unknown>>;
  /** Column values of a change. May check references. */
  readonly toUpdate: (
    body: PatchBody,
    access: PortalAccess,
    db: Database,
  ) => Promise<Record<string, unknown>>;
  /** Sort order of the list (default: lower(name), id). */
  readonly orderBy?: SQL[];
  /** Query parameters of the list (a closed object) and the conditions they add. */
  readonly listQuery?: {
    readonly schema: TObject;
    readonly where: (query: Record<string, unknown>) => SQL[];
  };
  readonly read: OrgPolicy;
  readonly write: OrgPolicy;
  /** Policy of DELETE; default `write`. */
  readonly remove?: OrgPolicy;
  /** Refuse a deletion (throw) when something still depends on the row. */
  readonly beforeDelete?: (row: T["$inferSelect"], access: PortalAccess, db: Database) => Promise<void>;
  /** Human description of a name clash, for 409. */
  readonly conflict: (body: CreateBody | PatchBody) => string;
}

/** Register list/get/create/patch/delete routes for `spec`. */
export function crudRoutes<T extends OrgTable, Row, CreateBody, PatchBody>(
  app: App,
  context: AppContext,
  spec: CrudSpec<T, Row, CreateBody, PatchBody>,
): void {
  const { db } = context;
  const { table, noun, tag } = spec;
  const { parent } = spec;
  const base =
    parent === undefined ? `/:org/${spec.path}` : `/:org/${parent.path}/:${parent.idParam}/${spec.path}`;
  const itemUrl = `${base}/:${spec.idParam}`;
  const ItemParams =
    parent === undefined ? orgParamsWith(spec.idParam) : orgParamsWith(parent.idParam, spec.idParam);
  const ListParams = parent === undefined ? orgParamsWith() : orgParamsWith(parent.idParam);
  const one = Type.Object({ [noun]: spec.schema }, closed);
  const idOf = (params: unknown) => (params as Record<string, string>)[spec.idParam]!;
  /** Check the parent exists in the organisation; the condition that keeps rows under it. */
  const scope = async (
    orgId: string,
    params: unknown,
  ): Promise<{ where: SQL[]; values: Record<string, string> }> => {
    if (parent === undefined) return { where: [eq(table.orgId, orgId)], values: {} };
    const parentId = (params as Record<string, string>)[parent.idParam]!;
    await findOrgRow(db, parent.table, orgId, parentId, parent.noun);
    return {
      where: [eq(table.orgId, orgId), eq(parent.column, parentId)],
      values: { [parent.property]: parentId },
    };
  };
  const findOne = async (orgId: string, params: unknown): Promise<T["$inferSelect"]> => {
    const { where } = await scope(orgId, params);
    const id = idOf(params);
    if (!UUID_RE.test(id)) throw new ServerError("NOT_FOUND", `no ${noun} with id "${id}"`);
    const rows = await db
      .select()
      .from(table as PgTable)
      .where(and(...where, eq(table.id, id)))
      .limit(1);
    if (rows[0] === undefined) throw new ServerError("NOT_FOUND", `no ${noun} with id "${id}"`);
    return rows[0] as T["$inferSelect"];
  };
  const nameCol = (table as unknown as { name?: AnyPgColumn }).name;

  app.get(
    base,
    {
      config: { policy: spec.read },
      schema: {
        tags: [tag],
        summary: parent === undefined ? `The portal's ${spec.path}` : `The ${spec.path} of a ${parent.noun}`,
        params: ListParams,
        ...(spec.listQuery === undefined ? {} : { querystring: spec.listQuery.schema }),
        response: { 200: Type.Object({ items: Type.Array(spec.schema) }, closed), ...errorResponses },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      const order =
        spec.orderBy ?? (nameCol ? [asc(sql`lower(${nameCol})`), asc(table.id)] : [asc(table.id)]);
      // Nested lists keep to their parent (and 404 when it is not in this portal).
      const { where } = await scope(org.id, request.params);
      const extra = spec.listQuery?.where((request.query ?? {}) as Record<string, unknown>) ?? [];
      const rows = await db
        .select()
        .from(table as PgTable)
        .where(and(...where, ...extra))
        .orderBy(...order);
      return { items: rows.map((r) => spec.view(r as T["$inferSelect"])) };
    },
  );

  app.get(
    itemUrl,
    {
      config: { policy: spec.read },
      schema: {
        tags: [tag],
        summary: `One ${noun}`,
        params: ItemParams,
        response: { 200: one, ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request) => {
      const { org } = requirePortal(request);
      return { [noun]: spec.view(await findOne(org.id, request.params)) };
    },
  );

  app.post(
    base,
    {
      config: { policy: spec.write },
      schema: {
        tags: [tag],
        summary: `Create a ${noun}`,
        params: ListParams,
        body: spec.create,
        response: { 201: one, ...errorResponses, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      const body = request.body as CreateBody;
      const { values: parentValues } = await scope(access.org.id, request.params);
      const values = { ...(await spec.toInsert(body, access, db)), ...parentValues, orgId: access.org.id };
      let row: T["$inferSelect"];
      try {
        const rows = (await db
          .insert(table)
          .values(values as T["$inferInsert"])
          .returning()) as T["$inferSelect"][];
        row = rows[0]!;
      } catch (err) {
        if (isUniqueViolation(err)) throw new ServerError("CONFLICT", spec.conflict(body));
        throw err;
      }
      const id = (row as { id: string }).id;
      await recordPortalAudit(db, request, {
        action: `${noun}.created`,
        target: id,
        details: body as Record<string, unknown>,
      });
      return reply.status(201).send({ [noun]: spec.view(row) });
    },
  );

  app.patch(
    itemUrl,
    {
      config: { policy: spec.write },
      schema: {
        tags: [tag],
        summary: `Change a ${noun}`,
        params: ItemParams,
        body: spec.patch,
        response: { 200: one, ...errorResponses, 404: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request) => {
      const access = requirePortal(request);
      const id = idOf(request.params);
      let row = await findOne(access.org.id, request.params);
      const body = request.body as PatchBody;
      const values = await spec.toUpdate(body, access, db);
      if (Object.keys(values).length > 0) {
        try {
          const rows = (await db
            .update(table)
            .set(values as never)
            .where(and(eq(table.orgId, access.org.id), eq(table.id, id)))
            .returning()) as T["$inferSelect"][];
          // Deleted by someone else between the lookup and the update.
          if (rows[0] === undefined) throw new ServerError("NOT_FOUND", `no ${noun} with id "${id}"`);
          row = rows[0];
        } catch (err) {
          if (isUniqueViolation(err)) throw new ServerError("CONFLICT", spec.conflict(body));
          throw err;
        }
      }
      await recordPortalAudit(db, request, {
        action: `${noun}.updated`,
        target: id,
        details: body as Record<string, unknown>,
      });
      return { [noun]: spec.view(row) };
    },
  );

  app.delete(
    itemUrl,
    {
      config: { policy: spec.remove ?? spec.write },
      schema: {
        tags: [tag],
        summary: `Delete a ${noun}`,
        params: ItemParams,
        response: { 204: Type.Null(), ...errorResponses, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const access = requirePortal(request);
      const id = idOf(request.params);
      const row = await findOne(access.org.id, request.params);
      await spec.beforeDelete?.(row, access, db);
      await db.delete(table).where(and(eq(table.orgId, access.org.id), eq(table.id, id)));
      await recordPortalAudit(db, request, { action: `${noun}.deleted`, target: id });
      return reply.status(204).send(null);
    },
  );
}

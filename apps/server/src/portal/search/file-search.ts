/**
 * Search an organisation's data files by object, cone, date range, filter, exposure time,
 * instrument, frame type, dataset, night log and any header keyword; sorted, one page at a time
 * with an opaque keyset cursor (stable under inserts, and cheap at any depth, unlike offsets).
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/database.js";
import { dataFiles, datasets, type FrameType } from "../../db/portal-schema.js";
import { ServerError } from "../../errors.js";
import { type Cone, checkCone, coneRanges, footprintTouchesCone } from "./cone.js";
import { type HeaderCondition, parseHeaderCondition } from "./header-filter.js";

/** Sort keys of a file search. */
export const FILE_SORTS = ["date", "name", "exptime", "object", "created", "size", "distance"] as const;
export type FileSort = (typeof FILE_SORTS)[number];

/** What to look for; every field is optional and they combine with AND. */
export interface FileQuery {
  /** Object name, any case; `*` matches any run of characters. */
  readonly object?: string;
  readonly cone?: Cone;
  /** DATE-OBS from (inclusive) and to (exclusive), ISO 8601. */
  readonly from?: string;
  readonly to?: string;
  readonly filter?: string;
  readonly exptimeMin?: number;
  readonly exptimeMax?: number;
  readonly instrument?: string;
  readonly telescope?: string;
  readonly frameTypes?: readonly FrameType[];
  readonly datasetId?: string;
  readonly nightLogId?: string;
  /** Header conditions as typed, e.g. `EXPTIME>30`. */
  readonly header?: readonly string[];
}

/** How to page. */
export interface FilePage {
  readonly sort?: FileSort;
  readonly order?: "asc" | "desc";
  readonly limit?: number;
  readonly cursor?: string;
}

const SORT_COLUMNS: Record<Exclude<FileSort, "distance">, AnyPgColumn> = {
  date: dataFiles.dateObs,
  name: dataFiles.name,
  exptime: dataFiles.exptime,
  object: dataFiles.object,
  created: dataFiles.createdAt,
  size: dataFiles.size,
};

const DATE_SORTS = new Set<FileSort>(["date", "created"]);

/** Angular distance in degrees between (ra, dec) columns and a point (haversine, stable near 0). */
export function distanceSql(ra: number, dec: number): SQL {
  return sql`degrees(2 * asin(least(1, sqrt(
    power(sin(radians(${dataFiles.dec} - ${dec}) / 2), 2) +
    cos(radians(${dataFiles.dec})) * ${Math.cos((dec * Math.PI) / 180)} * power(sin(radians(${dataFiles.ra} - ${ra}) / 2), 2)))))`;
}

function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
}

function headerSql(c: HeaderCondition): SQL {
  const value = sql`${dataFiles.keywords} -> ${c.keyword}`;
  const asText = sql`${dataFiles.keywords} ->> ${c.keyword}`;
  // CASE guarantees the cast runs only on JSON numbers.
  const asNumber = sql`(case when jsonb_typeof(${value}) = 'number' then (${asText})::float8 end)`;
  if (c.op === "=" || c.op === "!=") {
    let match: SQL;
    if (c.text.includes("*")) match = sql`${asText} ilike ${likePattern(c.text)}`;
    else if (c.number !== null)
      match = sql`(${asNumber} = ${c.number} or ${dataFiles.keywords} @> ${JSON.stringify({ [c.keyword]: c.text })}::jsonb)`;
    else if (c.text === "T" || c.text === "F")
      match = sql`${dataFiles.keywords} @> ${JSON.stringify({ [c.keyword]: c.text === "T" })}::jsonb`;
    else match = sql`${dataFiles.keywords} @> ${JSON.stringify({ [c.keyword]: c.text })}::jsonb`;
    return c.op === "=" ? match : sql`not coalesce(${match}, false)`;
  }
  const ops = { "<": sql`<`, "<=": sql`<=`, ">": sql`>`, ">=": sql`>=` } as const;
  return sql`${asNumber} ${ops[c.op]} ${c.number}`;
}

function parseDate(text: string, what: string): Date {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new ServerError("BAD_REQUEST", `${what} "${text}" is not an ISO 8601 date`);
  return new Date(ms);
}

/** SQL conditions of `query` within organisation `orgId` (the cone as its circle test). */
export async function fileConditions(db: Database, orgId: string, query: FileQuery): Promise<SQL[]> {
  const where: SQL[] = [eq(dataFiles.orgId, orgId)];
  if (query.object !== undefined) {
    const o = query.object.trim().toLowerCase();
    where.push(
      o.includes("*")
        ? sql`lower(${dataFiles.object}) like ${likePattern(o)}`
        : sql`lower(${dataFiles.object}) = ${o}`,
    );
  }
  if (query.from !== undefined) where.push(gte(dataFiles.dateObs, parseDate(query.from, "from")));
  if (query.to !== undefined) where.push(lt(dataFiles.dateObs, parseDate(query.to, "to")));
  if (query.filter !== undefined) where.push(sql`lower(${dataFiles.filter}) = ${query.filter.toLowerCase()}`);
  if (query.instrument !== undefined)
    where.push(sql`lower(${dataFiles.instrument}) = ${query.instrument.toLowerCase()}`);
  if (query.telescope !== undefined)
    where.push(sql`lower(${dataFiles.telescope}) = ${query.telescope.toLowerCase()}`);
  if (query.exptimeMin !== undefined) where.push(gte(dataFiles.exptime, query.exptimeMin));
  if (query.exptimeMax !== undefined) where.push(lte(dataFiles.exptime, query.exptimeMax));
  if (query.frameTypes !== undefined && query.frameTypes.length > 0)
    where.push(inArray(dataFiles.frameType, [...query.frameTypes]));
  if (query.datasetId !== undefined) where.push(eq(dataFiles.datasetId, query.datasetId));
  if (query.nightLogId !== undefined) where.push(eq(dataFiles.nightLogId, query.nightLogId));
  for (const text of query.header ?? []) where.push(headerSql(parseHeaderCondition(text)));
  if (query.cone !== undefined) {
    const { ra, dec, radius } = query.cone;
    checkCone(query.cone);
    // Widen by the largest footprint radius of the organisation (an index-only lookup).
    const [row] = await db
      .select({ r: sql<number | null>`max(${dataFiles.radiusDeg})` })
      .from(dataFiles)
      .where(eq(dataFiles.orgId, orgId));
    const widest = Math.max(0, Number(row?.r ?? 0));
    const ranges = coneRanges(ra, dec, Math.min(180, radius + widest));
    const cells: SQL[] = [];
    for (let i = 0; i < ranges.length; i += 2)
      // Literals (computed here, never user text) let the planner see each index range.
      cells.push(
        sql`(${dataFiles.healpix29} >= ${sql.raw(String(ranges[i]!))} and ${dataFiles.healpix29} < ${sql.raw(String(ranges[i + 1]!))})`,
      );
    where.push(or(...cells)!);
    where.push(sql`${distanceSql(ra, dec)} <= ${radius} + coalesce(${dataFiles.radiusDeg}, 0)`);
  }
  return where;
}

interface Cursor {
  readonly v: string | number | null;
  readonly id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Cursor>;
    if (
      typeof c.id === "string" &&
      /^[0-9a-f-]{36}$/i.test(c.id) &&
      (c.v === null || typeof c.v === "string" || typeof c.v === "number")
    )
      return { v: c.v, id: c.id };
  } catch {
    // fall through
  }
  throw new ServerError("BAD_REQUEST", "cursor is not one this server gave out; start again without it");
}

/** A data-file row. */
export type DataFileRow = typeof dataFiles.$inferSelect;

/** A found file; `distanceDeg` is the centre's distance from the cone's centre (degrees), null without a cone. */
export type FoundFile = DataFileRow & { readonly distanceDeg: number | null };

/** One page of results. */
export interface FileSearchResult {
  readonly items: FoundFile[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Search files of `orgId`. Results whose footprint polygon misses the cone are dropped last. */
export async function searchFiles(
  db: Database,
  orgId: string,
  query: FileQuery,
  page: FilePage = {},
): Promise<FileSearchResult> {
  const sort = page.sort ?? "date";
  const dir = page.order ?? "asc";
  const limit = page.limit ?? 100;
  const { cone } = query;
  if (sort === "distance" && cone === undefined)
    throw new ServerError("BAD_REQUEST", "sort=distance needs a cone (ra, dec, radius)");
  const distance = cone === undefined ? sql<null>`null` : sql<number>`${distanceSql(cone.ra, cone.dec)}`;
  const column = sort === "distance" ? null : SORT_COLUMNS[sort];
  const key = column === null ? distance : sql`${column}`;
  const conditions = await fileConditions(db, orgId, query);
  let cursor = page.cursor === undefined ? null : decodeCursor(page.cursor);
  const items: FoundFile[] = [];
  const after = dir === "asc" ? sql`>` : sql`<`;
  // Refill until the page is full: the footprint test may drop rows the SQL test kept.
  for (let round = 0; round < 50; round++) {
    const where = [...conditions];
    if (cursor !== null) {
      const v = cursor.v === null ? null : DATE_SORTS.has(sort) ? new Date(cursor.v as string) : cursor.v;
      const value = v === null ? null : column === null ? sql`${v}::float8` : sql.param(v, column);
      where.push(
        value === null
          ? and(sql`${key} is null`, sql`${dataFiles.id} ${after} ${cursor.id}`)!
          : or(
              sql`${key} ${after} ${value}`,
              and(sql`${key} = ${value}`, sql`${dataFiles.id} ${after} ${cursor.id}`),
              sql`${key} is null`,
            )!,
      );
    }
    const want = limit - items.length;
    const rows = await db
      .select({ file: dataFiles, distance })
      .from(dataFiles)
      .where(and(...where))
      .orderBy(
        dir === "asc" ? sql`${key} asc nulls last` : sql`${key} desc nulls last`,
        dir === "asc" ? asc(dataFiles.id) : desc(dataFiles.id),
      )
      .limit(want + 1);
    const more = rows.length > want;
    const taken = more ? rows.slice(0, want) : rows;
    for (const { file, distance: d } of taken)
      if (cone === undefined || file.footprint === null || footprintTouchesCone(file.footprint, cone))
        items.push({ ...file, distanceDeg: d === null ? null : Number(d) });
    const last = taken[taken.length - 1];
    if (last !== undefined) {
      const raw =
        sort === "distance"
          ? Number(last.distance)
          : (last.file as Record<string, unknown>)[sortKeyProperty(sort)];
      cursor = {
        v: raw instanceof Date ? raw.toISOString() : (raw as string | number | null),
        id: last.file.id,
      };
    }
    if (!more) return { items, nextCursor: null };
    if (items.length >= limit) return { items, nextCursor: cursor === null ? null : encodeCursor(cursor) };
  }
  return { items, nextCursor: cursor === null ? null : encodeCursor(cursor) };
}

function sortKeyProperty(sort: Exclude<FileSort, "distance">): keyof DataFileRow {
  return (
    {
      date: "dateObs",
      name: "name",
      exptime: "exptime",
      object: "object",
      created: "createdAt",
      size: "size",
    } as const
  )[sort];
}

/** A dataset with the number of its files that match. */
export interface DatasetHit {
  readonly dataset: typeof datasets.$inferSelect;
  readonly matchingFiles: number;
}

/**
 * Datasets of `orgId` holding at least one file that matches `query` (the cone by footprint circle),
 * with how many; `name` narrows by dataset name or tag (any case, `*` wildcard).
 */
export async function searchDatasets(
  db: Database,
  orgId: string,
  query: FileQuery & { name?: string },
  page: { limit?: number; offset?: number } = {},
): Promise<DatasetHit[]> {
  const conditions = await fileConditions(db, orgId, query);
  if (query.name !== undefined) {
    const p = likePattern(query.name.toLowerCase());
    conditions.push(
      sql`(lower(${datasets.name}) like ${p} or exists (select 1 from unnest(${datasets.tags}) t where lower(t) like ${p}))`,
    );
  }
  const rows = await db
    .select({ dataset: datasets, matchingFiles: sql<number>`count(*)::int` })
    .from(dataFiles)
    .innerJoin(datasets, eq(datasets.id, dataFiles.datasetId))
    .where(and(...conditions))
    .groupBy(datasets.id)
    .orderBy(asc(sql`lower(${datasets.name})`), asc(datasets.id))
    .limit(page.limit ?? 100)
    .offset(page.offset ?? 0);
  return rows;
}

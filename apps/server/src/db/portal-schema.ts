/**
 * Observatory-cloud tables (portals): organisations and their members, sites, telescopes,
 * instruments, night logs, datasets, data files with searchable header metadata, data packages,
 * targets, and resumable uploads in progress. Re-exported from ./schema.ts, which drizzle-kit reads.
 *
 * Conventions: ids are uuids; every row that belongs to an organisation carries `org_id` (also
 * where it could be reached through a parent) so that access checks and searches need no joins;
 * angles are degrees (ICRS), lengths metres, sizes bytes, times UTC `timestamptz`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./schema.js";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/** The owning organisation; rows go with it. */
const orgIdColumn = () =>
  uuid("org_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
/** The night log a row belongs to; rows go with it. */
const nightLogIdColumn = () =>
  uuid("night_log_id")
    .notNull()
    .references(() => nightLogs.id, { onDelete: "cascade" });

/** Roles inside an organisation, weakest first. Anonymous callers see only public content. */
export const ORG_ROLES = ["observer", "member", "admin", "owner"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Visibility of a data package. */
export const VISIBILITIES = ["private", "organisation", "public"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Normalised frame types (from IMAGETYP/OBSTYPE or folder names). */
export const FRAME_TYPES = ["light", "bias", "dark", "flat", "arc", "other"] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

/** An organisation: the portal of an observatory or a collaboration. */
export const organisations = pgTable(
  "organisations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** URL name: lower-case letters, digits and dashes. */
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Whether the portal has a public page (sites, telescopes, public packages). */
    isPublic: boolean("is_public").notNull().default(true),
    /** Storage quota in bytes; null means the server default (MERIDIAN_ORG_QUOTA_BYTES). */
    quotaBytes: bigint("quota_bytes", { mode: "number" }),
    /** Bytes of complete data files stored for this organisation (kept in step with data_files). */
    usedBytes: bigint("used_bytes", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organisations_slug_idx").on(sql`lower(${t.slug})`)],
);

/** A user's role in an organisation. */
export const memberships = pgTable(
  "memberships",
  {
    orgId: orgIdColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<OrgRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_check", sql`${t.role} in ('observer', 'member', 'admin', 'owner')`),
  ],
);

/** An observing site. Longitude east positive. */
export const observingSites = pgTable(
  "observing_sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    name: text("name").notNull(),
    longitude: doublePrecision("longitude").notNull(),
    latitude: doublePrecision("latitude").notNull(),
    elevation: doublePrecision("elevation").notNull().default(0),
    /** IANA time zone, e.g. "America/Santiago"; nights are local noon to noon. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** IAU/MPC observatory code, if any. */
    iauCode: text("iau_code"),
    /** Horizon profile: [[azimuth_deg, min_altitude_deg], ...] sorted by azimuth, or null. */
    horizon: jsonb("horizon").$type<[number, number][]>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("observing_sites_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

/** Pointing limits of a telescope, used by the planner. All optional. */
export interface TelescopeLimits {
  minAltitudeDeg?: number;
  maxAirmass?: number;
  hourAngleMinH?: number;
  hourAngleMaxH?: number;
  minDeclinationDeg?: number;
  maxDeclinationDeg?: number;
}

export const telescopes = pgTable(
  "telescopes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    siteId: uuid("site_id").references(() => observingSites.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    apertureM: doublePrecision("aperture_m"),
    focalLengthM: doublePrecision("focal_length_m"),
    limits: jsonb("limits").$type<TelescopeLimits>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("telescopes_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

export const instruments = pgTable(
  "instruments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    telescopeId: uuid("telescope_id").references(() => telescopes.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    detectorWidthPx: integer("detector_width_px"),
    detectorHeightPx: integer("detector_height_px"),
    pixelScaleArcsec: doublePrecision("pixel_scale_arcsec"),
    fovWidthDeg: doublePrecision("fov_width_deg"),
    fovHeightDeg: doublePrecision("fov_height_deg"),
    filters: text("filters").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("instruments_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

/** One night at one telescope; `night` is the local date on which the night begins (noon to noon). */
export const nightLogs = pgTable(
  "night_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    telescopeId: uuid("telescope_id")
      .notNull()
      .references(() => telescopes.id, { onDelete: "cascade" }),
    night: date("night", { mode: "string" }).notNull(),
    observers: text("observers").array().notNull().default(sql`'{}'::text[]`),
    weather: text("weather").notNull().default(""),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("night_logs_telescope_night_idx").on(t.telescopeId, t.night),
    index("night_logs_org_night_idx").on(t.orgId, t.night),
  ],
);

/** A timestamped entry in a night log. */
export const nightLogEntries = pgTable(
  "night_log_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    nightLogId: nightLogIdColumn(),
    at: at("at").notNull(),
    authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("night_log_entries_log_idx").on(t.nightLogId, t.at)],
);

/** A science observation (one target, one block of exposures) within a night. */
export const observations = pgTable(
  "observations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    nightLogId: nightLogIdColumn(),
    targetName: text("target_name"),
    ra: doublePrecision("ra"),
    dec: doublePrecision("dec"),
    filter: text("filter"),
    startAt: at("start_at"),
    endAt: at("end_at"),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("observations_log_idx").on(t.nightLogId, t.startAt)],
);

/** A calibration block (bias, dark, flat, arc, ...) within a night. */
export const calibrations = pgTable(
  "calibrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    nightLogId: nightLogIdColumn(),
    kind: text("kind").$type<FrameType>().notNull(),
    filter: text("filter"),
    startAt: at("start_at"),
    endAt: at("end_at"),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("calibrations_log_idx").on(t.nightLogId, t.startAt)],
);

export const datasets = pgTable(
  "datasets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    telescopeId: uuid("telescope_id").references(() => telescopes.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("datasets_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

/** One header: keyword → value (strings, numbers, booleans; COMMENT/HISTORY joined). */
export type HeaderCards = Record<string, string | number | boolean | null>;
/** Every HDU's header of a FITS file, in file order. */
export interface HduHeader {
  index: number;
  /** XTENSION or "PRIMARY". */
  type: string;
  cards: HeaderCards;
}

/**
 * A stored file. Appears only when complete and verified. `keywords` merges every HDU's cards
 * (the first occurrence of a keyword wins) for `keyword=value` search; the extracted columns are
 * typed copies of the common ones. `healpix29` is the NESTED order-29 index of (ra, dec), so a cone
 * is a few index ranges at any coarser order; `footprint` is the image corners from the WCS.
 */
export const dataFiles = pgTable(
  "data_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** Path within the dataset ("night1/bias/b001.fits"); unique within it. */
    name: text("name").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    /** "fits", "fits.gz", "fz", "png", "jpeg", "text", "json", "csv", "pdf" or "other". */
    format: text("format").notNull(),
    headers: jsonb("headers").$type<HduHeader[]>().notNull().default([]),
    keywords: jsonb("keywords").$type<HeaderCards>().notNull().default({}),
    object: text("object"),
    ra: doublePrecision("ra"),
    dec: doublePrecision("dec"),
    healpix29: bigint("healpix29", { mode: "bigint" }),
    /** [[ra, dec], ...] corners of the image on the sky (degrees), or null without a WCS. */
    footprint: jsonb("footprint").$type<[number, number][]>(),
    /** Largest distance from (ra, dec) to a footprint corner, degrees; a cone search prefilter. */
    radiusDeg: doublePrecision("radius_deg"),
    dateObs: at("date_obs"),
    exptime: doublePrecision("exptime"),
    filter: text("filter"),
    instrument: text("instrument"),
    telescope: text("telescope"),
    /** Raw IMAGETYP/OBSTYPE, and the normalised type. */
    imageType: text("image_type"),
    frameType: text("frame_type").$type<FrameType>(),
    airmass: doublePrecision("airmass"),
    nightLogId: uuid("night_log_id").references(() => nightLogs.id, { onDelete: "set null" }),
    observationId: uuid("observation_id").references(() => observations.id, { onDelete: "set null" }),
    calibrationId: uuid("calibration_id").references(() => calibrations.id, { onDelete: "set null" }),
    /** Extraction problems ("no WCS", ...), shown to users; never an upload failure. */
    warnings: text("warnings").array().notNull().default(sql`'{}'::text[]`),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("data_files_name_idx").on(t.datasetId, t.name),
    index("data_files_org_sha_idx").on(t.orgId, t.sha256),
    index("data_files_org_healpix_idx").on(t.orgId, t.healpix29),
    // max(radius_deg) per organisation widens a cone search to every footprint that may touch it.
    index("data_files_org_radius_idx").on(t.orgId, t.radiusDeg),
    index("data_files_org_date_idx").on(t.orgId, t.dateObs),
    index("data_files_org_object_idx").on(t.orgId, sql`lower(${t.object})`),
    index("data_files_night_idx").on(t.nightLogId, t.dateObs),
    index("data_files_keywords_idx").using("gin", t.keywords.op("jsonb_path_ops")),
  ],
);

/** A frozen, checksummed, shareable set of files. */
export const dataPackages = pgTable(
  "data_packages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    authors: text("authors").array().notNull().default(sql`'{}'::text[]`),
    licence: text("licence").notNull().default("CC-BY-4.0"),
    visibility: text("visibility").$type<Visibility>().notNull().default("private"),
    /** Public only from this time on (null: no embargo). */
    embargoUntil: at("embargo_until"),
    /** Set when the manifest is frozen; files can no longer be added or removed. */
    frozenAt: at("frozen_at"),
    /** sha256 of the canonical manifest (JSON lines of name, size, sha256). */
    manifestSha256: text("manifest_sha256"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("data_packages_org_idx").on(t.orgId, t.createdAt),
    check("data_packages_visibility_check", sql`${t.visibility} in ('private', 'organisation', 'public')`),
  ],
);

/** Package contents; name/size/sha256 are copied at freeze time. */
export const dataPackageFiles = pgTable(
  "data_package_files",
  {
    packageId: uuid("package_id")
      .notNull()
      .references(() => dataPackages.id, { onDelete: "cascade" }),
    fileId: uuid("file_id")
      .notNull()
      .references(() => dataFiles.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.packageId, t.fileId] }),
    index("data_package_files_file_idx").on(t.fileId),
  ],
);

export const targets = pgTable(
  "targets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    name: text("name").notNull(),
    ra: doublePrecision("ra").notNull(),
    dec: doublePrecision("dec").notNull(),
    /** Proper motion in mas/yr (RA component includes cos dec), and the epoch of ra/dec (Julian year). */
    pmRa: doublePrecision("pm_ra"),
    pmDec: doublePrecision("pm_dec"),
    epoch: doublePrecision("epoch"),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("targets_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

export const targetLists = pgTable(
  "target_lists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("target_lists_name_idx").on(t.orgId, sql`lower(${t.name})`)],
);

export const targetListItems = pgTable(
  "target_list_items",
  {
    listId: uuid("list_id")
      .notNull()
      .references(() => targetLists.id, { onDelete: "cascade" }),
    targetId: uuid("target_id")
      .notNull()
      .references(() => targets.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.listId, t.targetId] })],
);

/**
 * Resumable uploads in progress (tus). The bytes live in storage under `temp_key` until the upload
 * is complete and verified; then a data_files row is inserted and this row deleted in one transaction.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgIdColumn(),
    datasetId: uuid("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    offset: bigint("offset", { mode: "number" }).notNull().default(0),
    /** sha256 announced by the client (hex), checked on completion when given. */
    expectedSha256: text("expected_sha256"),
    tempKey: text("temp_key").notNull(),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("uploads_org_idx").on(t.orgId), index("uploads_expires_idx").on(t.expiresAt)],
);

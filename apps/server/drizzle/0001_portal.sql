CREATE TABLE "calibrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"night_log_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"filter" text,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"format" text NOT NULL,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"keywords" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"object" text,
	"ra" double precision,
	"dec" double precision,
	"healpix29" bigint,
	"footprint" jsonb,
	"radius_deg" double precision,
	"date_obs" timestamp with time zone,
	"exptime" double precision,
	"filter" text,
	"instrument" text,
	"telescope" text,
	"image_type" text,
	"frame_type" text,
	"airmass" double precision,
	"night_log_id" uuid,
	"observation_id" uuid,
	"calibration_id" uuid,
	"warnings" text[] DEFAULT '{}'::text[] NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_package_files" (
	"package_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	CONSTRAINT "data_package_files_package_id_file_id_pk" PRIMARY KEY("package_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "data_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"authors" text[] DEFAULT '{}'::text[] NOT NULL,
	"licence" text DEFAULT 'CC-BY-4.0' NOT NULL,
	"visibility" text DEFAULT 'private' NOT NULL,
	"embargo_until" timestamp with time zone,
	"frozen_at" timestamp with time zone,
	"manifest_sha256" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_packages_visibility_check" CHECK ("data_packages"."visibility" in ('private', 'organisation', 'public'))
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"telescope_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instruments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"telescope_id" uuid,
	"name" text NOT NULL,
	"detector_width_px" integer,
	"detector_height_px" integer,
	"pixel_scale_arcsec" double precision,
	"fov_width_deg" double precision,
	"fov_height_deg" double precision,
	"filters" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_org_id_user_id_pk" PRIMARY KEY("org_id","user_id"),
	CONSTRAINT "memberships_role_check" CHECK ("memberships"."role" in ('observer', 'member', 'admin', 'owner'))
);
--> statement-breakpoint
CREATE TABLE "night_log_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"night_log_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"author_user_id" uuid,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "night_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"telescope_id" uuid NOT NULL,
	"night" date NOT NULL,
	"observers" text[] DEFAULT '{}'::text[] NOT NULL,
	"weather" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"night_log_id" uuid NOT NULL,
	"target_name" text,
	"ra" double precision,
	"dec" double precision,
	"filter" text,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observing_sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"longitude" double precision NOT NULL,
	"latitude" double precision NOT NULL,
	"elevation" double precision DEFAULT 0 NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"iau_code" text,
	"horizon" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"quota_bytes" bigint,
	"used_bytes" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "target_list_items" (
	"list_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "target_list_items_list_id_target_id_pk" PRIMARY KEY("list_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "target_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ra" double precision NOT NULL,
	"dec" double precision NOT NULL,
	"pm_ra" double precision,
	"pm_dec" double precision,
	"epoch" double precision,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telescopes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"site_id" uuid,
	"name" text NOT NULL,
	"aperture_m" double precision,
	"focal_length_m" double precision,
	"limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"offset" bigint DEFAULT 0 NOT NULL,
	"expected_sha256" text,
	"temp_key" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "org_id" uuid;--> statement-breakpoint
ALTER TABLE "calibrations" ADD CONSTRAINT "calibrations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibrations" ADD CONSTRAINT "calibrations_night_log_id_night_logs_id_fk" FOREIGN KEY ("night_log_id") REFERENCES "public"."night_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_night_log_id_night_logs_id_fk" FOREIGN KEY ("night_log_id") REFERENCES "public"."night_logs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_observation_id_observations_id_fk" FOREIGN KEY ("observation_id") REFERENCES "public"."observations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_calibration_id_calibrations_id_fk" FOREIGN KEY ("calibration_id") REFERENCES "public"."calibrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_files" ADD CONSTRAINT "data_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_package_files" ADD CONSTRAINT "data_package_files_package_id_data_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."data_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_package_files" ADD CONSTRAINT "data_package_files_file_id_data_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."data_files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_packages" ADD CONSTRAINT "data_packages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_packages" ADD CONSTRAINT "data_packages_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_telescope_id_telescopes_id_fk" FOREIGN KEY ("telescope_id") REFERENCES "public"."telescopes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instruments" ADD CONSTRAINT "instruments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instruments" ADD CONSTRAINT "instruments_telescope_id_telescopes_id_fk" FOREIGN KEY ("telescope_id") REFERENCES "public"."telescopes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "night_log_entries" ADD CONSTRAINT "night_log_entries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "night_log_entries" ADD CONSTRAINT "night_log_entries_night_log_id_night_logs_id_fk" FOREIGN KEY ("night_log_id") REFERENCES "public"."night_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "night_log_entries" ADD CONSTRAINT "night_log_entries_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "night_logs" ADD CONSTRAINT "night_logs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "night_logs" ADD CONSTRAINT "night_logs_telescope_id_telescopes_id_fk" FOREIGN KEY ("telescope_id") REFERENCES "public"."telescopes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_night_log_id_night_logs_id_fk" FOREIGN KEY ("night_log_id") REFERENCES "public"."night_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observing_sites" ADD CONSTRAINT "observing_sites_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_list_items" ADD CONSTRAINT "target_list_items_list_id_target_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."target_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_list_items" ADD CONSTRAINT "target_list_items_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "target_lists" ADD CONSTRAINT "target_lists_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "targets" ADD CONSTRAINT "targets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telescopes" ADD CONSTRAINT "telescopes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telescopes" ADD CONSTRAINT "telescopes_site_id_observing_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."observing_sites"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calibrations_log_idx" ON "calibrations" USING btree ("night_log_id","start_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_files_name_idx" ON "data_files" USING btree ("dataset_id","name");--> statement-breakpoint
CREATE INDEX "data_files_org_sha_idx" ON "data_files" USING btree ("org_id","sha256");--> statement-breakpoint
CREATE INDEX "data_files_org_healpix_idx" ON "data_files" USING btree ("org_id","healpix29");--> statement-breakpoint
CREATE INDEX "data_files_org_date_idx" ON "data_files" USING btree ("org_id","date_obs");--> statement-breakpoint
CREATE INDEX "data_files_org_object_idx" ON "data_files" USING btree ("org_id",lower("object"));--> statement-breakpoint
CREATE INDEX "data_files_night_idx" ON "data_files" USING btree ("night_log_id","date_obs");--> statement-breakpoint
CREATE INDEX "data_files_keywords_idx" ON "data_files" USING gin ("keywords" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "data_package_files_file_idx" ON "data_package_files" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "data_packages_org_idx" ON "data_packages" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_name_idx" ON "datasets" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "instruments_name_idx" ON "instruments" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "night_log_entries_log_idx" ON "night_log_entries" USING btree ("night_log_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "night_logs_telescope_night_idx" ON "night_logs" USING btree ("telescope_id","night");--> statement-breakpoint
CREATE INDEX "night_logs_org_night_idx" ON "night_logs" USING btree ("org_id","night");--> statement-breakpoint
CREATE INDEX "observations_log_idx" ON "observations" USING btree ("night_log_id","start_at");--> statement-breakpoint
CREATE UNIQUE INDEX "observing_sites_name_idx" ON "observing_sites" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_slug_idx" ON "organisations" USING btree (lower("slug"));--> statement-breakpoint
CREATE UNIQUE INDEX "target_lists_name_idx" ON "target_lists" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "targets_name_idx" ON "targets" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "telescopes_name_idx" ON "telescopes" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "uploads_org_idx" ON "uploads" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "uploads_expires_idx" ON "uploads" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "audit_log_org_idx" ON "audit_log" USING btree ("org_id","at");
-- Baseline: the schema of notes-stream's tables, types, sequences and indexes, with the fixed
-- rows of the warehouse. It squashes migrations 0000-0024 as they stood at commit f67b5be
-- (no deployment existed yet): a database migrated from it has the same tables, columns,
-- constraints, indexes and rows as one that replayed those 25 migrations.
--
-- Stored functions, the stream view and the triggers are not here: they live one per file in
-- drizzle/functions/ (CREATE OR REPLACE), applied after the schema migrations in the order of
-- drizzle/functions/order.txt whenever a file's text changes (docs/migrations.md). Each trigger
-- is created in the file of the function it runs, so a trigger never exists before its
-- function. The base tables' references (notes, users, countries, hashtags) are checked per
-- statement by such triggers instead of per-row foreign keys; the reasons are in
-- drizzle/functions/public/check_comment_references.sql.
CREATE SCHEMA "streaming";
--> statement-breakpoint
CREATE SCHEMA "dwh";
--> statement-breakpoint
CREATE TYPE "public"."note_event_enum" AS ENUM('opened', 'closed', 'reopened', 'commented', 'hidden');--> statement-breakpoint
CREATE TYPE "public"."note_status_enum" AS ENUM('open', 'close', 'hidden');--> statement-breakpoint
CREATE TYPE "dwh"."datamart_scope" AS ENUM('global', 'country', 'user');--> statement-breakpoint
CREATE TYPE "dwh"."note_state" AS ENUM('open', 'resolved');--> statement-breakpoint
CREATE TYPE "streaming"."event_status" AS ENUM('pending', 'done', 'dead');--> statement-breakpoint
CREATE SEQUENCE "streaming"."batch_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "streaming"."position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "countries" (
	"country_id" serial PRIMARY KEY NOT NULL,
	"iso_a2" char(2) NOT NULL,
	"iso_a3" char(3),
	"country_name" text NOT NULL,
	CONSTRAINT "countries_iso_a2_unique" UNIQUE("iso_a2")
);
--> statement-breakpoint
CREATE TABLE "note_comments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"note_id" integer NOT NULL,
	"sequence_action" integer NOT NULL,
	"event" "note_event_enum" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"id_user" integer
);
--> statement-breakpoint
CREATE TABLE "note_comments_text" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"note_id" integer NOT NULL,
	"sequence_action" integer NOT NULL,
	"body" text
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"note_id" integer PRIMARY KEY NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"status" "note_status_enum" DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"id_country" integer
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"username" varchar(256) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_activity_days" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"day" date NOT NULL,
	"actions" integer NOT NULL,
	CONSTRAINT "datamart_activity_days_scope_key_day_pk" PRIMARY KEY("scope","key","day")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_applications" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"year" smallint NOT NULL,
	"dimension_application_id" integer NOT NULL,
	"notes" integer NOT NULL,
	CONSTRAINT "datamart_applications_scope_key_year_dimension_application_id_pk" PRIMARY KEY("scope","key","year","dimension_application_id")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_countries" (
	"dimension_country_id" integer PRIMARY KEY NOT NULL,
	"history_whole_open" integer DEFAULT 0 NOT NULL,
	"history_whole_commented" integer DEFAULT 0 NOT NULL,
	"history_whole_closed" integer DEFAULT 0 NOT NULL,
	"history_whole_closed_with_comment" integer DEFAULT 0 NOT NULL,
	"history_whole_reopened" integer DEFAULT 0 NOT NULL,
	"history_whole_hidden" integer DEFAULT 0 NOT NULL,
	"notes_still_open" integer DEFAULT 0 NOT NULL,
	"notes_resolved" integer DEFAULT 0 NOT NULL,
	"with_text" integer DEFAULT 0 NOT NULL,
	"sum_comment_length" bigint DEFAULT 0 NOT NULL,
	"with_url" integer DEFAULT 0 NOT NULL,
	"with_mention" integer DEFAULT 0 NOT NULL,
	"resolved_closes" integer DEFAULT 0 NOT NULL,
	"sum_days_to_resolution" bigint DEFAULT 0 NOT NULL,
	"resolution_rate" numeric GENERATED ALWAYS AS (round(100.0 * notes_resolved / nullif(notes_resolved + notes_still_open, 0), 2)) STORED,
	"avg_days_to_resolution" numeric GENERATED ALWAYS AS (round(sum_days_to_resolution::numeric / nullif(resolved_closes, 0), 2)) STORED,
	"median_days_to_resolution" numeric,
	"avg_comment_length" numeric GENERATED ALWAYS AS (round(sum_comment_length::numeric / nullif(with_text, 0), 2)) STORED,
	"comments_with_url_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_url / nullif(with_text, 0), 2)) STORED,
	"comments_with_mention_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_mention / nullif(with_text, 0), 2)) STORED,
	"applications_used" integer DEFAULT 0 NOT NULL,
	"first_action_date" date,
	"last_action_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_global" (
	"global_id" smallint PRIMARY KEY NOT NULL,
	"history_whole_open" integer DEFAULT 0 NOT NULL,
	"history_whole_commented" integer DEFAULT 0 NOT NULL,
	"history_whole_closed" integer DEFAULT 0 NOT NULL,
	"history_whole_closed_with_comment" integer DEFAULT 0 NOT NULL,
	"history_whole_reopened" integer DEFAULT 0 NOT NULL,
	"history_whole_hidden" integer DEFAULT 0 NOT NULL,
	"notes_still_open" integer DEFAULT 0 NOT NULL,
	"notes_resolved" integer DEFAULT 0 NOT NULL,
	"with_text" integer DEFAULT 0 NOT NULL,
	"sum_comment_length" bigint DEFAULT 0 NOT NULL,
	"with_url" integer DEFAULT 0 NOT NULL,
	"with_mention" integer DEFAULT 0 NOT NULL,
	"resolved_closes" integer DEFAULT 0 NOT NULL,
	"sum_days_to_resolution" bigint DEFAULT 0 NOT NULL,
	"resolution_rate" numeric GENERATED ALWAYS AS (round(100.0 * notes_resolved / nullif(notes_resolved + notes_still_open, 0), 2)) STORED,
	"avg_days_to_resolution" numeric GENERATED ALWAYS AS (round(sum_days_to_resolution::numeric / nullif(resolved_closes, 0), 2)) STORED,
	"median_days_to_resolution" numeric,
	"avg_comment_length" numeric GENERATED ALWAYS AS (round(sum_comment_length::numeric / nullif(with_text, 0), 2)) STORED,
	"comments_with_url_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_url / nullif(with_text, 0), 2)) STORED,
	"comments_with_mention_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_mention / nullif(with_text, 0), 2)) STORED,
	"applications_used" integer DEFAULT 0 NOT NULL,
	"first_action_date" date,
	"last_action_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_hashtags" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"year" smallint NOT NULL,
	"dimension_hashtag_id" integer NOT NULL,
	"uses" integer NOT NULL,
	CONSTRAINT "datamart_hashtags_scope_key_year_dimension_hashtag_id_pk" PRIMARY KEY("scope","key","year","dimension_hashtag_id")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_note_states" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"state" "dwh"."note_state" NOT NULL,
	"opened_day" date NOT NULL,
	"notes" integer NOT NULL,
	CONSTRAINT "datamart_note_states_scope_key_state_opened_day_pk" PRIMARY KEY("scope","key","state","opened_day")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_resolution_days" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"year" smallint NOT NULL,
	"days" integer NOT NULL,
	"closes" integer NOT NULL,
	CONSTRAINT "datamart_resolution_days_scope_key_year_days_pk" PRIMARY KEY("scope","key","year","days")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_users" (
	"dimension_user_id" integer PRIMARY KEY NOT NULL,
	"history_whole_open" integer DEFAULT 0 NOT NULL,
	"history_whole_commented" integer DEFAULT 0 NOT NULL,
	"history_whole_closed" integer DEFAULT 0 NOT NULL,
	"history_whole_closed_with_comment" integer DEFAULT 0 NOT NULL,
	"history_whole_reopened" integer DEFAULT 0 NOT NULL,
	"history_whole_hidden" integer DEFAULT 0 NOT NULL,
	"notes_still_open" integer DEFAULT 0 NOT NULL,
	"notes_resolved" integer DEFAULT 0 NOT NULL,
	"with_text" integer DEFAULT 0 NOT NULL,
	"sum_comment_length" bigint DEFAULT 0 NOT NULL,
	"with_url" integer DEFAULT 0 NOT NULL,
	"with_mention" integer DEFAULT 0 NOT NULL,
	"resolved_closes" integer DEFAULT 0 NOT NULL,
	"sum_days_to_resolution" bigint DEFAULT 0 NOT NULL,
	"resolution_rate" numeric GENERATED ALWAYS AS (round(100.0 * notes_resolved / nullif(notes_resolved + notes_still_open, 0), 2)) STORED,
	"avg_days_to_resolution" numeric GENERATED ALWAYS AS (round(sum_days_to_resolution::numeric / nullif(resolved_closes, 0), 2)) STORED,
	"median_days_to_resolution" numeric,
	"avg_comment_length" numeric GENERATED ALWAYS AS (round(sum_comment_length::numeric / nullif(with_text, 0), 2)) STORED,
	"comments_with_url_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_url / nullif(with_text, 0), 2)) STORED,
	"comments_with_mention_pct" numeric GENERATED ALWAYS AS (round(100.0 * with_mention / nullif(with_text, 0), 2)) STORED,
	"applications_used" integer DEFAULT 0 NOT NULL,
	"first_action_date" date,
	"last_action_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_years" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"year" smallint NOT NULL,
	"opened" integer DEFAULT 0 NOT NULL,
	"commented" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"closed_with_comment" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"hidden" integer DEFAULT 0 NOT NULL,
	"with_text" integer DEFAULT 0 NOT NULL,
	"sum_comment_length" bigint DEFAULT 0 NOT NULL,
	"with_url" integer DEFAULT 0 NOT NULL,
	"with_mention" integer DEFAULT 0 NOT NULL,
	"resolved_closes" integer DEFAULT 0 NOT NULL,
	"sum_days_to_resolution" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "datamart_years_scope_key_year_pk" PRIMARY KEY("scope","key","year")
);
--> statement-breakpoint
CREATE TABLE "dwh"."note_current_state" (
	"id_note" integer PRIMARY KEY NOT NULL,
	"dimension_id_country" integer NOT NULL,
	"opened_dimension_id_user" integer,
	"opened_day" date NOT NULL,
	"state" "dwh"."note_state" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "streaming"."batches" (
	"batch_id" bigint PRIMARY KEY NOT NULL,
	"processor_id" text NOT NULL,
	"events" integer NOT NULL,
	"first_position" bigint,
	"last_position" bigint,
	"countries" integer[] NOT NULL,
	"users" integer[] NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "streaming"."events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'comment' NOT NULL,
	"note_id" integer NOT NULL,
	"sequence_action" integer,
	"event" "note_event_enum",
	"payload" jsonb,
	"status" "streaming"."event_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"available_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"position" bigint
);
--> statement-breakpoint
CREATE TABLE "streaming"."processors" (
	"processor_id" text PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"listener_connected" boolean DEFAULT false NOT NULL,
	"listener_reconnects" integer DEFAULT 0 NOT NULL,
	"listener_down_since" timestamp with time zone,
	"last_notification_at" timestamp with time zone,
	"notifications_received" bigint DEFAULT 0 NOT NULL,
	"events_processed" bigint DEFAULT 0 NOT NULL,
	"events_failed" bigint DEFAULT 0 NOT NULL,
	"batches_committed" bigint DEFAULT 0 NOT NULL,
	"failures_last_minute" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "streaming"."sync_state" (
	"name" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_application_versions" (
	"dimension_application_version_id" serial PRIMARY KEY NOT NULL,
	"dimension_application_id" integer NOT NULL,
	"version" text NOT NULL,
	CONSTRAINT "dimension_application_versions_key" UNIQUE("dimension_application_id","version")
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_applications" (
	"dimension_application_id" serial PRIMARY KEY NOT NULL,
	"application_name" text NOT NULL,
	"pattern" text NOT NULL,
	"priority" smallint NOT NULL,
	"platform" text,
	"keyword" text,
	CONSTRAINT "dimension_applications_application_name_unique" UNIQUE("application_name"),
	CONSTRAINT "dimension_applications_priority_unique" UNIQUE("priority")
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_countries" (
	"dimension_country_id" serial PRIMARY KEY NOT NULL,
	"country_id" integer NOT NULL,
	"iso_a2" text NOT NULL,
	"iso_a3" text,
	"country_name" text NOT NULL,
	CONSTRAINT "dimension_countries_country_id_unique" UNIQUE("country_id"),
	CONSTRAINT "dimension_countries_iso_a2_unique" UNIQUE("iso_a2")
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_days" (
	"dimension_day_id" integer PRIMARY KEY NOT NULL,
	"date_id" date NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"day" smallint NOT NULL,
	"iso_year" smallint NOT NULL,
	"iso_week" smallint NOT NULL,
	"iso_dow" smallint NOT NULL,
	CONSTRAINT "dimension_days_date_id_unique" UNIQUE("date_id")
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_hashtags" (
	"dimension_hashtag_id" serial PRIMARY KEY NOT NULL,
	"description" text NOT NULL,
	"description_lower" text NOT NULL,
	CONSTRAINT "dimension_hashtags_description_lower_unique" UNIQUE("description_lower")
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_time_of_week" (
	"dimension_tow_id" smallint PRIMARY KEY NOT NULL,
	"iso_dow" smallint NOT NULL,
	"hour_of_day" smallint NOT NULL,
	"day_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dwh"."dimension_users" (
	"dimension_user_id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"username" text NOT NULL,
	"previous_usernames" text[] DEFAULT '{}' NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dimension_users_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "dwh"."fact_hashtags" (
	"id_note" integer NOT NULL,
	"sequence_action" integer NOT NULL,
	"position" smallint NOT NULL,
	"dimension_hashtag_id" integer NOT NULL,
	CONSTRAINT "fact_hashtags_id_note_sequence_action_position_pk" PRIMARY KEY("id_note","sequence_action","position")
);
--> statement-breakpoint
CREATE TABLE "dwh"."facts" (
	"fact_id" bigserial PRIMARY KEY NOT NULL,
	"id_note" integer NOT NULL,
	"sequence_action" integer NOT NULL,
	"dimension_id_country" integer NOT NULL,
	"action_at" timestamp with time zone NOT NULL,
	"action_comment" "note_event_enum" NOT NULL,
	"action_dimension_id_date" integer NOT NULL,
	"action_dimension_id_hour_of_week" smallint NOT NULL,
	"action_dimension_id_user" integer,
	"opened_dimension_id_date" integer NOT NULL,
	"opened_dimension_id_hour_of_week" smallint NOT NULL,
	"opened_dimension_id_user" integer,
	"closed_dimension_id_date" integer,
	"closed_dimension_id_hour_of_week" smallint,
	"closed_dimension_id_user" integer,
	"dimension_application_creation" integer,
	"dimension_application_version" integer,
	"recent_opened_dimension_id_date" integer NOT NULL,
	"days_to_resolution" integer,
	"days_to_resolution_active" integer,
	"days_to_resolution_from_reopen" integer,
	"comment_length" integer,
	"has_url" boolean NOT NULL,
	"has_mention" boolean NOT NULL,
	"hashtag_number" integer NOT NULL,
	"total_comments_on_note" integer NOT NULL,
	"total_reopenings_count" integer NOT NULL,
	"total_actions_on_note" integer NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "facts_note_sequence_key" UNIQUE("id_note","sequence_action")
);
--> statement-breakpoint
ALTER TABLE "dwh"."dimension_application_versions" ADD CONSTRAINT "dimension_application_versions_dimension_application_id_dimension_applications_dimension_application_id_fk" FOREIGN KEY ("dimension_application_id") REFERENCES "dwh"."dimension_applications"("dimension_application_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "note_comments_note_sequence_key" ON "note_comments" USING btree ("note_id","sequence_action");--> statement-breakpoint
CREATE INDEX "note_comments_id_user_idx" ON "note_comments" USING btree ("id_user") WHERE "note_comments"."id_user" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "note_comments_created_at_idx" ON "note_comments" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "note_comments_text_note_sequence_key" ON "note_comments_text" USING btree ("note_id","sequence_action");--> statement-breakpoint
CREATE INDEX "notes_id_country_idx" ON "notes" USING btree ("id_country");--> statement-breakpoint
CREATE INDEX "notes_created_at_idx" ON "notes" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "note_current_state_open_idx" ON "dwh"."note_current_state" USING btree ("dimension_id_country","opened_day") WHERE "dwh"."note_current_state"."state" = 'open';--> statement-breakpoint
CREATE INDEX "batches_committed_at_idx" ON "streaming"."batches" USING btree ("committed_at");--> statement-breakpoint
CREATE INDEX "events_pending_idx" ON "streaming"."events" USING btree ("id") WHERE "streaming"."events"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "events_dead_idx" ON "streaming"."events" USING btree ("id") WHERE "streaming"."events"."status" = 'dead';--> statement-breakpoint
CREATE UNIQUE INDEX "events_position_key" ON "streaming"."events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "events_note_idx" ON "streaming"."events" USING btree ("note_id");--> statement-breakpoint
CREATE INDEX "events_created_at_brin" ON "streaming"."events" USING brin ("created_at");--> statement-breakpoint
CREATE INDEX "fact_hashtags_hashtag_idx" ON "dwh"."fact_hashtags" USING btree ("dimension_hashtag_id");--> statement-breakpoint
CREATE INDEX "facts_country_action_at_idx" ON "dwh"."facts" USING btree ("dimension_id_country","action_at");--> statement-breakpoint
CREATE INDEX "facts_user_action_at_idx" ON "dwh"."facts" USING btree ("action_dimension_id_user","action_at");--> statement-breakpoint
CREATE INDEX "facts_action_at_idx" ON "dwh"."facts" USING btree ("action_at");--> statement-breakpoint
CREATE INDEX "facts_application_idx" ON "dwh"."facts" USING btree ("dimension_application_creation");
--> statement-breakpoint
-- Fixed rows of the warehouse: the unknown country, hours of the week, and the applications
-- detected in opening comments (first match by priority wins; see docs/warehouse.md).
INSERT INTO public.countries (iso_a2, iso_a3, country_name)
VALUES ('ZZ', 'ZZZ', 'Unknown / international waters');
--> statement-breakpoint
INSERT INTO dwh.dimension_time_of_week (dimension_tow_id, iso_dow, hour_of_day, day_name)
SELECT d * 100 + h, d, h,
       (ARRAY['Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'])[d]
FROM generate_series(1, 7) d, generate_series(0, 23) h;
--> statement-breakpoint
-- Every pattern ends in an optional version group, so the end of a match is the version or
-- nothing. '(?i)' makes a pattern case-insensitive; iD's is case-sensitive on purpose.
-- The keyword is a lower-case literal that every match of the pattern contains: the ETL looks
-- for it with strpos in the lower-cased text before it tries the regular expression (each
-- pattern costs ~0.7 us a text; trying all 18 on every opening text was 12-13 ms of a 64 ms
-- 500-event batch). A pattern without a keyword (NULL, e.g. one added by hand) is always tried.
INSERT INTO dwh.dimension_applications (priority, application_name, platform, pattern, keyword)
SELECT priority, name, platform, head || '(?:[ :/]+v?(\d+\.\d+(?:\.\d+)?))?', keyword
FROM (VALUES
  (1, 'StreetComplete', 'android', '(?i)via StreetComplete', 'via streetcomplete'),
  (2, 'MAPS.ME', NULL, '(?i)#mapsme', '#mapsme'),
  (3, 'Every Door', NULL, '(?i)#EveryDoor', '#everydoor'),
  (4, 'OsmAnd', NULL, '(?i)#OsmAnd', '#osmand'),
  (5, 'Locus Map', NULL, '(?i)#LocusMap', '#locusmap'),
  (6, 'Organic Maps (Android)', 'android', '(?i)#organicmaps[ ]+android', '#organicmaps'),
  (7, 'Organic Maps (iOS)', 'ios', '(?i)#organicmaps[ ]+ios', '#organicmaps'),
  (8, 'Organic Maps', NULL, '(?i)#organicmaps', '#organicmaps'),
  (9, 'OSM Report', 'web', '(?i)#osmreport', '#osmreport'),
  (10, 'onosm.org', 'web', '(?i)^\s*onosm\.org', 'onosm.org'),
  (11, 'MapComplete', 'web', '(?i)#MapComplete', '#mapcomplete'),
  (12, 'Mapy.cz', NULL, '(?i)#Mapy\.?cz', '#mapy'),
  (13, 'iD', 'web', '(?:^|[\s(])(?:with )?iD(?=[\s).,:;!]|$)', 'id'),
  (14, 'JOSM', 'desktop', '(?i)\mJOSM\M', 'josm'),
  (15, 'Vespucci', 'android', '(?i)\mVespucci\M', 'vespucci'),
  (16, 'Go Map!!', 'ios', '(?i)\mGo Map(?:!!)?', 'go map'),
  (17, 'Potlatch', 'web', '(?i)\mPotlatch\M', 'potlatch'),
  (18, 'Mapillary', NULL, '(?i)\mMapillary\M', 'mapillary')
) AS a(priority, name, platform, head, keyword)
ORDER BY priority;

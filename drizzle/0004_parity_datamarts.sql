CREATE TABLE "dwh"."datamart_action_days" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"action" "note_event_enum" NOT NULL,
	"day" date NOT NULL,
	"actions" integer NOT NULL,
	"with_text" integer NOT NULL,
	CONSTRAINT "datamart_action_days_scope_key_action_day_pk" PRIMARY KEY("scope","key","action","day")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_action_hours" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"action" "note_event_enum" NOT NULL,
	"hour_of_week" smallint NOT NULL,
	"actions" integer NOT NULL,
	CONSTRAINT "datamart_action_hours_scope_key_action_hour_of_week_pk" PRIMARY KEY("scope","key","action","hour_of_week")
);
--> statement-breakpoint
CREATE TABLE "dwh"."datamart_user_countries" (
	"dimension_user_id" integer NOT NULL,
	"dimension_country_id" integer NOT NULL,
	"month" date NOT NULL,
	"action" "note_event_enum" NOT NULL,
	"actions" integer NOT NULL,
	CONSTRAINT "datamart_user_countries_dimension_user_id_dimension_country_id_month_action_pk" PRIMARY KEY("dimension_user_id","dimension_country_id","month","action")
);
--> statement-breakpoint
-- Hashtag uses gain the kind of action (hashtags of openings, resolutions, comments): the rows
-- are refilled from the facts below.
TRUNCATE "dwh"."datamart_hashtags";--> statement-breakpoint
ALTER TABLE "dwh"."datamart_hashtags" DROP CONSTRAINT "datamart_hashtags_scope_key_year_dimension_hashtag_id_pk";--> statement-breakpoint
ALTER TABLE "dwh"."datamart_hashtags" ADD COLUMN "action" "note_event_enum" NOT NULL;--> statement-breakpoint
ALTER TABLE "dwh"."datamart_hashtags" ADD CONSTRAINT "datamart_hashtags_scope_key_year_action_dimension_hashtag_id_pk" PRIMARY KEY("scope","key","year","action","dimension_hashtag_id");--> statement-breakpoint
CREATE INDEX "datamart_user_countries_country_idx" ON "dwh"."datamart_user_countries" USING btree ("dimension_country_id","month");--> statement-breakpoint
-- A warehouse that already has facts gets the new figures from them, with the definitions of
-- dwh.apply_deltas (a rebuild gives the same rows). The expressions of dwh.utc_date and
-- dwh.hour_of_week_key are written out: on a new database the function files are applied after
-- the migrations.
INSERT INTO "dwh"."datamart_hashtags" (scope, key, year, action, dimension_hashtag_id, uses)
SELECT k.scope, k.key, extract(year FROM (f.action_at AT TIME ZONE 'UTC')::date)::smallint, f.action_comment,
       h.dimension_hashtag_id, count(*)
FROM dwh.fact_hashtags h
JOIN dwh.facts f ON f.id_note = h.id_note AND f.sequence_action = h.sequence_action
CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', f.dimension_id_country),
                           ('user', f.action_dimension_id_user)) k(scope, key)
WHERE k.key IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "dwh"."datamart_action_days" (scope, key, action, day, actions, with_text)
SELECT k.scope, k.key, f.action_comment, (f.action_at AT TIME ZONE 'UTC')::date, count(*), count(f.comment_length)
FROM dwh.facts f
CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', f.dimension_id_country),
                           ('user', f.action_dimension_id_user)) k(scope, key)
WHERE k.key IS NOT NULL
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "dwh"."datamart_action_hours" (scope, key, action, hour_of_week, actions)
SELECT k.scope, k.key, f.action_comment,
       (date_part('isodow', f.action_at AT TIME ZONE 'UTC') * 100 + date_part('hour', f.action_at AT TIME ZONE 'UTC'))::smallint,
       count(*)
FROM dwh.facts f
CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', f.dimension_id_country),
                           ('user', f.action_dimension_id_user)) k(scope, key)
WHERE k.key IS NOT NULL
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "dwh"."datamart_user_countries" (dimension_user_id, dimension_country_id, month, action, actions)
SELECT f.action_dimension_id_user, f.dimension_id_country,
       date_trunc('month', f.action_at AT TIME ZONE 'UTC')::date, f.action_comment, count(*)
FROM dwh.facts f
WHERE f.action_dimension_id_user IS NOT NULL
GROUP BY 1, 2, 3, 4;

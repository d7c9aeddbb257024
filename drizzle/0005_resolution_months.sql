-- The days-to-resolution histogram gains the month of the close (resolutionByMonth): its rows
-- cannot be split by month, so they are refilled from the facts below.
TRUNCATE "dwh"."datamart_resolution_days";--> statement-breakpoint
ALTER TABLE "dwh"."datamart_resolution_days" DROP CONSTRAINT "datamart_resolution_days_scope_key_year_days_pk";--> statement-breakpoint
ALTER TABLE "dwh"."datamart_resolution_days" ADD COLUMN "month" smallint NOT NULL;--> statement-breakpoint
ALTER TABLE "dwh"."datamart_resolution_days" ADD CONSTRAINT "datamart_resolution_days_scope_key_year_month_days_pk" PRIMARY KEY("scope","key","year","month","days");--> statement-breakpoint
-- With the definitions of dwh.apply_deltas (a rebuild gives the same rows); dwh.utc_date is
-- written out, since on a new database the function files are applied after the migrations.
INSERT INTO "dwh"."datamart_resolution_days" (scope, key, year, month, days, closes)
SELECT k.scope, k.key, extract(year FROM (f.action_at AT TIME ZONE 'UTC')::date)::smallint,
       extract(month FROM (f.action_at AT TIME ZONE 'UTC')::date)::smallint, f.days_to_resolution, count(*)
FROM dwh.facts f
CROSS JOIN LATERAL (VALUES ('global'::dwh.datamart_scope, 0), ('country', f.dimension_id_country),
                           ('user', f.action_dimension_id_user)) k(scope, key)
WHERE k.key IS NOT NULL AND f.action_comment = 'closed' AND f.days_to_resolution IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

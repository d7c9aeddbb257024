-- datamart_activity_days is a table again (0005 had made it a view over datamart_action_days).
-- A view that groups cannot take a reader's `key IN (SELECT ...)` condition into its scan, so
-- readers that filter keys that way (last-year activity, per-year dates, activity calendars)
-- summed every key of the scope: 58 ms of PostgreSQL per uncached countryWithSeries request
-- against 4 ms with the table (bench/read-api.ts). The view file is gone; its rows come back
-- from datamart_action_days, as a rebuild would make them.
DROP VIEW IF EXISTS "dwh"."datamart_activity_days";--> statement-breakpoint
CREATE TABLE "dwh"."datamart_activity_days" (
	"scope" "dwh"."datamart_scope" NOT NULL,
	"key" integer NOT NULL,
	"day" date NOT NULL,
	"actions" integer NOT NULL,
	CONSTRAINT "datamart_activity_days_scope_key_day_pk" PRIMARY KEY("scope","key","day")
);--> statement-breakpoint
INSERT INTO "dwh"."datamart_activity_days" (scope, key, day, actions)
SELECT scope, key, day, sum(actions)::int FROM "dwh"."datamart_action_days"
GROUP BY scope, key, day HAVING sum(actions) > 0;

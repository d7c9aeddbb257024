-- Actions per day were kept twice: per (scope, key, day) here and per (scope, key, action, day) in
-- datamart_action_days (0004). The table goes; drizzle/functions/dwh/datamart_activity_days.sql
-- makes a view of the same name and columns over datamart_action_days, so that a batch upserts
-- one per-day table instead of two.
DROP TABLE "dwh"."datamart_activity_days" CASCADE;

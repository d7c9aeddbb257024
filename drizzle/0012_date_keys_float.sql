-- Date and hour-of-week keys from date_part (float8) instead of extract (numeric since
-- PostgreSQL 14): numeric arithmetic made dwh.date_key ~0.9 µs a call against ~0.3 µs, and
-- every fact computes five to eight keys. Same results: checked equal for every 37 min 13 s
-- from 1999-12-25 to 2040-01-05 (565,721 timestamps).
CREATE OR REPLACE FUNCTION dwh.day_key(d date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (date_part('year', d) * 10000 + date_part('month', d) * 100 + date_part('day', d))::integer $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dwh.hour_of_week_key(ts timestamptz) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (date_part('isodow', ts AT TIME ZONE 'UTC') * 100 + date_part('hour', ts AT TIME ZONE 'UTC'))::smallint $$;

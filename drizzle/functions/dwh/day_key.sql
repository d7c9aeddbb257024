-- Day keys are the date as yyyymmdd (dimension_days.dimension_day_id): facts compute them
-- without a lookup.
--
-- date_part (float8) rather than extract (numeric since PostgreSQL 14): numeric arithmetic made
-- dwh.date_key ~0.9 us a call against ~0.3 us, and every fact computes five to eight keys. Same
-- results: checked equal for every 37 min 13 s from 1999-12-25 to 2040-01-05 (565,721
-- timestamps); ~2 % of a 500-event batch.
CREATE OR REPLACE FUNCTION dwh.day_key(d date)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (date_part('year', d) * 10000 + date_part('month', d) * 100 + date_part('day', d))::integer $$;

-- The UTC calendar day of a timestamp: every day of the warehouse (fact dates, days to
-- resolution, datamart days and years) is a UTC day.
CREATE OR REPLACE FUNCTION dwh.utc_date(ts timestamptz)
RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (ts AT TIME ZONE 'UTC')::date $$;

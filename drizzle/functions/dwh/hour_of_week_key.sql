-- Hour-of-week keys (dimension_time_of_week): ISO day of week x 100 + UTC hour, Monday 00:00
-- -> 100, Sunday 23:00 -> 723. date_part rather than extract for the reason in day_key.sql.
CREATE OR REPLACE FUNCTION dwh.hour_of_week_key(ts timestamptz)
RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (date_part('isodow', ts AT TIME ZONE 'UTC') * 100 + date_part('hour', ts AT TIME ZONE 'UTC'))::smallint $$;

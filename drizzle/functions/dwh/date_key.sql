-- The day key (yyyymmdd) of a timestamp's UTC day. A SQL function, inlined by the planner;
-- it needs dwh.day_key and dwh.utc_date to exist first (order.txt).
CREATE OR REPLACE FUNCTION dwh.date_key(ts timestamptz)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT dwh.day_key(dwh.utc_date(ts)) $$;

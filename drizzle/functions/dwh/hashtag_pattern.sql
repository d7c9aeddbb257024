-- Hashtag rule: '#' then word characters, not glued to a word or a URL path ('a#b', '/#x'),
-- nor to an HTML entity ('&#39;'). The second group is the hashtag without its '#'.
CREATE OR REPLACE FUNCTION dwh.hashtag_pattern()
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '(^|[^\w/#&])#(\w+)' $$;

-- The application version without a capturing group. substring(text FROM pattern) with a
-- capturing group makes PostgreSQL's regular-expression engine dissect the match, ~8 µs a note
-- against ~1.5 µs for finding where the match starts and ends. Every application pattern ends
-- in the same optional version group, so the version is the end of the whole match: the match
-- is taken with that group made non-capturing, then its trailing version. Same results on 35
-- texts built to differ (each application, with and without versions, "v" and "/" forms, four-part
-- numbers, text after the version). A 500-note batch's application step took 7-11.5 ms instead of
-- ~14.4 ms; whole 500-event batches, alternated four times on a busy machine, best of five
-- 102-114 ms against 109-116 ms.
SELECT streaming.patch_function('dwh.compute_facts(integer[])',
$old$    SELECT d.dimension_application_id, substring(s.body FROM d.pattern) AS version$old$,
$new$    SELECT d.dimension_application_id,
           substring(substring(s.body FROM replace(d.pattern, '(\d+\.\d+(?:\.\d+)?)', '(?:\d+\.\d+(?:\.\d+)?)'))
                     FROM '\d+\.\d+(?:\.\d+)?$') AS version$new$);

-- Actions per (scope, key, UTC day), all kinds together: the sums of datamart_action_days, which
-- every batch keeps. A view since migration 0005 (it was a table kept beside that one, the same
-- days upserted twice per batch); readers keep its name and columns. Conditions on scope, key and
-- day reach the table's primary key through the grouping.
CREATE OR REPLACE VIEW dwh.datamart_activity_days AS
SELECT a.scope, a.key, a.day, sum(a.actions)::integer AS actions
FROM dwh.datamart_action_days a
GROUP BY a.scope, a.key, a.day;

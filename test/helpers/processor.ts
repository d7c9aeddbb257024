import type pg from 'pg';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/log.ts';
import { Processor } from '../../src/streaming/processor/processor.ts';
import { createProcessorMetrics } from '../../src/streaming/processor/metrics.ts';
import type { TestDatabase } from './database.ts';
import { testConfig } from './server.ts';
import { eventually } from './wait.ts';
import type { Action } from './notes.ts';
import type { Figures, ModelFact } from './warehouse-model.ts';

/** A processor in this process over the test database; stop() it in afterAll. */
export async function startProcessor(testDb: TestDatabase, env: Record<string, string> = {}): Promise<Processor> {
  const config = testConfig({ PROCESSOR_BATCH_WAIT_MS: '0', ...env });
  const processor = new Processor({
    url: testDb.url,
    pool: testDb.database.pool,
    config,
    log: createLogger(config.LOG_LEVEL),
    metrics: createProcessorMetrics(new Registry()),
  });
  await processor.start();
  return processor;
}

/** Waits until no event is pending (the processor has caught up). */
export async function waitForDrained(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM streaming.events WHERE status = 'pending'`);
      return rows[0]!.n === 0;
    },
    { timeoutMs, what: 'the outbox to drain' },
  );
}

/**
 * A batch row written by hand, with no events and no notification, as a processor whose
 * announcement was lost would leave it: a stream hub finds it at its next poll. Its id is far
 * above the others', so it hides later batches of a processor from the hub: write it last.
 */
export async function insertSilentBatch(pool: pg.Pool, committedIn = '0 seconds'): Promise<{ batchId: number; committedAt: Date }> {
  const { rows } = await pool.query<{ batchId: string; committedAt: Date }>(
    `INSERT INTO streaming.batches (batch_id, processor_id, events, first_position, last_position, countries, users, started_at, committed_at)
     SELECT max(batch_id) + 1000000, 'test', 0, NULL, NULL, '{}', '{}', now(), now() + $1::interval FROM streaming.batches
     RETURNING batch_id AS "batchId", committed_at AS "committedAt"`,
    [committedIn],
  );
  return { batchId: Number(rows[0]!.batchId), committedAt: rows[0]!.committedAt };
}

/** The stored facts in the shape of the reference model. */
export type StoredFact = ModelFact & { hashtagNumber: number };

export async function readFacts(pool: pg.Pool): Promise<StoredFact[]> {
  const { rows } = await pool.query(`
    SELECT f.id_note AS note, f.sequence_action AS seq, f.action_comment::text AS action, c.iso_a2 AS country,
           dwh.key_date(f.action_dimension_id_date)::text AS "actionDate",
           f.action_dimension_id_hour_of_week AS "hourOfWeek", au.user_id AS "userId",
           dwh.key_date(f.opened_dimension_id_date)::text AS "openedDate", ou.user_id AS "openedUserId",
           dwh.key_date(f.closed_dimension_id_date)::text AS "closedDate", cu.user_id AS "closedUserId",
           a.application_name AS application, v.version,
           dwh.key_date(f.recent_opened_dimension_id_date)::text AS "recentOpenedDate",
           f.days_to_resolution AS "daysToResolution", f.days_to_resolution_active AS "daysToResolutionActive",
           f.days_to_resolution_from_reopen AS "daysToResolutionFromReopen", f.comment_length AS "commentLength",
           f.has_url AS "hasUrl", f.has_mention AS "hasMention",
           coalesce((SELECT array_agg(h.description ORDER BY b.position) FROM dwh.fact_hashtags b
                     JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)
                     WHERE b.id_note = f.id_note AND b.sequence_action = f.sequence_action), '{}') AS hashtags,
           f.hashtag_number AS "hashtagNumber",
           f.total_comments_on_note AS "totalComments", f.total_reopenings_count AS "totalReopenings",
           f.total_actions_on_note AS "totalActions"
    FROM dwh.facts f
    JOIN dwh.dimension_countries c ON c.dimension_country_id = f.dimension_id_country
    LEFT JOIN dwh.dimension_users au ON au.dimension_user_id = f.action_dimension_id_user
    LEFT JOIN dwh.dimension_users ou ON ou.dimension_user_id = f.opened_dimension_id_user
    LEFT JOIN dwh.dimension_users cu ON cu.dimension_user_id = f.closed_dimension_id_user
    LEFT JOIN dwh.dimension_applications a ON a.dimension_application_id = f.dimension_application_creation
    LEFT JOIN dwh.dimension_application_versions v ON v.dimension_application_version_id = f.dimension_application_version
    ORDER BY f.id_note, f.sequence_action`);
  return rows as StoredFact[];
}

const FIGURES_SQL = (table: string, keyColumn: string, keyJoin: string, scope: string) => `
  SELECT ${keyColumn} AS key,
         d.history_whole_open AS opened, d.history_whole_commented AS commented, d.history_whole_closed AS closed,
         d.history_whole_closed_with_comment AS "closedWithComment", d.history_whole_reopened AS reopened,
         d.history_whole_hidden AS hidden, d.notes_still_open AS "stillOpen", d.notes_resolved AS resolved,
         d.resolution_rate AS "resolutionRate", d.avg_days_to_resolution AS "avgDaysToResolution",
         d.median_days_to_resolution AS "medianDaysToResolution", d.avg_comment_length AS "avgCommentLength",
         d.comments_with_url_pct AS "commentsWithUrlPct", d.comments_with_mention_pct AS "commentsWithMentionPct",
         d.applications_used AS "applicationsUsed", d.first_action_date AS "firstActionDate",
         d.last_action_date AS "lastActionDate",
         coalesce((SELECT json_object_agg(h.description_lower, x.uses) FROM (
            SELECT dimension_hashtag_id, sum(uses)::int AS uses FROM dwh.datamart_hashtags
            WHERE scope = '${scope}' AND key = k.key GROUP BY 1) x
          JOIN dwh.dimension_hashtags h USING (dimension_hashtag_id)), '{}') AS hashtags,
         coalesce((SELECT json_object_agg(a.application_name, x.notes) FROM (
            SELECT dimension_application_id, sum(notes)::int AS notes FROM dwh.datamart_applications
            WHERE scope = '${scope}' AND key = k.key GROUP BY 1) x
          JOIN dwh.dimension_applications a USING (dimension_application_id)), '{}') AS applications
  FROM ${table} d ${keyJoin}`;

export async function readDatamarts(pool: pg.Pool) {
  const countries = await pool.query(
    FIGURES_SQL(
      'dwh.datamart_countries',
      'c.iso_a2',
      'JOIN dwh.dimension_countries c USING (dimension_country_id) CROSS JOIN LATERAL (SELECT d.dimension_country_id AS key) k',
      'country',
    ),
  );
  const users = await pool.query(
    FIGURES_SQL(
      'dwh.datamart_users',
      'u.user_id',
      'JOIN dwh.dimension_users u USING (dimension_user_id) CROSS JOIN LATERAL (SELECT d.dimension_user_id AS key) k',
      'user',
    ),
  );
  const global = await pool.query(FIGURES_SQL('dwh.datamart_global', '0', 'CROSS JOIN LATERAL (SELECT 0 AS key) k', 'global'));
  const strip = (row: Record<string, unknown>) => {
    const { key: _key, ...figures } = row;
    return figures as unknown as Figures;
  };
  return {
    global: global.rows[0] ? strip(global.rows[0]) : undefined,
    countries: new Map(countries.rows.map((r) => [r.key as string, strip(r)])),
    users: new Map(users.rows.map((r) => [r.key as number, strip(r)])),
  };
}

/** Every datamart table as JSON, for "incremental equals rebuild" comparisons. */
export async function datamartSnapshot(pool: pg.Pool): Promise<Record<string, unknown>> {
  const tables = [
    'datamart_years', 'datamart_resolution_days', 'datamart_resolution_months', 'datamart_applications', 'datamart_activity_days',
    'datamart_hashtags', 'datamart_note_states', 'datamart_action_days', 'datamart_action_hours',
    'datamart_user_countries', 'datamart_countries', 'datamart_users', 'datamart_global', 'note_current_state',
  ];
  const parts = await Promise.all(
    tables.map((t) =>
      pool.query(`SELECT coalesce(json_agg(to_jsonb(x) - 'updated_at' ORDER BY (to_jsonb(x) - 'updated_at')::text), '[]') AS j FROM dwh.${t} x`),
    ),
  );
  return Object.fromEntries(tables.map((t, i) => [t, parts[i]!.rows[0].j]));
}

export type { Action };

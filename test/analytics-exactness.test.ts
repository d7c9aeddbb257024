// Figures that must not depend on float noise or processing order: percentiles of days to
// resolution are rounded to DAYS_DECIMALS, and a hashtag is named with the spelling of its
// earliest action, whichever action the processor met first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAYS_DECIMALS } from '../src/resolvers/distributions.ts';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer;

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb);
});

afterAll(async () => {
  await server.stop();
  await processor.stop();
});

describe('percentiles of days to resolution', () => {
  it(`are rounded to ${DAYS_DECIMALS} decimals (percentile_cont gave 1134.6000000000001)`, async () => {
    // Closing facts written directly: the point is their days to resolution.
    await testDb.database.pool.query(
      `INSERT INTO dwh.dimension_countries (country_id, iso_a2, iso_a3, country_name)
       SELECT country_id, iso_a2, iso_a3, country_name FROM public.countries WHERE iso_a2 = 'FR' ON CONFLICT DO NOTHING`,
    );
    await testDb.database.pool.query(
      `INSERT INTO dwh.facts (id_note, sequence_action, dimension_id_country, action_at, action_comment,
         action_dimension_id_date, action_dimension_id_hour_of_week, opened_dimension_id_date,
         opened_dimension_id_hour_of_week, recent_opened_dimension_id_date, days_to_resolution,
         has_url, has_mention, hashtag_number, total_comments_on_note, total_reopenings_count, total_actions_on_note)
       SELECT 90000000 + i, 2, (SELECT min(dimension_country_id) FROM dwh.dimension_countries), t, 'closed',
              dwh.date_key(t), dwh.hour_of_week_key(t), dwh.date_key(t), dwh.hour_of_week_key(t), dwh.date_key(t), d,
              false, false, 0, 0, 0, 2
       FROM unnest(ARRAY[3, 17, 40, 250, 1088, 1091, 1200]) WITH ORDINALITY AS x(d, i),
            LATERAL (SELECT timestamptz '2024-06-01' + i * interval '1 hour' AS t) s`,
    );
    const answer = await graphql<{ resolutionTimes: { percentiles: { percentile: number; days: number }[] } }>(
      server.url,
      '{ resolutionTimes(percentiles: [10, 50, 75, 90, 95, 99]) { percentiles { percentile days } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.resolutionTimes.percentiles).toEqual([
      { percentile: 10, days: 11.4 },
      { percentile: 50, days: 250 },
      { percentile: 75, days: 1089.5 },
      { percentile: 90, days: 1134.6 },
      { percentile: 95, days: 1167.3 },
      { percentile: 99, days: 1193.46 },
    ]);
  });
});

describe('hashtag names', () => {
  const opened = (id: number, at: string, text: string): FixtureNote => ({
    id,
    lat: 48.85,
    lon: 2.35,
    comments: [{ action: 'opened', at, text, uid: 5, user: 'five' }],
  });
  const nameOf = async (lower: string) =>
    (
      await testDb.database.pool.query<{ description: string }>(
        'SELECT description FROM dwh.dimension_hashtags WHERE description_lower = $1',
        [lower],
      )
    ).rows[0]?.description;

  it('take the spelling of the earliest action when an older one is processed later', async () => {
    await insertNotes(testDb.database.pool, [opened(70_001, '2025-06-01T10:00:00Z', 'live #MapathonParis')]);
    await waitForDrained(testDb.database.pool);
    expect(await nameOf('mapathonparis')).toBe('MapathonParis');
    // An import of older notes, processed after the live one.
    await insertNotes(testDb.database.pool, [opened(70_002, '2019-03-01T10:00:00Z', 'history #mapathonParis')]);
    await waitForDrained(testDb.database.pool);
    expect(await nameOf('mapathonparis')).toBe('mapathonParis');
    // A later spelling changes nothing.
    await insertNotes(testDb.database.pool, [opened(70_003, '2025-07-01T10:00:00Z', 'again #MAPATHONPARIS')]);
    await waitForDrained(testDb.database.pool);
    expect(await nameOf('mapathonparis')).toBe('mapathonParis');
  });

  it('take the spelling of the earliest action within one batch, not of the lowest note id', async () => {
    await insertNotes(testDb.database.pool, [
      opened(70_010, '2025-06-01T10:00:00Z', 'newer #CleanUpDay'),
      opened(70_020, '2018-06-01T10:00:00Z', 'older #cleanupDAY'),
    ]);
    await waitForDrained(testDb.database.pool);
    expect(await nameOf('cleanupday')).toBe('cleanupDAY');
  });
});

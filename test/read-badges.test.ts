// Badges derived from a user's figures (milestones, streaks, quality, fast closes), worked out by
// hand below, and pushed through datamartUpdated when a batch earns one.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { collect, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const cat = { uid: 21, user: 'cat' };
const dog = { uid: 22, user: 'dog' };
const day = (iso: string, plus: number) => new Date(Date.parse(iso) + plus * 86_400_000).toISOString();
const REPLY = 'Resolved after a survey, see https://www.openstreetmap.org/ and thanks @cat for the report';

// cat opens a note a day from 1 to 30 May 2013, then one in June and one in July 2013 and one in
// July 2018; dog
// closes each May note the next day (2 to 31 May) with a long text holding a URL and a mention.
const NOTES: FixtureNote[] = [
  ...Array.from({ length: 30 }, (_, i): FixtureNote => ({
    id: 700 + i, lat: 48.85, lon: 2.35, comments: [
      { action: 'opened', at: day('2013-05-01T12:00:00Z', i), ...cat, text: `Note ${i}` },
      { action: 'closed', at: day('2013-05-02T12:00:00Z', i), ...dog, text: REPLY },
    ],
  })),
  { id: 740, lat: 48.85, lon: 2.35, comments: [{ action: 'opened', at: '2013-06-15T12:00:00Z', ...cat, text: 'June' }] },
  { id: 741, lat: 48.85, lon: 2.35, comments: [{ action: 'opened', at: '2013-07-10T12:00:00Z', ...cat, text: 'July' }] },
  { id: 742, lat: 48.85, lon: 2.35, comments: [{ action: 'opened', at: '2018-07-01T12:00:00Z', ...cat, text: 'Later' }] },
];

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
const clients: Client[] = [];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  await insertNotes(testDb.database.pool, NOTES);
  await waitForDrained(testDb.database.pool);
  server = await startTestServer(testDb, { realtime: true });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
  await processor?.stop();
});

async function badges(userId: number): Promise<string[]> {
  const result = await graphql<{ user: { stats: { badges: { id: string }[] } } }>(server.url, `{ user(id: ${userId}) { stats { badges { id } } } }`);
  expect(result.errors).toBeUndefined();
  return result.data!.user.stats.badges.map((b) => b.id);
}

describe('badges', () => {
  it('are derived from the figures: milestones, streaks of days, weeks and months, early and long-time', async () => {
    // 33 openings; 30 consecutive days; ISO weeks of 29 April to 27 May (5); May to July 2013 (3).
    expect(await badges(21)).toEqual([
      'FIRST_NOTE', 'OPENED_10', 'DAILY_CONTRIBUTOR', 'PERFECT_WEEK', 'PERFECT_MONTH', 'WEEKLY_CONTRIBUTOR',
      'MONTHLY_CONTRIBUTOR', 'EARLY_ADOPTER', 'LONG_TIME_HELPER',
    ]);
    // 30 closes with text on 30 consecutive days; every text longer than 50 characters, with a URL and a mention.
    expect(await badges(22)).toEqual([
      'FIRST_CLOSE', 'CLOSED_10', 'PROBLEM_SOLVER', 'DAILY_CONTRIBUTOR', 'PERFECT_WEEK', 'PERFECT_MONTH',
      'CONSISTENT_HELPER', 'WEEKLY_CONTRIBUTOR', 'QUALITY_CONTRIBUTOR', 'COLLABORATIVE', 'RESOURCEFUL',
    ]);
  });

  it('are none for a country and the world', async () => {
    const result = await graphql<{ country: { stats: { badges: unknown[] } }; globalStats: { badges: unknown[] } }>(
      server.url,
      '{ country(code: "FR") { stats { badges { id } } } globalStats { badges { id } } }',
    );
    expect(result.data).toEqual({ country: { stats: { badges: [] } }, globalStats: { badges: [] } });
  });

  it('earned by a batch are pushed through datamartUpdated, once', async () => {
    const client = wsClient(server.url);
    clients.push(client);
    const updates = collect<{ datamartUpdated: { userId: number; badgesEarned: { id: string; name: string }[] } }>(
      client,
      'subscription { datamartUpdated(scope: USER, id: "22") { userId badgesEarned { id name } } }',
    );
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1);
    // The baseline of user 22 is read when the subscription opens.
    await new Promise((r) => setTimeout(r, 300));
    // Speed Demon: a close within an hour of the note's creation; and, dog's first action being in
    // 2013, Long Time Helper.
    const now = Date.now();
    await insertNotes(testDb.database.pool, [{
      id: 760, lat: 48.85, lon: 2.35, comments: [
        { action: 'opened', at: new Date(now - 60_000).toISOString(), ...cat, text: 'Quick one' },
        { action: 'closed', at: new Date(now).toISOString(), ...dog, text: REPLY },
      ],
    }]);
    await eventually(() => updates.items.some((u) => u.datamartUpdated.badgesEarned.length > 0), { what: 'a badge update' });
    const earned = updates.items.filter((u) => u.datamartUpdated.badgesEarned.length > 0);
    expect(earned).toEqual([{ datamartUpdated: { userId: 22, badgesEarned: [
      { id: 'SPEED_DEMON', name: 'Speed Demon' }, { id: 'LONG_TIME_HELPER', name: 'Long Time Helper' },
    ] } }]);
    // The batch itself was announced as usual, without badges.
    expect(updates.items.some((u) => u.datamartUpdated.badgesEarned.length === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(updates.items.filter((u) => u.datamartUpdated.badgesEarned.length > 0)).toHaveLength(1);
    updates.stop();
  });
});

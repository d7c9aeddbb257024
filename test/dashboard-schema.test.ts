// The schema pieces of the live dashboard (issue 24): rolling rankings (query and subscription),
// the pipeline's recent history (query and subscription) and Stats.activityCalendar, which
// replaces the deprecated lastYearActivity string.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer, graphql } from './helpers/server.ts';
import { collect, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let server: RunningServer;
let processor: Processor;

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const berlin = { lat: 52.52, lon: 13.4 };
const paris = { lat: 48.85, lon: 2.35 };

/** Actions 2 min ago (both windows), 30 min ago (the hour only) and 2 h ago (neither). */
const NOTES: FixtureNote[] = [
  { id: 1, ...berlin, comments: [
    { action: 'opened', at: ago(2), uid: 11, user: 'anna', text: 'Bench missing #mapathon via StreetComplete 57.1' },
    { action: 'commented', at: ago(1.5), uid: 12, user: 'ben', text: 'seen it #mapathon' },
  ] },
  { id: 2, ...berlin, comments: [{ action: 'opened', at: ago(1), uid: 11, user: 'anna', text: 'Shop closed #survey' }] },
  { id: 3, ...paris, comments: [{ action: 'opened', at: ago(30), uid: 13, user: 'chloé', text: 'Road renamed #survey #survey2 #OsmAnd' }] },
  { id: 4, ...paris, comments: [{ action: 'opened', at: ago(120), uid: 13, user: 'chloé', text: 'Old one #mapathon' }] },
];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true, env: { ALERT_EVALUATION_SECONDS: '1' } });
  await insertNotes(testDb.database.pool, NOTES);
  await waitForDrained(testDb.database.pool);
});

afterAll(async () => {
  await server.stop();
  await processor.stop();
});

const RANKINGS = `query ($window: RollingWindow!, $limit: Int) {
  rollingRankings(window: $window, limit: $limit) {
    window from to actions
    countries { rank key label actions } hashtags { rank key label actions }
    applications { rank key label actions } users { rank key label actions }
  }
}`;

type Item = { rank: number; key: string; label: string; actions: number };
type Rankings = { window: string; from: string; to: string; actions: number; countries: Item[]; hashtags: Item[]; applications: Item[]; users: Item[] };
const places = (items: Item[]) => items.map((i) => `${i.rank} ${i.key} ${i.label} ${i.actions}`);

describe('rollingRankings', () => {
  it('ranks the last 10 minutes of actions by action time: countries, hashtags, applications, users', async () => {
    const { data, errors } = await graphql<{ rollingRankings: Rankings }>(server.url, RANKINGS, { window: 'LAST_10_MINUTES' });
    expect(errors).toBeUndefined();
    const r = data!.rollingRankings;
    expect(r.window).toBe('LAST_10_MINUTES');
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(600_000);
    expect(r.actions).toBe(3);
    expect(places(r.countries)).toEqual(['1 DE Germany 3']);
    expect(places(r.hashtags)).toEqual(['1 mapathon mapathon 2', '2 survey survey 1']);
    expect(places(r.applications)).toEqual(['1 StreetComplete StreetComplete 2']);
    expect(places(r.users)).toEqual(['1 11 anna 2', '2 12 ben 1']);
  });

  it('ranks the last hour, with the limit applied to each ranking', async () => {
    const { data } = await graphql<{ rollingRankings: Rankings }>(server.url, RANKINGS, { window: 'LAST_HOUR', limit: 1 });
    const r = data!.rollingRankings;
    expect(r.actions).toBe(4);
    expect(places(r.countries)).toEqual(['1 DE Germany 3']);
    // mapathon 2, survey 2: the tie goes to the key first in order.
    expect(places(r.hashtags)).toEqual(['1 mapathon mapathon 2']);
    expect(places(r.applications)).toEqual(['1 StreetComplete StreetComplete 2']);
    expect(places(r.users)).toEqual(['1 11 anna 2']);
  });

  it('refuses a limit outside 1 to 50', async () => {
    const { errors } = await graphql(server.url, RANKINGS, { window: 'LAST_HOUR', limit: 51 });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('rollingRankingsChanged', () => {
  it('sends the rankings at once, then again after new facts are processed', async () => {
    const client = wsClient(server.url);
    const sub = collect<{ rollingRankingsChanged: Rankings }>(
      client,
      `subscription { rollingRankingsChanged(window: LAST_10_MINUTES, limit: 3) { actions countries { key actions } users { key actions } } }`,
    );
    try {
      await eventually(() => sub.items.length >= 1, { what: 'the first rankings' });
      expect(sub.items[0]!.rollingRankingsChanged.actions).toBe(3);
      await insertNotes(testDb.database.pool, [
        { id: 5, ...paris, comments: [{ action: 'opened', at: ago(0.2), uid: 14, user: 'dan', text: 'New crossing' }] },
      ]);
      const latest = await eventually(
        () => sub.items.map((i) => i.rollingRankingsChanged).find((r) => r.actions === 4),
        { timeoutMs: 15_000, what: 'rankings with the new action' },
      );
      expect(latest.countries).toEqual([{ key: 'DE', actions: 3 }, { key: 'FR', actions: 1 }]);
      expect(latest.users.map((u) => u.key)).toContain('14');
      expect(sub.errors).toEqual([]);
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});

describe('pipelineHistory', () => {
  const FIELDS = 'at receivedPerSecond processedPerSecond lagSeconds backlog deadLetters processorsLive listenerDownSeconds subscribers';

  it('keeps a sample per alert evaluation, the first without rates, oldest first', async () => {
    const history = await eventually(
      async () => {
        const { data } = await graphql<{ pipelineHistory: { intervalSeconds: number; samples: Record<string, unknown>[] } }>(
          server.url,
          `{ pipelineHistory(lastSeconds: 3600) { intervalSeconds samples { ${FIELDS} } } }`,
        );
        return data!.pipelineHistory.samples.length >= 3 ? data!.pipelineHistory : undefined;
      },
      { timeoutMs: 15_000, what: 'three samples' },
    );
    expect(history.intervalSeconds).toBe(1);
    const [first, ...rest] = history.samples;
    expect(first!.receivedPerSecond).toBeNull();
    for (const sample of rest) {
      expect(sample.receivedPerSecond).toBeGreaterThanOrEqual(0);
      expect(sample.processedPerSecond).toBeGreaterThanOrEqual(0);
      expect(sample.processorsLive).toBe(1);
      expect(sample.listenerDownSeconds).toBe(0);
    }
    const times = history.samples.map((s) => Date.parse(s.at as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('counts received and processed events between samples', async () => {
    const before = Date.now();
    await insertNotes(testDb.database.pool, [
      { id: 6, ...paris, comments: [
        { action: 'opened', at: ago(0.1), uid: 14, user: 'dan', text: 'one' },
        { action: 'commented', at: ago(0.05), uid: 15, user: 'eve', text: 'two' },
      ] },
    ]);
    await waitForDrained(testDb.database.pool);
    const samples = await eventually(
      async () => {
        const { data } = await graphql<{ pipelineHistory: { intervalSeconds: number; samples: { at: string; receivedPerSecond: number | null; processedPerSecond: number | null }[] } }>(
          server.url,
          `{ pipelineHistory(lastSeconds: 60) { intervalSeconds samples { at receivedPerSecond processedPerSecond } } }`,
        );
        const all = data!.pipelineHistory.samples;
        // Rates × interval length, summed over the samples since the insert: the two events.
        const since = all.filter((s, i) => i > 0 && Date.parse(all[i - 1]!.at) >= before - 1000);
        const seconds = (i: number) => (Date.parse(since[i]!.at) - Date.parse(all[all.indexOf(since[i]!) - 1]!.at)) / 1000;
        const received = since.reduce((sum, s, i) => sum + (s.receivedPerSecond ?? 0) * seconds(i), 0);
        const processed = since.reduce((sum, s, i) => sum + (s.processedPerSecond ?? 0) * seconds(i), 0);
        return Math.round(received) >= 2 && Math.round(processed) >= 2 ? { received, processed } : undefined;
      },
      { timeoutMs: 15_000, what: 'samples that saw the two events come in and go out' },
    );
    expect(Math.round(samples.received)).toBe(2);
    expect(Math.round(samples.processed)).toBe(2);
  });

  it('pipelineSampled sends each new sample', async () => {
    const client = wsClient(server.url);
    const sub = collect<{ pipelineSampled: { at: string; subscribers: number } }>(client, `subscription { pipelineSampled { at subscribers } }`);
    try {
      await eventually(() => sub.items.length >= 2, { timeoutMs: 10_000, what: 'two samples' });
      const [a, b] = sub.items.map((i) => Date.parse(i.pipelineSampled.at));
      expect(b!).toBeGreaterThan(a!);
      expect(sub.errors).toEqual([]);
    } finally {
      sub.stop();
      await client.dispose();
    }
  });
});

describe('Stats.activityCalendar', () => {
  it('gives every day ending today with its actions, and lastYearActivity is deprecated', async () => {
    const { data, errors } = await graphql<{
      globalStats: { activityCalendar: { date: string; count: number }[]; lastYearActivity: string };
      country: { stats: { activityCalendar: { date: string; count: number }[] } };
      __type: { fields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] };
    }>(
      server.url,
      `{ globalStats { activityCalendar(days: 3) { date count } lastYearActivity }
         country(code: "DE") { stats { activityCalendar { date count } } }
         __type(name: "Stats") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    expect(errors).toBeUndefined();
    const days = [2, 1, 0].map((n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10));
    const calendar = data!.globalStats.activityCalendar;
    expect(calendar.map((d) => d.date)).toEqual(days);
    // Every action inserted here is from the last two hours (today, or yesterday just after midnight).
    const facts = await testDb.database.pool.query<{ day: string; n: number }>(
      `SELECT to_char((action_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM dwh.facts GROUP BY 1`,
    );
    const expected = new Map(facts.rows.map((r) => [r.day, r.n]));
    expect(calendar.map((d) => d.count)).toEqual(days.map((d) => expected.get(d) ?? 0));
    expect(data!.globalStats.lastYearActivity.slice(-3)).toBe(calendar.map((d) => (d.count === 0 ? '0' : String(Math.min(9, Math.ceil(Math.log2(d.count + 1)))))).join(''));
    expect(data!.country.stats.activityCalendar).toHaveLength(371);
    expect(data!.country.stats.activityCalendar.reduce((sum, d) => sum + d.count, 0)).toBe(3);
    const field = data!.__type.fields.find((f) => f.name === 'lastYearActivity')!;
    expect(field.isDeprecated).toBe(true);
    expect(field.deprecationReason).toMatch(/activityCalendar/);
  });

  it('refuses days outside 1 to 3660', async () => {
    const { errors } = await graphql(server.url, `{ globalStats { activityCalendar(days: 0) { date } } }`);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

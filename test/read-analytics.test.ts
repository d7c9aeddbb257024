// Ad-hoc analytics (activity, top, resolutionTimes, busiestHours) equal the same figures computed
// in the test from the reference model's facts.
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useLoadedServer } from './helpers/loaded-server.ts';
import { bucketStart, percentile, ranking, timedFacts, type TimedFact } from './helpers/read-api.ts';
import { graphql } from './helpers/server.ts';
import { median } from './helpers/warehouse-model.ts';

const FACTS = timedFacts(FIXTURE_NOTES);
const ACTIONS = ['opened', 'commented', 'closed', 'reopened', 'hidden'] as const;
type Grouping = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

const loaded = useLoadedServer(FIXTURE_NOTES);

async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await graphql<T>(loaded.server.url, text, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

async function errorOf(text: string, variables?: Record<string, unknown>) {
  const result = await graphql(loaded.server.url, text, variables);
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}

/** The series the model expects: every bucket an hour of [from, to) falls in, with its counts. */
function modelSeries(facts: TimedFact[], groupBy: Grouping, from: string, to: string) {
  const starts = new Set<string>();
  for (let t = Date.parse(from); t < Date.parse(to); t += 3_600_000) starts.add(bucketStart(new Date(t).toISOString(), groupBy));
  const byBucket = new Map<string, TimedFact[]>();
  for (const f of facts) byBucket.set(bucketStart(f.at, groupBy), [...(byBucket.get(bucketStart(f.at, groupBy)) ?? []), f]);
  return [...starts].sort().map((start) => {
    const inBucket = byBucket.get(start) ?? [];
    const counts = Object.fromEntries(ACTIONS.map((a) => [a, inBucket.filter((f) => f.action === a).length]));
    return { start, ...counts, total: inBucket.length };
  });
}

const SERIES = 'start opened commented closed reopened hidden total';

describe('activity', () => {
  const first = FACTS.map((f) => f.at).sort()[0]!;
  const last = FACTS.map((f) => f.at).sort().at(-1)!;
  const justAfter = new Date(Date.parse(last) + 1).toISOString();

  it.each(['DAY', 'WEEK', 'MONTH', 'YEAR'] as const)('by %s from the first to the last action, empty buckets included', async (groupBy) => {
    const { activity } = await query<{ activity: unknown[] }>(`{ activity(groupBy: ${groupBy}) { ${SERIES} } }`);
    expect(activity).toEqual(modelSeries(FACTS, groupBy, bucketStart(first, 'HOUR'), justAfter));
  });

  it('by HOUR within a range, for one country', async () => {
    const from = '2023-12-30T00:00:00.000Z';
    const to = '2024-01-12T00:00:00.000Z';
    const { activity } = await query<{ activity: { total: number }[] }>(
      `query($from: DateTime, $to: DateTime) { activity(groupBy: HOUR, from: $from, to: $to, filter: { country: "DE" }) { ${SERIES} } }`,
      { from, to },
    );
    expect(activity).toHaveLength(13 * 24);
    expect(activity).toEqual(modelSeries(FACTS.filter((f) => f.country === 'DE'), 'HOUR', from, to));
    expect(activity.reduce((n, b) => n + b.total, 0)).toBe(4);
  });

  it('refuses a series of more than 10000 buckets with a clear message', async () => {
    const error = await errorOf('{ activity(groupBy: HOUR) { start } }');
    expect(error.message).toMatch(/more than 10000 HOUR buckets; narrow from\/to or group by a longer period/);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'groupBy' });
  });
});

describe('top', () => {
  const in2024 = FACTS.filter((f) => f.at.startsWith('2024'));
  const count = (action?: string) => (group: TimedFact[]) => group.filter((f) => !action || f.action === action).length;
  const closes = (group: TimedFact[]) => group.filter((f) => f.action === 'closed' && f.daysToResolution !== null).map((f) => f.daysToResolution!);
  const mean = (group: TimedFact[]) => {
    const days = closes(group);
    return days.length ? Math.round((100 * days.reduce((a, b) => a + b, 0)) / days.length) / 100 : null;
  };
  const tagUses = (facts: TimedFact[]) => facts.flatMap((f) => f.hashtags.map((h) => ({ ...f, tag: h.toLowerCase() })));

  const cases: [string, string, () => { rank: number; key: string; value: number }[]][] = [
    ['countries by notes opened', 'dimension: COUNTRY, metric: OPENED', () => ranking(FACTS, (f) => f.country, count('opened'))],
    ['users by actions in 2024', 'dimension: USER, metric: ACTIONS, period: { year: 2024 }', () =>
      ranking(in2024, (f) => (f.userId === null ? null : String(f.userId)), count())],
    ['applications by notes', 'dimension: APPLICATION, metric: NOTES, limit: 3', () =>
      ranking(FACTS, (f) => f.application, (g) => new Set(g.map((f) => f.note)).size, 3)],
    ['hashtags by uses', 'dimension: HASHTAG, metric: ACTIONS, limit: 50', () => ranking(tagUses(FACTS), (f) => f.tag, count(), 50)],
    ['users by closes in a country', 'dimension: USER, metric: CLOSED, filter: { country: "FR" }', () =>
      ranking(FACTS.filter((f) => f.country === 'FR'), (f) => (f.userId === null ? null : String(f.userId)), count('closed'))],
    ['countries by median days to resolution', 'dimension: COUNTRY, metric: MEDIAN_DAYS_TO_RESOLUTION', () =>
      ranking(FACTS, (f) => f.country, (g) => median(closes(g)), 10, true)],
    ['users by mean days to resolution, fastest first', 'dimension: USER, metric: AVG_DAYS_TO_RESOLUTION, direction: ASC', () =>
      ranking(FACTS, (f) => (f.userId === null ? null : String(f.userId)), mean, 10, true, 'ASC')],
  ];

  it.each(cases)('%s', async (_name, args, expected) => {
    const { top } = await query<{ top: { rank: number; key: string; value: number }[] }>(`{ top(${args}) { rank key value } }`);
    const want = expected();
    expect(want.length).toBeGreaterThan(0);
    expect(top.map((e) => ({ ...e, key: e.key.toLowerCase() }))).toEqual(want.map((e) => ({ ...e, key: e.key.toLowerCase() })));
  });

  it('links each entry to its object', async () => {
    const { users, countries } = await query<{
      users: { label: string; user: { username: string } }[];
      countries: { key: string; country: { code: string }; user: null }[];
    }>(`{ users: top(dimension: USER, metric: OPENED, limit: 1) { label user { username } }
          countries: top(dimension: COUNTRY, metric: ACTIONS, limit: 1) { key country { code } user { id } } }`);
    expect(users[0]).toEqual({ label: 'alice', user: { username: 'alice' } });
    expect(countries[0]!.country.code).toBe(countries[0]!.key);
    expect(countries[0]!.user).toBeNull();
  });

  it('explains bad arguments', async () => {
    const limit = await errorOf('{ top(dimension: COUNTRY, metric: OPENED, limit: 1000) { rank } }');
    expect(limit.message).toBe('limit must be between 1 and 100, got 1000');
    const period = await errorOf('{ top(dimension: COUNTRY, metric: OPENED, period: { year: 2024, from: "2024-01-01T00:00:00Z" }) { rank } }');
    expect(period.message).toBe('give either year or from/to in period, not both');
    const app = await errorOf('{ top(dimension: USER, metric: OPENED, filter: { application: "Notepad" }) { rank } }');
    expect(app.message).toMatch(/^unknown application "Notepad"; known: .*StreetComplete/);
    expect(app.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.application' });
  });
});

describe('resolution times', () => {
  const distribution = (facts: TimedFact[]) => {
    const days = facts.filter((f) => f.action === 'closed' && f.daysToResolution !== null).map((f) => f.daysToResolution!);
    const edges = [0, 1, 2, 8, 31, 91, 366];
    return {
      closes: days.length,
      minDays: days.length ? Math.min(...days) : null,
      maxDays: days.length ? Math.max(...days) : null,
      meanDays: days.length ? Math.round((100 * days.reduce((a, b) => a + b, 0)) / days.length) / 100 : null,
      percentiles: [10, 25, 50, 75, 90, 95, 99].map((p) => ({ percentile: p, days: percentile(days, p) })),
      histogram: edges.map((from, i) => ({
        fromDays: from,
        toDays: edges[i + 1] ?? null,
        closes: days.filter((d) => d >= from && (edges[i + 1] === undefined || d < edges[i + 1]!)).length,
      })),
    };
  };
  const FIELDS = 'closes minDays maxDays meanDays percentiles { percentile days } histogram { fromDays toDays closes }';

  it('over all closes and over a filtered, time-bounded selection', async () => {
    const all = await query<{ resolutionTimes: unknown }>(`{ resolutionTimes { ${FIELDS} } }`);
    expect(all.resolutionTimes).toEqual(distribution(FACTS));
    const some = await query<{ resolutionTimes: unknown }>(
      `{ resolutionTimes(filter: { country: "DE" }, from: "2024-01-01T00:00:00Z") { ${FIELDS} } }`,
    );
    expect(some.resolutionTimes).toEqual(distribution(FACTS.filter((f) => f.country === 'DE' && f.at >= '2024')));
  });

  it('takes the percentiles asked for and refuses impossible ones', async () => {
    const { resolutionTimes } = await query<{ resolutionTimes: { percentiles: unknown } }>(
      '{ resolutionTimes(percentiles: [0, 33.3, 100]) { percentiles { percentile days } } }',
    );
    const days = FACTS.filter((f) => f.action === 'closed').map((f) => f.daysToResolution!);
    expect(resolutionTimes.percentiles).toEqual([0, 33.3, 100].map((p) => ({ percentile: p, days: percentile(days, p) })));
    expect((await errorOf('{ resolutionTimes(percentiles: [150]) { closes } }')).message).toBe(
      'percentiles must be 1 to 20 numbers from 0 to 100',
    );
  });
});

describe('busiest hours', () => {
  it('lists the 168 hours of the week by actions, busiest first', async () => {
    const { busiestHours } = await query<{ busiestHours: { hourOfWeek: number; actions: number; opened: number }[] }>(
      '{ busiestHours { hourOfWeek isoDayOfWeek hour dayName actions opened } }',
    );
    const keys = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d + 1) * 100 + h)).flat();
    const expected = keys
      .map((key) => ({
        hourOfWeek: key,
        actions: FACTS.filter((f) => f.hourOfWeek === key).length,
        opened: FACTS.filter((f) => f.hourOfWeek === key && f.action === 'opened').length,
      }))
      .sort((a, b) => b.actions - a.actions || a.hourOfWeek - b.hourOfWeek);
    expect(busiestHours.map(({ hourOfWeek, actions, opened }) => ({ hourOfWeek, actions, opened }))).toEqual(expected);
    expect(busiestHours[0]).toMatchObject({ isoDayOfWeek: Math.floor(expected[0]!.hourOfWeek / 100), hour: expected[0]!.hourOfWeek % 100 });
  });

  it('filters by user and time', async () => {
    const { busiestHours } = await query<{ busiestHours: { hourOfWeek: number; actions: number }[] }>(
      '{ busiestHours(filter: { user: 1 }, to: "2024-04-01T00:00:00Z", limit: 3) { hourOfWeek actions } }',
    );
    const mine = FACTS.filter((f) => f.userId === 1 && f.at < '2024-04-01');
    const counts = new Map<number, number>();
    for (const f of mine) counts.set(f.hourOfWeek, (counts.get(f.hourOfWeek) ?? 0) + 1);
    const expected = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3).map(([hourOfWeek, actions]) => ({ hourOfWeek, actions }));
    expect(busiestHours).toEqual(expected);
  });
});

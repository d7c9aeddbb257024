// Datamart-parity figures (docs/parity.md) on hand-written notes whose answers are worked out by
// hand below, for a user, a country and the world; and incremental figures equal to a rebuild.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contributorType } from '../src/resolvers/stats-health.ts';
import { EMPTY_STATS } from '../src/resolvers/stats.ts';
import { rebuildDatamarts } from '../src/streaming/processor/admin.ts';
import { useLoadedServer } from './helpers/loaded-server.ts';
import type { FixtureNote } from './helpers/notes.ts';
import { datamartSnapshot } from './helpers/processor.ts';
import { graphql } from './helpers/server.ts';

const TODAY = new Date().toISOString().slice(0, 10);
/** Seconds into today (UTC): always today's date, whenever the test runs. */
const todayAt = (second: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + second * 1000).toISOString();

const FR = { lat: 48.85, lon: 2.35 };
const DE = { lat: 52.52, lon: 13.4 };
const ann = { uid: 11, user: 'ann' };
const ben = { uid: 12, user: 'ben' };

export const PARITY_NOTES: FixtureNote[] = [
  { id: 501, ...FR, comments: [
    { action: 'opened', at: '2024-03-04T09:15:00Z', ...ann, text: 'Bench gone #parks' },
    { action: 'commented', at: '2024-03-04T10:00:00Z', ...ben, text: 'looking #survey @ann' },
    { action: 'commented', at: '2024-03-04T10:30:00Z', ...ann, text: 'thanks' },
    { action: 'closed', at: '2024-03-05T11:30:00Z', ...ben, text: 'fixed #survey' },
  ] },
  { id: 502, ...FR, comments: [
    { action: 'opened', at: '2024-03-04T09:45:00Z', ...ann, text: 'Shop closed #parks' },
    { action: 'closed', at: '2024-03-06T08:00:00Z', ...ben },
  ] },
  { id: 503, ...DE, comments: [
    { action: 'opened', at: '2024-03-10T23:10:00Z', ...ben, text: 'Road renamed (JOSM)' },
    { action: 'commented', at: '2024-03-11T00:05:00Z', ...ann, text: 'which one? #survey' },
    { action: 'closed', at: '2024-03-11T07:00:00Z', ...ann, text: 'done' },
  ] },
  { id: 504, ...DE, comments: [{ action: 'opened', at: todayAt(1), ...ann, text: 'New note via StreetComplete 58.1' }] },
  { id: 505, ...DE, comments: [
    { action: 'opened', at: todayAt(2), ...ben, text: 'Another' },
    { action: 'closed', at: todayAt(3), ...ann, text: 'ok' },
  ] },
];

const loaded = useLoadedServer(PARITY_NOTES);

async function query<T>(text: string): Promise<T> {
  const result = await graphql<T>(loaded.server.url, text);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const counts = (opened: number, closed: number, closedWithComment: number) =>
  ({ opened, commented: 0, closed, closedWithComment, reopened: 0, hidden: 0 });
const PERIODS = `today { opened commented closed closedWithComment reopened hidden }
  thisMonth { opened commented closed closedWithComment reopened hidden }
  thisYear { opened commented closed closedWithComment reopened hidden }`;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe('parity: activity figures', () => {
  it('count today, this month and this year apart from the whole history', async () => {
    const data = await query<Record<string, { stats: Record<string, unknown> }> & { globalStats: Record<string, unknown> }>(`{
      ann: user(id: 11) { stats { ${PERIODS} } } ben: user(id: 12) { stats { ${PERIODS} } }
      fr: country(code: "FR") { stats { ${PERIODS} } } de: country(code: "DE") { stats { ${PERIODS} } }
      globalStats { ${PERIODS} } }`);
    const same = (c: ReturnType<typeof counts>) => ({ today: c, thisMonth: c, thisYear: c });
    expect(data.ann!.stats).toEqual(same(counts(1, 1, 1)));
    expect(data.ben!.stats).toEqual(same(counts(1, 0, 0)));
    expect(data.fr!.stats).toEqual(same(counts(0, 0, 0)));
    expect(data.de!.stats).toEqual(same(counts(2, 1, 1)));
    expect(data.globalStats).toEqual(same(counts(2, 1, 1)));
  });

  it('give the first and latest action of each kind, and the days started and since', async () => {
    const marks = `actionMarks { action count first { noteId at } latest { noteId at } }
      dateStartedCreating dateStartedSolving daysSinceLastAction`;
    const data = await query<{ ann: { stats: unknown }; ben: { stats: unknown }; fr: { stats: unknown } }>(`{
      ann: user(id: 11) { stats { ${marks} } } ben: user(id: 12) { stats { ${marks} } }
      fr: country(code: "FR") { stats { ${marks} } } }`);
    const at = (iso: string) => new Date(iso).toISOString();
    expect(data.ann.stats).toEqual({
      actionMarks: [
        { action: 'OPENED', count: 3, first: { noteId: 501, at: at('2024-03-04T09:15:00Z') }, latest: { noteId: 504, at: todayAt(1) } },
        { action: 'CLOSED', count: 2, first: { noteId: 503, at: at('2024-03-11T07:00:00Z') }, latest: { noteId: 505, at: todayAt(3) } },
        { action: 'COMMENTED', count: 2, first: { noteId: 501, at: at('2024-03-04T10:30:00Z') }, latest: { noteId: 503, at: at('2024-03-11T00:05:00Z') } },
      ],
      dateStartedCreating: '2024-03-04',
      dateStartedSolving: '2024-03-11',
      daysSinceLastAction: 0,
    });
    expect(data.ben.stats).toEqual({
      actionMarks: [
        { action: 'OPENED', count: 2, first: { noteId: 503, at: at('2024-03-10T23:10:00Z') }, latest: { noteId: 505, at: todayAt(2) } },
        { action: 'CLOSED', count: 2, first: { noteId: 501, at: at('2024-03-05T11:30:00Z') }, latest: { noteId: 502, at: at('2024-03-06T08:00:00Z') } },
        { action: 'COMMENTED', count: 1, first: { noteId: 501, at: at('2024-03-04T10:00:00Z') }, latest: { noteId: 501, at: at('2024-03-04T10:00:00Z') } },
      ],
      dateStartedCreating: '2024-03-10',
      dateStartedSolving: '2024-03-05',
      daysSinceLastAction: 0,
    });
    expect(data.fr.stats).toMatchObject({
      dateStartedCreating: '2024-03-04',
      dateStartedSolving: '2024-03-05',
      daysSinceLastAction: dayNumber(TODAY) - dayNumber('2024-03-06'),
    });
  });

  it('rank peak days, most first and the earlier day on ties', async () => {
    const data = await query<{ ann: { stats: unknown }; ben: { stats: unknown }; fr: { stats: unknown } }>(`{
      ann: user(id: 11) { stats { peakDays(action: OPENED) { date count } } }
      ben: user(id: 12) { stats { peakDays(action: CLOSED) { date count } } }
      fr: country(code: "FR") { stats { peakDays(action: OPENED, first: 1) { date count } } } }`);
    expect(data.ann.stats).toEqual({ peakDays: [{ date: '2024-03-04', count: 2 }, { date: TODAY, count: 1 }] });
    expect(data.ben.stats).toEqual({ peakDays: [{ date: '2024-03-05', count: 1 }, { date: '2024-03-06', count: 1 }] });
    expect(data.fr.stats).toEqual({ peakDays: [{ date: '2024-03-04', count: 2 }] });
  });

  it('count working hours of the week from Monday 00:00 UTC', async () => {
    const data = await query<{ ben: { stats: { workingHours: Record<string, number[]> } }; fr: { stats: { workingHours: Record<string, number[]> } } }>(`{
      ben: user(id: 12) { stats { workingHours { opening commenting closing } } }
      fr: country(code: "FR") { stats { workingHours { opening commenting closing } } } }`);
    const slots = (entries: [number, number][]) => {
      const out = new Array<number>(168).fill(0);
      for (const [slot, n] of entries) out[slot] = n;
      return out;
    };
    const todaySlot = ((new Date(todayAt(2)).getUTCDay() + 6) % 7) * 24;
    // ben: opened Sunday 23:10 (slot 167) and today 00:00; commented Monday 10:00; closed Tuesday
    // 11:30 (24 + 11) and Wednesday 08:00 (48 + 8).
    const opening = slots([[167, 1]]);
    opening[todaySlot]!++;
    expect(data.ben.stats.workingHours).toEqual({
      opening,
      commenting: slots([[10, 1]]),
      closing: slots([[35, 1], [56, 1]]),
    });
    expect(data.fr.stats.workingHours).toEqual({ opening: slots([[9, 2]]), commenting: slots([[10, 2]]), closing: slots([[35, 1], [56, 1]]) });
  });

  it('rank a user\'s countries and a country\'s users by period and by year, ties sharing a place', async () => {
    const place = 'rank count country { code }';
    const who = 'rank count user { id username }';
    const data = await query<Record<string, { stats: Record<string, unknown> }> & { globalStats: Record<string, unknown> }>(`{
      ann: user(id: 11) { stats {
        opened: topCountries { ${place} } openedToday: topCountries(period: TODAY) { ${place} }
        openedThisMonth: topCountries(period: THIS_MONTH) { ${place} } opened2024: topCountries(year: 2024) { ${place} }
        closed: topCountries(action: CLOSED) { ${place} } users: topUsers { ${who} } } }
      ben: user(id: 12) { stats { closed: topCountries(action: CLOSED, period: THIS_YEAR) { ${place} }
        commented: topCountries(action: COMMENTED) { ${place} } } }
      de: country(code: "DE") { stats {
        opened: topUsers { ${who} } openedToday: topUsers(period: TODAY) { ${who} }
        closed: topUsers(action: CLOSED, first: 1) { ${who} } countries: topCountries { ${place} } } }
      fr: country(code: "FR") { stats { closed2024: topUsers(action: CLOSED, year: 2024) { ${who} }
        openedToday: topUsers(period: TODAY) { ${who} } } }
      globalStats { topUsers { ${who} } topCountries { ${place} } } }`);
    const c = (rank: number, count: number, code: string) => ({ rank, count, country: { code } });
    const u = (rank: number, count: number, id: number, username: string) => ({ rank, count, user: { id, username } });
    expect(data.ann!.stats).toEqual({
      opened: [c(1, 2, 'FR'), c(2, 1, 'DE')], openedToday: [c(1, 1, 'DE')], openedThisMonth: [c(1, 1, 'DE')],
      opened2024: [c(1, 2, 'FR')], closed: [c(1, 2, 'DE')], users: [],
    });
    expect(data.ben!.stats).toEqual({ closed: [], commented: [c(1, 1, 'FR')] });
    expect(data.de!.stats).toEqual({
      opened: [u(1, 2, 12, 'ben'), u(2, 1, 11, 'ann')], openedToday: [u(1, 1, 11, 'ann'), u(1, 1, 12, 'ben')],
      closed: [u(1, 2, 11, 'ann')], countries: [],
    });
    expect(data.fr!.stats).toEqual({ closed2024: [u(1, 2, 12, 'ben')], openedToday: [] });
    expect(data.globalStats).toEqual({ topUsers: [], topCountries: [] });
  });

  it('rank hashtags by the kind of action that holds them', async () => {
    const tags = (action: string) => `${action.toLowerCase()}: topHashtags(action: ${action}) { hashtag { name } uses }
      ${action.toLowerCase()}Uses: hashtagUses(action: ${action})`;
    const all = `${tags('OPENED')} ${tags('CLOSED')} ${tags('COMMENTED')}`;
    const data = await query<Record<string, { stats: unknown }>>(`{
      ann: user(id: 11) { stats { ${all} } } ben: user(id: 12) { stats { ${all} } } fr: country(code: "FR") { stats { ${all} } } }`);
    const h = (name: string, uses: number) => ({ hashtag: { name }, uses });
    expect(data.ann!.stats).toEqual({
      opened: [h('parks', 2)], openedUses: 2, closed: [], closedUses: 0, commented: [h('survey', 1)], commentedUses: 1,
    });
    expect(data.ben!.stats).toEqual({
      opened: [], openedUses: 0, closed: [h('survey', 1)], closedUses: 1, commented: [h('survey', 1)], commentedUses: 1,
    });
    expect(data.fr!.stats).toEqual({
      opened: [h('parks', 2)], openedUses: 2, closed: [h('survey', 1)], closedUses: 1, commented: [h('survey', 1)], commentedUses: 1,
    });
  });

  it('measure backlog health: open ages, the last 30 days, their ratio and the health score', async () => {
    const health = `openAgeDistribution { days0To7 days8To30 days31To90 over90Days } createdLast30Days resolvedLast30Days
      newVsResolvedRatio healthScore resolutionRate`;
    const data = await query<Record<string, { stats: unknown }> & { globalStats: unknown }>(`{
      ann: user(id: 11) { stats { ${health} } } fr: country(code: "FR") { stats { ${health} } }
      de: country(code: "DE") { stats { ${health} } } globalStats { ${health} } }`);
    const ages = (young: number) => ({ days0To7: young, days8To30: 0, days31To90: 0, over90Days: 0 });
    // World: 5 notes, 504 open (opened today); openings 504 and 505, close 505 in the last 30 days.
    // Score: 0.4 × 80 + 0.3 × (100 − 1/5 × 100) + 0.3 × (1/2 × 100) = 32 + 24 + 15.
    expect(data.globalStats).toEqual({
      openAgeDistribution: ages(1), createdLast30Days: 2, resolvedLast30Days: 1, newVsResolvedRatio: 2, healthScore: 71, resolutionRate: 80,
    });
    // DE: 503 and 505 resolved, 504 open: 0.4 × 66.67 + 0.3 × (100 − 33.33…) + 0.3 × 50.
    expect(data.de!.stats).toEqual({
      openAgeDistribution: ages(1), createdLast30Days: 2, resolvedLast30Days: 1, newVsResolvedRatio: 2, healthScore: 61.67, resolutionRate: 66.67,
    });
    // FR: both notes resolved long ago, nothing opened lately and nothing open: a full score.
    expect(data.fr!.stats).toEqual({
      openAgeDistribution: ages(0), createdLast30Days: 0, resolvedLast30Days: 0, newVsResolvedRatio: null, healthScore: 100, resolutionRate: 100,
    });
    // ann opened 501, 502 (resolved) and 504 (open); opened 504 and closed 505 in the last 30 days.
    expect(data.ann!.stats).toMatchObject({ openAgeDistribution: ages(1), createdLast30Days: 1, resolvedLast30Days: 1, newVsResolvedRatio: 1 });
  });

  it('count applications by platform', async () => {
    const apps = 'mobileApplications desktopApplications notesOpenedOnMobile notesOpenedOnDesktop';
    const data = await query<Record<string, { stats: unknown }>>(`{
      ann: user(id: 11) { stats { ${apps} } } ben: user(id: 12) { stats { ${apps} } } de: country(code: "DE") { stats { ${apps} } } }`);
    expect(data.ann!.stats).toEqual({ mobileApplications: 1, desktopApplications: 0, notesOpenedOnMobile: 1, notesOpenedOnDesktop: 0 });
    expect(data.ben!.stats).toEqual({ mobileApplications: 0, desktopApplications: 1, notesOpenedOnMobile: 0, notesOpenedOnDesktop: 1 });
    expect(data.de!.stats).toEqual({ mobileApplications: 1, desktopApplications: 1, notesOpenedOnMobile: 1, notesOpenedOnDesktop: 1 });
  });

  it("describe a user's behaviour and contributor type; null for a country", async () => {
    const behaviour = `behaviour { notesOpenedNotClosedByUser responseTimeDays mentionsGiven mentionsReceived replies collaborationScore }
      contributorType`;
    const data = await query<Record<string, { stats: unknown }>>(`{
      ann: user(id: 11) { stats { ${behaviour} } } ben: user(id: 12) { stats { ${behaviour} } } fr: country(code: "FR") { stats { ${behaviour} } } }`);
    // ann: opened 501, 502, 504, closed none of them; first comment on a note of another's 55 minutes
    // after it was opened (503); mentioned by ben on 501, where she answered after his comment.
    expect(data.ann!.stats).toEqual({
      behaviour: { notesOpenedNotClosedByUser: 3, responseTimeDays: 0.04, mentionsGiven: 0, mentionsReceived: 1, replies: 1, collaborationScore: 2 },
      contributorType: 'SPORADIC',
    });
    // ben: opened 503 and 505 (closed by ann); commented on 501 45 minutes after it opened, with a mention.
    expect(data.ben!.stats).toEqual({
      behaviour: { notesOpenedNotClosedByUser: 2, responseTimeDays: 0.03, mentionsGiven: 1, mentionsReceived: 0, replies: 0, collaborationScore: 1 },
      contributorType: 'SPORADIC',
    });
    expect(data.fr!.stats).toEqual({ behaviour: null, contributorType: null });
  });

  it('give resolution per month: openings, closes, days to resolution of the month\'s closes and the rate', async () => {
    const months = 'resolutionByMonth { year month opened closed resolvedCloses avgDaysToResolution medianDaysToResolution resolutionRate }';
    const data = await query<Record<string, { stats: unknown }> & { globalStats: unknown }>(`{
      ann: user(id: 11) { stats { ${months} } } ben: user(id: 12) { stats { ${months} } }
      fr: country(code: "FR") { stats { ${months} } } globalStats { ${months} } }`);
    const [year, month] = TODAY.split('-').map(Number) as [number, number];
    const m = (y: number, mo: number, opened: number, closed: number, days: number[], avg: number | null, median: number | null, rate: number | null) =>
      ({ year: y, month: mo, opened, closed, resolvedCloses: days.length, avgDaysToResolution: avg, medianDaysToResolution: median, resolutionRate: rate });
    // Days to resolution: 501 → 1 (closed by ben), 502 → 2 (ben), 503 → 1 (ann), 505 → 0 (ann, today).
    // ann: March 2024 opened 501, 502, closed 503; this month opened 504, closed 505.
    expect(data.ann!.stats).toEqual({ resolutionByMonth: [m(2024, 3, 2, 1, [1], 1, 1, 50), m(year, month, 1, 1, [0], 0, 0, 100)] });
    // ben: March 2024 opened 503, closed 501 and 502; this month opened 505 only (no close: no days, rate 0).
    expect(data.ben!.stats).toEqual({ resolutionByMonth: [m(2024, 3, 1, 2, [1, 2], 1.5, 1.5, 200), m(year, month, 1, 0, [], null, null, 0)] });
    expect(data.fr!.stats).toEqual({ resolutionByMonth: [m(2024, 3, 2, 2, [1, 2], 1.5, 1.5, 100)] });
    expect(data.globalStats).toEqual({
      resolutionByMonth: [m(2024, 3, 3, 3, [1, 2, 1], 1.33, 1, 100), m(year, month, 2, 1, [0], 0, 0, 50)],
    });
  });

  it('average comment actions per note commented on, for users and countries', async () => {
    const data = await query<Record<string, { stats: unknown }> & { globalStats: unknown }>(`{
      ann: user(id: 11) { stats { avgCommentsPerNote } } ben: user(id: 12) { stats { avgCommentsPerNote } }
      fr: country(code: "FR") { stats { avgCommentsPerNote } } de: country(code: "DE") { stats { avgCommentsPerNote } }
      globalStats { avgCommentsPerNote } }`);
    // ann commented on 501 and 503, ben on 501; 501 (FR) has two comments, 503 (DE) one.
    expect(data.ann!.stats).toEqual({ avgCommentsPerNote: 1 });
    expect(data.ben!.stats).toEqual({ avgCommentsPerNote: 1 });
    expect(data.fr!.stats).toEqual({ avgCommentsPerNote: 2 });
    expect(data.de!.stats).toEqual({ avgCommentsPerNote: 1 });
    expect(data.globalStats).toEqual({ avgCommentsPerNote: null });
  });

  it('keep every new table equal to a rebuild', async () => {
    const pool = loaded.testDb.database.pool;
    const incremental = await datamartSnapshot(pool);
    expect((incremental.datamart_action_days as unknown[]).length).toBeGreaterThan(0);
    expect((incremental.datamart_action_hours as unknown[]).length).toBeGreaterThan(0);
    expect((incremental.datamart_user_countries as unknown[]).length).toBeGreaterThan(0);
    await rebuildDatamarts(pool);
    expect(await datamartSnapshot(pool)).toEqual(incremental);
  });

  it('are filled from the facts of an existing warehouse by migration 0004 as a rebuild fills them', async () => {
    const pool = loaded.testDb.database.pool;
    const rebuilt = await datamartSnapshot(pool);
    const migration = readFileSync(new URL('../drizzle/0004_parity_datamarts.sql', import.meta.url), 'utf8');
    const fills = migration.split('--> statement-breakpoint').filter((s) => /^\s*(--.*\n\s*)*INSERT INTO/.test(s));
    expect(fills).toHaveLength(4);
    await pool.query('TRUNCATE dwh.datamart_hashtags, dwh.datamart_action_days, dwh.datamart_action_hours, dwh.datamart_user_countries');
    for (const statement of fills) await pool.query(statement);
    expect(await datamartSnapshot(pool)).toEqual(rebuilt);
  });

  it('keep the per-month resolution histogram summing to the yearly one, and both equal to a rebuild', async () => {
    const pool = loaded.testDb.database.pool;
    const rebuilt = await datamartSnapshot(pool);
    expect(rebuilt.datamart_resolution_months).toContainEqual(expect.objectContaining({ scope: 'country', year: 2024, month: 3, days: 1, closes: 1 }));
    const { rows } = await pool.query(`
      SELECT scope, key, year, days, sum(closes)::int AS closes FROM dwh.datamart_resolution_months GROUP BY 1, 2, 3, 4
      EXCEPT SELECT scope, key, year, days, closes FROM dwh.datamart_resolution_days`);
    expect(rows).toEqual([]);
    // Migration 0008 moved 0005's per-month rows to their own table and summed them back per year.
    const migration = readFileSync(new URL('../drizzle/0008_resolution_months_apart.sql', import.meta.url), 'utf8');
    const yearly = migration.split('--> statement-breakpoint').filter((x) => /INSERT INTO "dwh"."datamart_resolution_days"/.test(x));
    expect(yearly).toHaveLength(1);
    await pool.query('TRUNCATE dwh.datamart_resolution_days');
    await pool.query(yearly[0]!);
    expect(await datamartSnapshot(pool)).toEqual(rebuilt);
  });
});

describe('parity: version adoption', () => {
  const opening = (id: number, at: string, who: typeof ann, text: string, where = FR): FixtureNote =>
    ({ id, ...where, comments: [{ action: 'opened', at, ...who, text }] });
  const versions = useLoadedServer([
    opening(601, '2024-05-01T10:00:00Z', ann, 'Bench via StreetComplete 57.1'),
    opening(602, '2024-06-01T10:00:00Z', ann, 'Shop via StreetComplete 57.1'),
    opening(603, '2024-07-01T10:00:00Z', ben, 'Road via StreetComplete 58.0'),
    opening(604, '2024-07-02T10:00:00Z', ben, 'Pothole #OsmAnd/4.6.10'),
    opening(605, '2025-01-01T10:00:00Z', ann, 'Gate via StreetComplete 58.0', DE),
    opening(606, '2024-08-01T10:00:00Z', ann, 'Bench gone, no application'),
    // A version in a later comment is not the note's: only the opening text is read.
    { id: 607, ...DE, comments: [
      { action: 'opened', at: '2025-02-01T10:00:00Z', ...ben, text: 'Tree' },
      { action: 'commented', at: '2025-02-02T10:00:00Z', ...ann, text: 'via StreetComplete 59.0' },
    ] },
  ]);

  it('count notes opened per year, application and version, with the share of the application\'s versioned openings', async () => {
    const select = 'versionAdoption { year application { name } version notes adoptionRate }';
    const result = await graphql<Record<string, { stats: unknown }> & { globalStats: unknown }>(versions.server.url, `{
      ann: user(id: 11) { stats { ${select} } } ben: user(id: 12) { stats { ${select} } }
      fr: country(code: "FR") { stats { ${select} } } de: country(code: "DE") { stats { ${select} } } globalStats { ${select} } }`);
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    const v = (year: number, name: string, version: string, notes: number, adoptionRate: number) =>
      ({ year, application: { name }, version, notes, adoptionRate });
    expect(data.ann!.stats).toEqual({ versionAdoption: [v(2024, 'StreetComplete', '57.1', 2, 100), v(2025, 'StreetComplete', '58.0', 1, 100)] });
    expect(data.ben!.stats).toEqual({ versionAdoption: [v(2024, 'StreetComplete', '58.0', 1, 100), v(2024, 'OsmAnd', '4.6.10', 1, 100)] });
    expect(data.fr!.stats).toEqual({
      versionAdoption: [v(2024, 'StreetComplete', '57.1', 2, 66.67), v(2024, 'StreetComplete', '58.0', 1, 33.33), v(2024, 'OsmAnd', '4.6.10', 1, 100)],
    });
    expect(data.de!.stats).toEqual({ versionAdoption: [v(2025, 'StreetComplete', '58.0', 1, 100)] });
    expect(data.globalStats).toEqual({ versionAdoption: null });
  });
});

describe('parity: contributor types', () => {
  const row = (first: string, last: string, opened: number, closed: number, commented = 0) => ({
    ...EMPTY_STATS, firstActionDate: first, lastActionDate: last, opened, closed, commented,
  });
  it('decide in order, with the defects of the reference fixed', () => {
    const today = '2026-12-07';
    expect(contributorType(EMPTY_STATS, today)).toBeNull();
    expect(contributorType(row('2026-11-20', '2026-12-01', 1, 0), today)).toBe('JUST_STARTING');
    expect(contributorType(row('2026-10-01', '2026-12-01', 1, 0), today)).toBe('NEWBIE');
    // Theirs asked for a first year equal to both 2013 and the current year: never true.
    expect(contributorType(row('2013-05-01', '2026-12-01', 1, 0), today)).toBe('ALL_TIME');
    expect(contributorType(row('2020-05-01', '2020-05-01', 3, 0), today)).toBe('HIT_AND_RUN');
    expect(contributorType(row('2025-01-10', '2026-01-01', 3, 0), today)).toBe('JUNIOR');
    // Theirs tested 720 days before 1,800 and 2,000, so retired and forgotten never came out.
    expect(contributorType(row('2015-01-01', '2020-01-01', 3, 0), today)).toBe('FORGOTTEN');
    expect(contributorType(row('2015-01-01', '2021-10-01', 3, 0), today)).toBe('RETIRED');
    expect(contributorType(row('2015-01-01', '2024-06-01', 3, 0), today)).toBe('INACTIVE');
    expect(contributorType(row('2015-01-01', '2026-06-01', 10, 5), today)).toBe('SPORADIC');
    // Theirs divided integers (closed / (opened + 1) was 0 or a whole number).
    expect(contributorType(row('2015-01-01', '2026-06-01', 20, 30), today)).toBe('START_CLOSING');
    expect(contributorType(row('2015-01-01', '2026-06-01', 40, 30), today)).toBe('CASUAL');
    expect(contributorType(row('2015-01-01', '2026-06-01', 100, 300), today)).toBe('HEAVY_CLOSING');
    expect(contributorType(row('2015-01-01', '2026-06-01', 300, 50, 200), today)).toBe('CRAZY');
    expect(contributorType(row('2015-01-01', '2026-06-01', 200_000, 10), today)).toBe('OOM_EXCEPTION');
  });
});

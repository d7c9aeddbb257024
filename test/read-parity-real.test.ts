// Datamart-parity figures (docs/parity.md) on real OSM notes (OSM_NOTES_FIXTURES): every user,
// every country and the world equal the model computed from a direct parse of the same dump, and
// the incremental tables equal a rebuild.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { rebuildDatamarts } from '../src/streaming/processor/admin.ts';
import { useTestDatabase } from './helpers/database.ts';
import {
  modelActionMarks, modelAvgCommentsPerNote, modelBehaviour, modelHashtagUses, modelPeakDays, modelPeriodCounts, modelRanking, modelResolutionByMonth,
  modelWorkingHours,
} from './helpers/parity-model.ts';
import { datamartSnapshot } from './helpers/processor.ts';
import { loadDump, readPlanetDump, timedFacts, todayUtc, type TimedFact } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const FOLDER = process.env.OSM_NOTES_FIXTURES;

describe.skipIf(!FOLDER)('parity figures on real OSM notes', () => {
  const testDb = useTestDatabase();
  let server: RunningServer;
  let facts: TimedFact[];
  let created: Map<number, string>;

  beforeAll(async () => {
    const file = join(FOLDER!, 'planet_notes_real.osn.xml');
    const notes = await readPlanetDump(file);
    facts = timedFacts(notes);
    await loadDump(testDb, file);
    server = await startTestServer(testDb);
    const { rows } = await testDb.database.pool.query<{ id: number; at: Date }>('SELECT note_id AS id, created_at AS at FROM notes');
    created = new Map(rows.map((r) => [r.id, r.at.toISOString()]));
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function query<T>(text: string): Promise<T> {
    const result = await graphql<T>(server.url, text);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  const PERIOD = 'opened commented closed closedWithComment reopened hidden';
  const ACTIVITY = `today { ${PERIOD} } thisMonth { ${PERIOD} } thisYear { ${PERIOD} }
    actionMarks { action count first { noteId at } latest { noteId at } }
    opened: peakDays(action: OPENED, first: 5) { date count } closed: peakDays(action: CLOSED, first: 5) { date count }
    workingHours { opening commenting closing }`;

  function expected(of: TimedFact[]) {
    return {
      ...modelPeriodCounts(of, todayUtc()),
      actionMarks: modelActionMarks(of),
      opened: modelPeakDays(of, 'opened', 5),
      closed: modelPeakDays(of, 'closed', 5),
      workingHours: modelWorkingHours(of),
    };
  }

  it('activity figures of the world, every country and every user equal the model', async () => {
    const countries = [...new Set(facts.map((f) => f.country))].sort();
    const users = [...new Set(facts.flatMap((f) => (f.userId === null ? [] : [f.userId])))].sort((a, b) => a - b);
    const { globalStats } = await query<{ globalStats: unknown }>(`{ globalStats { ${ACTIVITY} } }`);
    expect(globalStats).toEqual(expected(facts));
    // A few owners a request: the query cost limit counts every field of every alias.
    for (let i = 0; i < countries.length; i += 5) {
      const chunk = countries.slice(i, i + 5);
      const data = await query<Record<string, { stats: unknown }>>(
        `{ ${chunk.map((c, j) => `c${j}: country(code: "${c}") { stats { ${ACTIVITY} } }`).join(' ')} }`,
      );
      chunk.forEach((c, j) => expect(data[`c${j}`]!.stats, c).toEqual(expected(facts.filter((f) => f.country === c))));
    }
    for (let i = 0; i < users.length; i += 5) {
      const chunk = users.slice(i, i + 5);
      const data = await query<Record<string, { stats: unknown }>>(
        `{ ${chunk.map((u, j) => `u${j}: user(id: ${u}) { stats { ${ACTIVITY} } }`).join(' ')} }`,
      );
      chunk.forEach((u, j) => expect(data[`u${j}`]!.stats, `user ${u}`).toEqual(expected(facts.filter((f) => f.userId === u))));
    }
  });

  it('countries of every user and users of every country equal the model, whole history and per year', async () => {
    const countries = [...new Set(facts.map((f) => f.country))].sort();
    const users = [...new Set(facts.flatMap((f) => (f.userId === null ? [] : [f.userId])))].sort((a, b) => a - b);
    const years = [...new Set(facts.map((f) => Number(f.actionDate.slice(0, 4))))];
    const year = years.sort()[Math.floor(years.length / 2)]!;
    const inYear = (of: TimedFact[]) => of.filter((f) => f.actionDate.startsWith(String(year)));
    const places = (of: TimedFact[], keyOf: (f: TimedFact) => string | number | null) => ({
      opened: modelRanking(of, 'opened', keyOf, 20),
      closed: modelRanking(of, 'closed', keyOf, 20),
      closedInYear: modelRanking(inYear(of), 'closed', keyOf, 20),
    });
    for (let i = 0; i < users.length; i += 10) {
      const chunk = users.slice(i, i + 10);
      const select = 'rank count country { code }';
      const data = await query<Record<string, { stats: Record<string, { rank: number; count: number; country: { code: string } }[]> }>>(
        `{ ${chunk.map((u, j) => `u${j}: user(id: ${u}) { stats { opened: topCountries(first: 20) { ${select} }
            closed: topCountries(action: CLOSED, first: 20) { ${select} }
            closedInYear: topCountries(action: CLOSED, year: ${year}, first: 20) { ${select} } } }`).join(' ')} }`,
      );
      chunk.forEach((u, j) => {
        const served = Object.fromEntries(Object.entries(data[`u${j}`]!.stats).map(([k, list]) =>
          [k, list.map((p) => ({ rank: p.rank, count: p.count, key: p.country.code }))]));
        expect(served, `user ${u}`).toEqual(places(facts.filter((f) => f.userId === u), (f) => f.country));
      });
    }
    for (let i = 0; i < countries.length; i += 10) {
      const chunk = countries.slice(i, i + 10);
      const select = 'rank count user { id }';
      const data = await query<Record<string, { stats: Record<string, { rank: number; count: number; user: { id: number } }[]> }>>(
        `{ ${chunk.map((c, j) => `c${j}: country(code: "${c}") { stats { opened: topUsers(first: 20) { ${select} }
            closed: topUsers(action: CLOSED, first: 20) { ${select} }
            closedInYear: topUsers(action: CLOSED, year: ${year}, first: 20) { ${select} } } }`).join(' ')} }`,
      );
      chunk.forEach((c, j) => {
        const served = Object.fromEntries(Object.entries(data[`c${j}`]!.stats).map(([k, list]) =>
          [k, list.map((p) => ({ rank: p.rank, count: p.count, key: p.user.id }))]));
        expect(served, c).toEqual(places(facts.filter((f) => f.country === c), (f) => f.userId));
      });
    }
  });

  it('hashtags by kind of action of every country and behaviour of every user equal the model', async () => {
    const countries = [...new Set(facts.map((f) => f.country))].sort();
    const users = [...new Set(facts.flatMap((f) => (f.userId === null ? [] : [f.userId])))].sort((a, b) => a - b);
    const roles = 'opened: topHashtags(action: OPENED, first: 100) { hashtag { name } uses } closed: topHashtags(action: CLOSED, first: 100) { hashtag { name } uses } commented: topHashtags(action: COMMENTED, first: 100) { hashtag { name } uses }';
    type Tags = Record<string, { hashtag: { name: string }; uses: number }[]>;
    const asUses = (stats: Tags) =>
      Object.fromEntries(Object.entries(stats).map(([k, list]) => [k, Object.fromEntries(list.map((h) => [h.hashtag.name.toLowerCase(), h.uses]))]));
    const expectedRoles = (of: TimedFact[]) => ({
      opened: modelHashtagUses(of, 'opened'), closed: modelHashtagUses(of, 'closed'), commented: modelHashtagUses(of, 'commented'),
    });
    const { globalStats } = await query<{ globalStats: Tags }>(`{ globalStats { ${roles} } }`);
    expect(asUses(globalStats)).toEqual(expectedRoles(facts));
    for (let i = 0; i < countries.length; i += 5) {
      const chunk = countries.slice(i, i + 5);
      const data = await query<Record<string, { stats: Tags }>>(`{ ${chunk.map((c, j) => `c${j}: country(code: "${c}") { stats { ${roles} } }`).join(' ')} }`);
      chunk.forEach((c, j) => expect(asUses(data[`c${j}`]!.stats), c).toEqual(expectedRoles(facts.filter((f) => f.country === c))));
    }
    const behaviour = 'behaviour { notesOpenedNotClosedByUser responseTimeDays mentionsGiven mentionsReceived replies collaborationScore }';
    for (let i = 0; i < users.length; i += 10) {
      const chunk = users.slice(i, i + 10);
      const data = await query<Record<string, { stats: { behaviour: unknown } }>>(`{ ${chunk.map((u, j) => `u${j}: user(id: ${u}) { stats { ${behaviour} } }`).join(' ')} }`);
      chunk.forEach((u, j) => expect(data[`u${j}`]!.stats.behaviour, `user ${u}`).toEqual(modelBehaviour(facts, u, created)));
    }
  });

  it('milestone badges of every user follow the model counts', async () => {
    const users = [...new Set(facts.flatMap((f) => (f.userId === null ? [] : [f.userId])))].sort((a, b) => a - b);
    const milestones: [string, (c: Record<string, number>) => boolean][] = [
      ['FIRST_NOTE', (c) => c.opened! >= 1], ['FIRST_CLOSE', (c) => c.closed! >= 1], ['FIRST_COMMENT', (c) => c.commented! >= 1],
      ['OPENED_10', (c) => c.opened! >= 10], ['CLOSED_10', (c) => c.closed! >= 10], ['PROBLEM_SOLVER', (c) => c.closedWithText! >= 10],
    ];
    for (let i = 0; i < users.length; i += 20) {
      const chunk = users.slice(i, i + 20);
      const data = await query<Record<string, { stats: { badges: { id: string }[] } }>>(
        `{ ${chunk.map((u, j) => `u${j}: user(id: ${u}) { stats { badges { id } } }`).join(' ')} }`,
      );
      chunk.forEach((u, j) => {
        const mine = facts.filter((f) => f.userId === u);
        const counts = {
          opened: mine.filter((f) => f.action === 'opened').length, closed: mine.filter((f) => f.action === 'closed').length,
          commented: mine.filter((f) => f.action === 'commented').length,
          closedWithText: mine.filter((f) => f.action === 'closed' && f.commentLength !== null).length,
        };
        const served = new Set(data[`u${j}`]!.stats.badges.map((b) => b.id));
        expect(milestones.filter(([id]) => served.has(id)).map(([id]) => id), `user ${u}`)
          .toEqual(milestones.filter(([, earned]) => earned(counts)).map(([id]) => id));
      });
    }
  });

  it('resolution by month and comments per note of the world, every country and every user equal the model', async () => {
    const countries = [...new Set(facts.map((f) => f.country))].sort();
    const users = [...new Set(facts.flatMap((f) => (f.userId === null ? [] : [f.userId])))].sort((a, b) => a - b);
    const months = 'resolutionByMonth { year month opened closed resolvedCloses avgDaysToResolution medianDaysToResolution resolutionRate } avgCommentsPerNote';
    const { globalStats } = await query<{ globalStats: unknown }>(`{ globalStats { ${months} } }`);
    expect(globalStats).toEqual({ resolutionByMonth: modelResolutionByMonth(facts), avgCommentsPerNote: null });
    for (let i = 0; i < countries.length; i += 10) {
      const chunk = countries.slice(i, i + 10);
      const data = await query<Record<string, { stats: unknown }>>(
        `{ ${chunk.map((c, j) => `c${j}: country(code: "${c}") { stats { ${months} } }`).join(' ')} }`,
      );
      chunk.forEach((c, j) => {
        const mine = facts.filter((f) => f.country === c);
        expect(data[`c${j}`]!.stats, c).toEqual({ resolutionByMonth: modelResolutionByMonth(mine), avgCommentsPerNote: modelAvgCommentsPerNote(mine) });
      });
    }
    for (let i = 0; i < users.length; i += 10) {
      const chunk = users.slice(i, i + 10);
      const data = await query<Record<string, { stats: unknown }>>(
        `{ ${chunk.map((u, j) => `u${j}: user(id: ${u}) { stats { ${months} } }`).join(' ')} }`,
      );
      chunk.forEach((u, j) => {
        const mine = facts.filter((f) => f.userId === u);
        expect(data[`u${j}`]!.stats, `user ${u}`).toEqual({ resolutionByMonth: modelResolutionByMonth(mine), avgCommentsPerNote: modelAvgCommentsPerNote(mine) });
      });
    }
  });

  it('the new tables equal a rebuild', async () => {
    const incremental = await datamartSnapshot(testDb.database.pool);
    await rebuildDatamarts(testDb.database.pool);
    expect(await datamartSnapshot(testDb.database.pool)).toEqual(incremental);
  });
});

// The read API on real OSM notes (OSM_NOTES_FIXTURES names the shared fixtures folder), loaded
// by the importer and the processor: its figures equal the reference model's, computed from a
// direct parse of the same file.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import type { FixtureNote } from './helpers/notes.ts';
import { loadDump, percentile, ranking, readPlanetDump, timedFacts, type TimedFact } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { modelDatamarts, type ModelDatamarts } from './helpers/warehouse-model.ts';

const FOLDER = process.env.OSM_NOTES_FIXTURES;

describe.skipIf(!FOLDER)('read API on real OSM notes', () => {
  const testDb = useTestDatabase();
  let server: RunningServer;
  let notes: FixtureNote[];
  let model: ModelDatamarts;
  let facts: TimedFact[];

  beforeAll(async () => {
    const file = join(FOLDER!, 'planet_notes_real.osn.xml');
    notes = await readPlanetDump(file);
    model = modelDatamarts(notes);
    facts = timedFacts(notes).sort((a, b) => a.at.localeCompare(b.at) || a.note - b.note || a.seq - b.seq);
    await loadDump(testDb, file);
    server = await startTestServer(testDb);
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await graphql<T>(server.url, text, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  const FIGURES = `opened commented closed closedWithComment reopened hidden stillOpen resolved resolutionRate
    avgDaysToResolution medianDaysToResolution avgCommentLength commentsWithUrlPct commentsWithMentionPct
    applicationsUsed firstActionDate lastActionDate
    applications(first: 100) { application { name } notesOpened } topHashtags(first: 100) { hashtag { name } uses }`;

  /** Every node of a list, 20 a page (a page of 100 with all figures would cost too much). */
  async function allNodes<T>(field: string, selection: string): Promise<T[]> {
    const nodes: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string } }> = await query(
        `query($after: String) { ${field}(first: 20, after: $after) { edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      nodes.push(...data[field]!.edges.map((e) => e.node));
      if (!data[field]!.pageInfo.hasNextPage) return nodes;
      after = data[field]!.pageInfo.endCursor;
    }
  }

  type Served = Record<string, unknown> & {
    applications: { application: { name: string }; notesOpened: number }[];
    topHashtags: { hashtag: { name: string }; uses: number }[];
  };
  const asFigures = ({ applications, topHashtags, ...rest }: Served) => ({
    ...rest,
    applications: Object.fromEntries(applications.map((a) => [a.application.name, a.notesOpened])),
    hashtags: Object.fromEntries(topHashtags.map((h) => [h.hashtag.name.toLowerCase(), h.uses])),
  });

  it('loads the whole dump', () => {
    expect(notes).toHaveLength(98);
    expect(facts).toHaveLength(397);
  });

  it('globalStats and every country equal the model', async () => {
    const { globalStats } = await query<{ globalStats: Served }>(`{ globalStats { ${FIGURES} } }`);
    expect(asFigures(globalStats)).toEqual(model.global);
    const countries = await allNodes<{ code: string; stats: Served }>('countries', `code stats { ${FIGURES} }`);
    expect(countries.map((c) => c.code)).toEqual([...model.countries.keys()].sort());
    for (const c of countries) expect(asFigures(c.stats), c.code).toEqual(model.countries.get(c.code));
  });

  it('every user equals the model', async () => {
    const users = await allNodes<{ id: number; stats: Served }>('users', `id stats { ${FIGURES} }`);
    expect(users.map((u) => u.id)).toEqual([...model.users.keys()].sort((a, b) => a - b));
    for (const u of users) expect(asFigures(u.stats), `user ${u.id}`).toEqual(model.users.get(u.id));
  });

  it('facts come in action-time order, as many as comments', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { facts: { edges: { node: { noteId: number; sequenceAction: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } =
        await query(`query($after: String) { facts(first: 100, after: $after) {
          edges { node { noteId sequenceAction } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...page.facts.edges.map((e) => `${e.node.noteId}:${e.node.sequenceAction}`));
      if (!page.facts.pageInfo.hasNextPage) break;
      after = page.facts.pageInfo.endCursor;
    }
    expect(seen).toEqual(facts.map((f) => `${f.note}:${f.seq}`));
  });

  it('analytics equal the model: yearly activity, a ranking, resolution percentiles', async () => {
    const data = await query<{
      activity: { start: string; total: number }[];
      top: { rank: number; key: string; value: number }[];
      resolutionTimes: { closes: number; percentiles: { percentile: number; days: number | null }[] };
    }>(`{ activity(groupBy: YEAR) { start total }
          top(dimension: COUNTRY, metric: CLOSED, limit: 20) { rank key value }
          resolutionTimes { closes percentiles { percentile days } } }`);
    const years = [...new Set(facts.map((f) => f.at.slice(0, 4)))].map(Number);
    const allYears = Array.from({ length: Math.max(...years) - Math.min(...years) + 1 }, (_, i) => Math.min(...years) + i);
    expect(data.activity).toEqual(
      allYears.map((y) => ({ start: `${y}-01-01T00:00:00.000Z`, total: facts.filter((f) => f.at.startsWith(String(y))).length })),
    );
    expect(data.top).toEqual(ranking(facts, (f) => f.country, (g) => g.filter((f) => f.action === 'closed').length, 20));
    const days = facts.filter((f) => f.action === 'closed').map((f) => f.daysToResolution!);
    expect(data.resolutionTimes).toEqual({
      closes: days.length,
      percentiles: [10, 25, 50, 75, 90, 95, 99].map((p) => ({ percentile: p, days: percentile(days, p) })),
    });
  });
});

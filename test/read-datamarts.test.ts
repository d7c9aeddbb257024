// Datamart figures served by the read API (globalStats, country, countries, user, users,
// applications, hashtags) equal the reference model computed from the same notes.
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useLoadedServer } from './helpers/loaded-server.ts';
import { modelBacklog, modelLastYearActivity, modelYears, recentNotes } from './helpers/read-api.ts';
import { graphql } from './helpers/server.ts';
import { modelDatamarts, modelFacts } from './helpers/warehouse-model.ts';

const NOTES = [...FIXTURE_NOTES, ...recentNotes()];
const model = modelDatamarts(NOTES);
const facts = modelFacts(NOTES);

/** Dates counted per year, oldest first. */
function yearCounts(dates: string[]) {
  const counts = new Map<number, number>();
  for (const d of dates) counts.set(Number(d.slice(0, 4)), (counts.get(Number(d.slice(0, 4))) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]).map(([year, count]) => ({ year, count }));
}

const loaded = useLoadedServer(NOTES);

const FIGURES = `opened commented closed closedWithComment reopened hidden stillOpen resolved resolutionRate
  avgDaysToResolution medianDaysToResolution avgCommentLength commentsWithUrlPct commentsWithMentionPct
  applicationsUsed firstActionDate lastActionDate`;
const STATS = `${FIGURES} backlog recentBacklog: backlog(olderThanDays: 5) lastYearActivity
  years { year opened commented closed closedWithComment reopened hidden commentsWithText avgCommentLength
          commentsWithUrlPct commentsWithMentionPct resolvedCloses avgDaysToResolution medianDaysToResolution
          applicationsUsed firstActionDate lastActionDate }
  applications(first: 100) { application { name } notesOpened }
  topHashtags(first: 100) { hashtag { name } uses }`;

type StatsResult = Record<string, unknown> & {
  applications: { application: { name: string }; notesOpened: number }[];
  topHashtags: { hashtag: { name: string }; uses: number }[];
};

async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await graphql<T>(loaded.server.url, text, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** The served stats in the model's shape, and the read-time figures beside them. */
function split(stats: StatsResult) {
  const { applications, topHashtags, backlog, recentBacklog, lastYearActivity, years, ...figures } = stats;
  return {
    figures: {
      ...figures,
      hashtags: Object.fromEntries(topHashtags.map((h) => [h.hashtag.name.toLowerCase(), h.uses])),
      applications: Object.fromEntries(applications.map((a) => [a.application.name, a.notesOpened])),
    },
    readTime: { backlog, recentBacklog, lastYearActivity, years },
  };
}

function expectedReadTime(scopeFacts: typeof facts, owner: Parameters<typeof modelBacklog>[2]) {
  return {
    backlog: modelBacklog(facts, 30, owner),
    recentBacklog: modelBacklog(facts, 5, owner),
    lastYearActivity: modelLastYearActivity(scopeFacts),
    years: modelYears(scopeFacts),
  };
}

describe('datamart figures', () => {
  it('globalStats equals the model, backlog and last-year activity included', async () => {
    const { globalStats } = await query<{ globalStats: StatsResult }>(`{ globalStats { ${STATS} } }`);
    const served = split(globalStats);
    expect(served.figures).toEqual(model.global);
    expect(served.readTime).toEqual(expectedReadTime(facts, () => true));
    // The recent notes make both read-time figures non-trivial.
    expect(served.readTime.backlog).toBeGreaterThan(0);
    expect(served.readTime.recentBacklog).toBeGreaterThan(served.readTime.backlog as number);
    expect(served.readTime.lastYearActivity).toMatch(/^[0-9]{371}$/);
    expect((served.readTime.lastYearActivity as string).at(-6)).toBe('2'); // 3 actions five days ago
  });

  it('country(code) equals the model for every country with notes, in any letter case', async () => {
    for (const [code, expected] of model.countries) {
      const { country } = await query<{ country: { code: string; stats: StatsResult } }>(
        `query($code: String!) { country(code: $code) { code stats { ${STATS} } } }`,
        { code: code.toLowerCase() },
      );
      expect(country.code).toBe(code);
      const served = split(country.stats);
      expect(served.figures, code).toEqual(expected);
      const countryFacts = facts.filter((f) => f.country === code);
      expect(served.readTime, code).toEqual(expectedReadTime(countryFacts, (s) => s.country === code));
    }
  });

  it('a country without notes has zero figures', async () => {
    const { country } = await query<{ country: { name: string; stats: Record<string, unknown> } }>(
      '{ country(code: "AQ") { name stats { opened stillOpen backlog resolutionRate lastActionDate years { year } } } }',
    );
    expect(country).toEqual({
      name: 'Antarctica',
      stats: { opened: 0, stillOpen: 0, backlog: 0, resolutionRate: null, lastActionDate: null, years: [] },
    });
  });

  it('user(id) and user(username) equal the model for every user', async () => {
    for (const [id, expected] of model.users) {
      const { user } = await query<{ user: { id: number; stats: StatsResult } }>(
        `query($id: Int) { user(id: $id) { id stats { ${STATS} } } }`,
        { id },
      );
      const served = split(user.stats);
      expect(served.figures, `user ${id}`).toEqual(expected);
      const userFacts = facts.filter((f) => f.userId === id);
      expect(served.readTime, `user ${id}`).toEqual(expectedReadTime(userFacts, (s) => s.opener === id));
    }
    const byName = await query<{ user: { id: number; username: string } }>('{ user(username: "CAROL") { id username } }');
    expect(byName.user).toEqual({ id: 3, username: 'carol' });
    expect((await query<{ user: null }>('{ user(id: 999999) { id } }')).user).toBeNull();
  });

  it('applications report the notes opened with each and the versions seen', async () => {
    const { applications } = await query<{
      applications: { edges: { node: { name: string; notesOpened: number; versions: string[]; notesOpenedByYear: unknown } }[] };
    }>('{ applications(first: 100) { edges { node { name notesOpened versions notesOpenedByYear { year count } } } } }');
    const served = applications.edges.map((e) => e.node);
    const opened = facts.filter((f) => f.action === 'opened' && f.application);
    for (const app of served) {
      expect(app.notesOpenedByYear, app.name).toEqual(
        yearCounts(opened.filter((f) => f.application === app.name).map((f) => f.actionDate)),
      );
    }
    expect(served).toHaveLength(18); // every known application, used or not
    expect(Object.fromEntries(served.filter((a) => a.notesOpened > 0).map((a) => [a.name, a.notesOpened]))).toEqual(
      model.global.applications,
    );
    expect(served.map((a) => a.notesOpened)).toEqual([...served.map((a) => a.notesOpened)].sort((a, b) => b - a));
    expect(served.find((a) => a.name === 'StreetComplete')?.versions).toEqual(['59.3', '60.1']);
  });

  it('hashtags report their uses, searchable by prefix', async () => {
    const { hashtags } = await query<{ hashtags: { edges: { node: { name: string; uses: number; usesByYear: unknown } }[] } }>(
      '{ hashtags(first: 100) { edges { node { name uses usesByYear { year count } } } } }',
    );
    expect(Object.fromEntries(hashtags.edges.map((e) => [e.node.name.toLowerCase(), e.node.uses]))).toEqual(model.global.hashtags);
    for (const { node } of hashtags.edges) {
      const uses = facts.flatMap((f) => f.hashtags.filter((h) => h.toLowerCase() === node.name.toLowerCase()).map(() => f.actionDate));
      expect(node.usesByYear, node.name).toEqual(yearCounts(uses));
    }
    const found = await query<{ hashtags: { edges: { node: { name: string } }[] } }>(
      '{ hashtags(search: "#SUR") { edges { node { name } } } }',
    );
    expect(found.hashtags.edges.map((e) => e.node.name.toLowerCase())).toEqual(['survey']);
  });
});

describe('datamart lists', () => {
  type Page = { edges: { cursor: string; node: { code: string; stats: Record<string, number | null> } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };

  async function allCountries(orderBy: string, pageSize: number) {
    const seen: { code: string; stats: Record<string, number | null> }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { countries: Page } = await query<{ countries: Page }>(
        `query($after: String) { countries(first: ${pageSize}, after: $after, orderBy: ${orderBy}) {
           edges { cursor node { code stats { backlog resolutionRate opened } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...page.countries.edges.map((e) => e.node));
      if (!page.countries.pageInfo.hasNextPage) return seen;
      after = page.countries.pageInfo.endCursor;
    }
  }

  it('countries lists every country with notes, by code, across pages', async () => {
    const served = await allCountries('{ field: CODE }', 3);
    expect(served.map((c) => c.code)).toEqual([...model.countries.keys()].sort());
    for (const c of served) expect(c.stats.opened).toBe(model.countries.get(c.code)!.opened);
  });

  it('countries orders by backlog and by resolution rate with stable pages', async () => {
    const byBacklog = await allCountries('{ field: BACKLOG }', 2);
    const backlogOf = (code: string) => modelBacklog(facts, 30, (s) => s.country === code);
    expect(byBacklog.map((c) => [c.code, c.stats.backlog])).toEqual(
      [...model.countries.keys()]
        .map((code) => [code, backlogOf(code)] as [string, number])
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1)),
    );
    const byRate = await allCountries('{ field: RESOLUTION_RATE, direction: ASC }', 4);
    const rates = byRate.map((c) => c.stats.resolutionRate ?? -1);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(byRate.map((c) => c.code).sort()).toEqual([...model.countries.keys()].sort());
  });

  it('users orders by a figure and filters by username prefix', async () => {
    const { users } = await query<{ users: { edges: { node: { id: number; stats: { actions: number } } }[] } }>(
      '{ users(first: 100, orderBy: { field: ACTIONS }) { edges { node { id stats { actions } } } } }',
    );
    const actions = (id: number) => facts.filter((f) => f.userId === id).length;
    expect(users.edges.map((e) => [e.node.id, e.node.stats.actions])).toEqual(
      [...model.users.keys()].map((id) => [id, actions(id)]).sort((a, b) => b[1]! - a[1]! || b[0]! - a[0]!),
    );
    const found = await query<{ users: { edges: { node: { username: string } }[] } }>(
      '{ users(search: "MOD") { edges { node { username } } } }',
    );
    expect(found.users.edges.map((e) => e.node.username)).toEqual(['moderator']);
  });
});

// compareCountries and compareUsers: the Stats of each entry, in the order asked, equal to what
// country(code) and user(id) answer (themselves checked against the warehouse model), with
// known figures of the hand-written notes, loaded in a bounded number of statements, and clear
// refusals of bad lists.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryCodeAt } from '../src/ingest/country-lookup.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { countingDatabase, loadNotes } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';

const STATS = `opened commented closed closedWithComment reopened hidden actions stillOpen resolved backlog
  resolutionRate avgDaysToResolution medianDaysToResolution avgCommentLength commentsWithUrlPct
  commentsWithMentionPct applicationsUsed firstActionDate lastActionDate lastYearActivity
  years { year opened closed } topHashtags { hashtag { name } uses }`;

const testDb = useTestDatabase();
let server: RunningServer;
let counted: ReturnType<typeof countingDatabase>;
let countedServer: RunningServer;

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  server = await startTestServer(testDb);
  counted = countingDatabase(testDb.url);
  countedServer = await startTestServer(testDb, { deps: { database: counted.database, metrics: new Registry() } });
});

afterAll(async () => {
  await server.stop();
  await countedServer.stop();
  await counted.database.close();
});

async function query<T>(text: string, variables?: Record<string, unknown>, url = server.url): Promise<T> {
  const result = await graphql<T>(url, text, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

/** Opening actions of the hand-written notes per country, counted apart from the SQL. */
function openedIn(code: string): number {
  return FIXTURE_NOTES.filter((n) => countryCodeAt(n.lon, n.lat) === code).reduce(
    (sum, n) => sum + n.comments.filter((c) => c.action === 'opened').length,
    0,
  );
}

describe('compareCountries', () => {
  it('answers each country in the order given, with the same Stats as country(code)', async () => {
    const codes = ['de', 'FR', 'ZZ'];
    const { compareCountries } = await query<{ compareCountries: { code: string; stats: Record<string, unknown> }[] }>(
      `query($codes: [String!]!) { compareCountries(codes: $codes) { code name stats { ${STATS} } } }`,
      { codes },
    );
    expect(compareCountries.map((c) => c.code)).toEqual(['DE', 'FR', 'ZZ']);
    for (const [i, code] of codes.entries()) {
      const { country } = await query<{ country: { stats: Record<string, unknown> } }>(
        `query($code: String!) { country(code: $code) { stats { ${STATS} } } }`,
        { code },
      );
      expect(compareCountries[i]!.stats).toEqual(country.stats);
      expect(compareCountries[i]!.stats.opened).toBe(openedIn(code.toUpperCase()));
    }
    expect(openedIn('FR')).toBeGreaterThan(0);
  });

  it('loads the Stats of 10 countries in one statement', async () => {
    const codes = ['FR', 'DE', 'ZZ', 'IT', 'ES', 'GB', 'US', 'JP', 'BR', 'NL'];
    await query('{ compareCountries(codes: ["FR"]) { code } }', undefined, countedServer.url); // directory loaded
    counted.reset();
    const { compareCountries } = await query<{ compareCountries: { code: string; stats: { opened: number; backlog: number } }[] }>(
      `query($codes: [String!]!) { compareCountries(codes: $codes) { code stats { opened backlog } } }`,
      { codes },
      countedServer.url,
    );
    expect(compareCountries.map((c) => c.code)).toEqual(codes);
    expect(compareCountries.map((c) => c.stats.opened)).toEqual(codes.map(openedIn));
    expect(counted.statements()).toBe(1);
  });

  it.each([
    ['more than 10 codes', ['FR', 'DE', 'ZZ', 'IT', 'ES', 'GB', 'US', 'JP', 'BR', 'NL', 'PL'], 'codes', /1 to 10 entries to compare, got 11/],
    ['no code', [], 'codes', /got 0/],
    ['a code twice', ['fr', 'DE', 'FR'], 'codes', /lists "FR" twice/],
    ['an unknown code', ['FR', 'XX'], 'codes', /unknown country code "XX"/],
  ])('refuses %s with BAD_USER_INPUT', async (_name, codes, argument, message) => {
    const result = await graphql(server.url, 'query($c: [String!]!) { compareCountries(codes: $c) { code } }', { c: codes });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(result.errors?.[0]?.message).toMatch(message);
  });
});

describe('compareUsers', () => {
  it('answers users by id or by username in the order given, with the same Stats as user(id)', async () => {
    const byIds = await query<{ compareUsers: { id: number; username: string; stats: Record<string, unknown> }[] }>(
      `{ compareUsers(ids: [2, 1, 6]) { id username stats { ${STATS} } } }`,
    );
    expect(byIds.compareUsers.map((u) => u.id)).toEqual([2, 1, 6]);
    const byNames = await query<{ compareUsers: { id: number; stats: Record<string, unknown> }[] }>(
      `{ compareUsers(usernames: ["BOB", "alice", "moderator"]) { id stats { ${STATS} } } }`,
    );
    expect(byNames.compareUsers).toEqual(byIds.compareUsers.map(({ id, stats }) => ({ id, stats })));
    for (const entry of byIds.compareUsers) {
      const { user } = await query<{ user: { stats: Record<string, unknown> } }>(`{ user(id: ${entry.id}) { stats { ${STATS} } } }`);
      expect(entry.stats).toEqual(user.stats);
    }
    const closedBy = (uid: number) => FIXTURE_NOTES.flatMap((n) => n.comments).filter((c) => c.uid === uid && c.action === 'closed').length;
    expect(byIds.compareUsers.map((u) => u.stats.closed)).toEqual([closedBy(2), closedBy(1), closedBy(6)]);
  });

  it.each([
    ['both ids and usernames', '(ids: [1], usernames: ["bob"])', 'usernames', /exactly one of ids and usernames/],
    ['neither', '', 'ids', /exactly one of ids and usernames/],
    ['11 ids', `(ids: [${Array.from({ length: 11 }, (_, i) => i + 1).join(', ')}])`, 'ids', /got 11/],
    ['an id twice', '(ids: [1, 2, 1])', 'ids', /lists 1 twice/],
    ['a username twice in other cases', '(usernames: ["bob", "Bob"])', 'usernames', /lists "Bob" twice/],
    ['an unknown id', '(ids: [1, 999])', 'ids', /unknown user 999/],
    ['an unknown username', '(usernames: ["nobody"])', 'usernames', /unknown user "nobody"/],
  ])('refuses %s with BAD_USER_INPUT', async (_name, args, argument, message) => {
    const result = await graphql(server.url, `{ compareUsers${args} { id } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(result.errors?.[0]?.message).toMatch(message);
  });
});

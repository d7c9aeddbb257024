// Notes and facts: filters, orderings and cursors equal what the reference model selects, and a
// nested query runs a bounded number of SQL statements whatever its page size (no N+1).
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryCodeAt } from '../src/ingest/country-lookup.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { noteStatus, type FixtureNote } from './helpers/notes.ts';
import { countingDatabase, loadNotes, timedFacts, type TimedFact } from './helpers/read-api.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { detectApplication, hashtagsOf } from './helpers/warehouse-model.ts';

const NOTES = FIXTURE_NOTES;
const FACTS = timedFacts(NOTES).sort((a, b) => a.at.localeCompare(b.at) || a.note - b.note || a.seq - b.seq);

const testDb = useTestDatabase();
let server: RunningServer;
let counted: ReturnType<typeof countingDatabase>;
let countedServer: RunningServer;

beforeAll(async () => {
  await loadNotes(testDb, NOTES);
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

type Connection<T> = { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Every node of a connection field, fetched `size` at a time through its cursors. */
async function all<T>(field: string, args: string, selection: string, size: number, variables: Record<string, unknown> = {}) {
  const nodes: T[] = [];
  let after: string | null = null;
  const defs = Object.keys(variables).map((k) => `, $${k}: ${variableType(k)}`).join('');
  for (;;) {
    const data: Record<string, Connection<T>> = await query<Record<string, Connection<T>>>(
      `query($after: String${defs}) { ${field}(first: ${size}, after: $after${args ? `, ${args}` : ''}) {
         edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } }`,
      { after, ...variables },
    );
    const page = data[field]!;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

const variableType = (name: string) => (name === 'filter' ? 'FactFilter' : name === 'noteFilter' ? 'NoteFilter' : 'DateTime');

const FACT_FIELDS = `noteId sequenceAction action actionAt actionDate hourOfWeek country { code } user { id }
  openedDate openedBy { id } closedDate closedBy { id } application { name } applicationVersion recentOpenedDate
  daysToResolution daysToResolutionActive daysToResolutionFromReopen commentLength hasUrl hasMention
  hashtags { name } hashtagCount totalCommentsOnNote totalReopeningsOnNote totalActionsOnNote`;

type ServedFact = Record<string, unknown> & {
  noteId: number; sequenceAction: number; action: string; actionAt: string; country: { code: string };
  user: { id: number } | null; openedBy: { id: number } | null; closedBy: { id: number } | null;
  application: { name: string } | null; hashtags: { name: string }[];
};

/** A served fact in the reference model's shape. */
function asModel(f: ServedFact): TimedFact {
  return {
    note: f.noteId, seq: f.sequenceAction, action: f.action.toLowerCase() as TimedFact['action'], country: f.country.code,
    actionDate: f.actionDate as string, hourOfWeek: f.hourOfWeek as number, userId: f.user?.id ?? null,
    openedDate: f.openedDate as string, openedUserId: f.openedBy?.id ?? null, closedDate: f.closedDate as string | null,
    closedUserId: f.closedBy?.id ?? null, application: f.application?.name ?? null, version: f.applicationVersion as string | null,
    recentOpenedDate: f.recentOpenedDate as string, daysToResolution: f.daysToResolution as number | null,
    daysToResolutionActive: f.daysToResolutionActive as number | null,
    daysToResolutionFromReopen: f.daysToResolutionFromReopen as number | null, commentLength: f.commentLength as number | null,
    hasUrl: f.hasUrl as boolean, hasMention: f.hasMention as boolean, hashtags: f.hashtags.map((h) => h.name.toLowerCase()),
    totalComments: f.totalCommentsOnNote as number, totalReopenings: f.totalReopeningsOnNote as number,
    totalActions: f.totalActionsOnNote as number, at: f.actionAt,
  };
}

const lowerTags = (f: TimedFact) => ({ ...f, hashtags: f.hashtags.map((h) => h.toLowerCase()) });

describe('facts', () => {
  it('pages through every fact in action-time order, each equal to the model, both directions', async () => {
    const served = (await all<ServedFact>('facts', '', FACT_FIELDS, 7)).map(asModel);
    expect(served).toEqual(FACTS.map(lowerTags));
    const newestFirst = (await all<ServedFact>('facts', 'direction: DESC', 'noteId sequenceAction actionAt', 5)).map(
      (f) => `${f.noteId}:${f.sequenceAction}`,
    );
    expect(newestFirst).toEqual(FACTS.map((f) => `${f.note}:${f.seq}`).reverse());
  });

  const statusOf = new Map(NOTES.map((n) => [n.id, noteStatus(n)]));
  const cases: [string, Record<string, unknown>, (f: TimedFact) => boolean][] = [
    ['country', { filter: { country: 'fr' } }, (f) => f.country === 'FR'],
    ['no country (ZZ)', { filter: { country: 'ZZ' } }, (f) => f.country === 'ZZ'],
    ['user', { filter: { user: 2 } }, (f) => f.userId === 2],
    ['actions', { filter: { actions: ['CLOSED', 'REOPENED'] } }, (f) => f.action === 'closed' || f.action === 'reopened'],
    ['application', { filter: { application: 'streetcomplete' } }, (f) => f.application === 'StreetComplete'],
    ['hashtag', { filter: { hashtag: '#SURVEY' } }, (f) => f.hashtags.some((h) => h.toLowerCase() === 'survey')],
    ['note status', { filter: { noteStatus: 'OPEN' } }, (f) => statusOf.get(f.note) === 'open'],
    ['time range', { from: '2024-01-05T10:00:00Z', to: '2024-06-01T10:00:00Z' }, (f) => f.at >= '2024-01-05T10:00:00.000Z' && f.at < '2024-06-01T10:00:00.000Z'],
    [
      'several conditions',
      { filter: { country: 'DE', actions: ['CLOSED'] }, from: '2024-01-15T00:00:00Z' },
      (f) => f.country === 'DE' && f.action === 'closed' && f.at >= '2024-01-15',
    ],
  ];
  it.each(cases)('filters by %s', async (_name, variables, keep) => {
    const args = Object.keys(variables).map((k) => `${k}: $${k}`).join(', ');
    const served = await all<ServedFact>('facts', args, 'noteId sequenceAction', 3, variables);
    const expected = FACTS.filter(keep).map((f) => `${f.note}:${f.seq}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(served.map((f) => `${f.noteId}:${f.sequenceAction}`)).toEqual(expected);
  });
});

describe('notes', () => {
  const opener = (n: FixtureNote) => n.comments.find((c) => c.action === 'opened')?.uid ?? null;
  const cases: [string, Record<string, unknown>, (n: FixtureNote) => boolean][] = [
    ['country', { noteFilter: { country: 'FR' } }, (n) => countryCodeAt(n.lon, n.lat) === 'FR'],
    ['status', { noteFilter: { status: 'CLOSED' } }, (n) => noteStatus(n) === 'close'],
    ['opener', { noteFilter: { openedBy: 1 } }, (n) => opener(n) === 1],
    ['application', { noteFilter: { application: 'JOSM' } }, (n) => detectApplication(n.comments[0]!.text)?.name === 'JOSM'],
    ['hashtag', { noteFilter: { hashtag: 'Survey' } }, (n) => n.comments.some((c) => hashtagsOf(c.text).some((h) => h.toLowerCase() === 'survey'))],
    ['creation time', { from: '2024-01-01T00:00:00Z', to: '2024-07-01T00:00:00Z' }, (n) => n.comments[0]!.at >= '2024' && n.comments[0]!.at < '2024-07'],
  ];
  it.each(cases)('filters by %s', async (_name, variables, keep) => {
    const args = Object.keys(variables).map((k) => `${k === 'noteFilter' ? 'filter' : k}: $${k}`).join(', ');
    const served = await all<{ id: number }>('notes', args, 'id', 2, variables);
    const expected = NOTES.filter(keep).map((n) => n.id).sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    expect(served.map((n) => n.id)).toEqual(expected);
  });

  it('orders by creation time, newest first, across pages', async () => {
    const served = await all<{ id: number }>('notes', 'orderBy: { field: CREATED_AT, direction: DESC }', 'id', 5);
    const expected = [...NOTES].sort((a, b) => b.comments[0]!.at.localeCompare(a.comments[0]!.at)).map((n) => n.id);
    expect(served.map((n) => n.id)).toEqual(expected);
  });

  it('serves a note with its country, application, comments and facts', async () => {
    const { note } = await query<{ note: Record<string, unknown> }>(`{ note(id: 1010) {
      id status country { code } application { name } comments { sequenceAction action user { username } text }
      facts { sequenceAction action daysToResolution daysToResolutionFromReopen } } }`);
    expect(note).toEqual({
      id: 1010,
      status: 'CLOSED',
      country: { code: countryCodeAt(151.2093, -33.8688) },
      application: { name: 'Vespucci' },
      comments: [
        { sequenceAction: 1, action: 'OPENED', user: { username: 'dave' }, text: 'Crossing missing Vespucci 20.1' },
        { sequenceAction: 2, action: 'REOPENED', user: { username: 'eve' }, text: null },
        { sequenceAction: 3, action: 'CLOSED', user: { username: 'eve' }, text: 'ok' },
      ],
      facts: [
        { sequenceAction: 1, action: 'OPENED', daysToResolution: null, daysToResolutionFromReopen: null },
        { sequenceAction: 2, action: 'REOPENED', daysToResolution: null, daysToResolutionFromReopen: null },
        { sequenceAction: 3, action: 'CLOSED', daysToResolution: 3, daysToResolutionFromReopen: 2 },
      ],
    });
  });
});

describe('related objects load in bounded SQL (no N+1)', () => {
  async function statementsFor(text: string): Promise<number> {
    counted.reset();
    await query(text, undefined, countedServer.url);
    return counted.statements();
  }

  const nestedNotes = (n: number) => `{ notes(first: ${n}) { edges { node {
      id country { code stats { opened } } application { name versions }
      comments { user { username stats { opened } } }
      facts { country { code } user { username } hashtags { name uses } note { id } } } } } }`;
  const nestedFacts = (n: number) => `{ facts(first: ${n}) { edges { node {
      country { name } user { username } openedBy { username } closedBy { username }
      application { name notesOpened } hashtags { name uses }
      note { id comments { user { id } } facts { sequenceAction } } } } } }`;

  it('a nested notes query runs the same statements for 2 notes as for 12', async () => {
    await statementsFor(nestedNotes(1)); // reference rows (countries, applications) are cached once
    const small = await statementsFor(nestedNotes(2));
    const large = await statementsFor(nestedNotes(12));
    expect(large).toBe(small);
    // BEGIN+SET, page, COMMIT, then one per kind of related rows: country stats, comments,
    // users, user stats, facts, versions, fact users, hashtags, hashtag uses, notes.
    expect(large).toBeLessThanOrEqual(13);
  });

  it('a nested facts query runs the same statements for 3 facts as for 30', async () => {
    await statementsFor(nestedFacts(1));
    const small = await statementsFor(nestedFacts(3));
    const large = await statementsFor(nestedFacts(30));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(13);
  });

  it('a countries page with figures reads its stats with the page itself', async () => {
    const q = (n: number) => `{ countries(first: ${n}, orderBy: { field: BACKLOG }) { edges { node {
      code stats { opened backlog lastYearActivity years { year } topHashtags(first: 3) { hashtag { name } } } } } } }`;
    await statementsFor(q(1));
    expect(await statementsFor(q(11))).toBe(await statementsFor(q(2)));
  });
});

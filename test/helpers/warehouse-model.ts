// A reference implementation of shared/WAREHOUSE.md in plain TypeScript, written apart from
// the SQL, so tests can compare what the processor stored with values computed independently.
import { countryCodeAt } from '../../src/ingest/country-lookup.ts';
import type { StatsRow } from '../../src/resolvers/stats.ts';
import type { Action, FixtureNote } from './notes.ts';

export interface ModelFact {
  note: number;
  seq: number;
  action: Action;
  country: string;
  actionDate: string;
  hourOfWeek: number;
  userId: number | null;
  openedDate: string;
  openedUserId: number | null;
  closedDate: string | null;
  closedUserId: number | null;
  application: string | null;
  version: string | null;
  recentOpenedDate: string;
  daysToResolution: number | null;
  daysToResolutionActive: number | null;
  daysToResolutionFromReopen: number | null;
  commentLength: number | null;
  hasUrl: boolean;
  hasMention: boolean;
  hashtags: string[];
  totalComments: number;
  totalReopenings: number;
  totalActions: number;
}

const APPLICATIONS: [string, RegExp][] = [
  ['StreetComplete', /via StreetComplete/i],
  ['MAPS.ME', /#mapsme/i],
  ['Every Door', /#EveryDoor/i],
  ['OsmAnd', /#OsmAnd/i],
  ['Locus Map', /#LocusMap/i],
  ['Organic Maps (Android)', /#organicmaps +android/i],
  ['Organic Maps (iOS)', /#organicmaps +ios/i],
  ['Organic Maps', /#organicmaps/i],
  ['OSM Report', /#osmreport/i],
  ['onosm.org', /^\s*onosm\.org/i],
  ['MapComplete', /#MapComplete/i],
  ['Mapy.cz', /#Mapy\.?cz/i],
  ['iD', /(?:^|[\s(])(?:with )?iD(?=[\s).,:;!]|$)/],
  ['JOSM', /\bJOSM\b/i],
  ['Vespucci', /\bVespucci\b/i],
  ['Go Map!!', /\bGo Map(?:!!)?/i],
  ['Potlatch', /\bPotlatch\b/i],
  ['Mapillary', /\bMapillary\b/i],
];

const WORD = '\\p{L}\\p{N}_';
const HASHTAG = new RegExp(`(?:^|[^${WORD}/#&])#([${WORD}]+)`, 'gu');
const MENTION = new RegExp(`@[${WORD}]`, 'u');

export const utcDate = (iso: string) => iso.slice(0, 10);
const days = (later: string, earlier: string) =>
  Math.round((Date.parse(utcDate(later)) - Date.parse(utcDate(earlier))) / 86_400_000);

export function detectApplication(text: string | undefined): { name: string; version: string | null } | null {
  if (!text) return null;
  for (const [name, pattern] of APPLICATIONS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const after = text.slice(match.index + match[0].length);
    return { name, version: /^[ :/]+v?(\d+\.\d+(?:\.\d+)?)/.exec(after)?.[1] ?? null };
  }
  return null;
}

export function hashtagsOf(text: string | undefined): string[] {
  return text ? [...text.matchAll(HASHTAG)].map((m) => m[1]!) : [];
}

export function modelFacts(notes: FixtureNote[]): ModelFact[] {
  return notes.flatMap((note) => {
    const comments = note.comments;
    const opening = comments.find((c) => c.action === 'opened') ?? comments[0]!;
    const openedUserId = comments.find((c) => c.action === 'opened')?.uid ?? null;
    const app = detectApplication(comments.find((c) => c.action === 'opened')?.text);
    const country = countryCodeAt(note.lon, note.lat);
    let recentOpen: string | null = null;
    let lastReopen: string | null = null;
    let openSince: string | null = opening.at; // null while the note is closed
    let active = 0;
    let commentsSoFar = 0;
    let reopeningsSoFar = 0;
    return comments.map((c, i): ModelFact => {
      if (c.action === 'opened' || c.action === 'reopened') recentOpen = c.at;
      if (c.action === 'reopened') {
        lastReopen = c.at;
        reopeningsSoFar++;
      }
      // An open span starts at the first opening or reopening after a close, not at a
      // reopening of a note that is already open.
      if ((c.action === 'opened' || c.action === 'reopened') && openSince === null) openSince = c.at;
      if (c.action === 'commented') commentsSoFar++;
      const closing = c.action === 'closed';
      if (closing) {
        if (openSince !== null) active += days(c.at, openSince);
        openSince = null;
      }
      const d = new Date(c.at);
      const text = c.text === '' ? undefined : c.text;
      return {
        note: note.id,
        seq: i + 1,
        action: c.action,
        country,
        actionDate: utcDate(c.at),
        hourOfWeek: (d.getUTCDay() === 0 ? 7 : d.getUTCDay()) * 100 + d.getUTCHours(),
        userId: c.uid ?? null,
        openedDate: utcDate(opening.at),
        openedUserId,
        closedDate: closing ? utcDate(c.at) : null,
        closedUserId: closing ? (c.uid ?? null) : null,
        application: app?.name ?? null,
        version: app?.version ?? null,
        recentOpenedDate: utcDate(recentOpen ?? opening.at),
        daysToResolution: closing ? days(c.at, opening.at) : null,
        daysToResolutionActive: closing ? active : null,
        daysToResolutionFromReopen: closing && lastReopen ? days(c.at, lastReopen) : null,
        commentLength: text === undefined ? null : [...text].length,
        hasUrl: text !== undefined && /https?:\/\//i.test(text),
        hasMention: text !== undefined && MENTION.test(text),
        hashtags: hashtagsOf(text),
        totalComments: commentsSoFar,
        totalReopenings: reopeningsSoFar,
        totalActions: i + 1,
      };
    });
  });
}

/** What the model computes for a scope: the read API's figures (its backlog aside), with breakdowns. */
export interface Figures extends Omit<StatsRow, 'backlog'> {
  hashtags: Record<string, number>;
  applications: Record<string, number>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

function figures(facts: ModelFact[], stateNotes: { state: 'open' | 'resolved' }[]): Figures {
  const count = (a: Action) => facts.filter((f) => f.action === a).length;
  const withText = facts.filter((f) => f.commentLength !== null);
  const closes = facts.filter((f) => f.action === 'closed' && f.daysToResolution !== null);
  const resolutionDays = closes.map((f) => f.daysToResolution!);
  const stillOpen = stateNotes.filter((n) => n.state === 'open').length;
  const resolved = stateNotes.filter((n) => n.state === 'resolved').length;
  const dates = facts.map((f) => f.actionDate).sort();
  const tally = (keys: string[]) => keys.reduce<Record<string, number>>((t, k) => ({ ...t, [k]: (t[k] ?? 0) + 1 }), {});
  const apps = tally(facts.filter((f) => f.action === 'opened' && f.application).map((f) => f.application!));
  const pct = (n: number) => (withText.length ? round2((100 * n) / withText.length) : null);
  return {
    opened: count('opened'),
    commented: count('commented'),
    closed: count('closed'),
    closedWithComment: facts.filter((f) => f.action === 'closed' && f.commentLength !== null).length,
    reopened: count('reopened'),
    hidden: count('hidden'),
    stillOpen,
    resolved,
    resolutionRate: stillOpen + resolved ? round2((100 * resolved) / (stillOpen + resolved)) : null,
    avgDaysToResolution: closes.length ? round2(resolutionDays.reduce((a, b) => a + b, 0) / closes.length) : null,
    medianDaysToResolution: median(resolutionDays),
    avgCommentLength: withText.length
      ? round2(withText.reduce((a, f) => a + f.commentLength!, 0) / withText.length)
      : null,
    commentsWithUrlPct: pct(withText.filter((f) => f.hasUrl).length),
    commentsWithMentionPct: pct(withText.filter((f) => f.hasMention).length),
    applicationsUsed: Object.keys(apps).length,
    firstActionDate: dates[0] ?? null,
    lastActionDate: dates.at(-1) ?? null,
    hashtags: tally(facts.flatMap((f) => f.hashtags.map((h) => h.toLowerCase()))),
    applications: apps,
  };
}

/** The state that counts for still-open / resolved: the latest opened/closed/reopened/hidden action. */
function noteState(facts: ModelFact[]): 'open' | 'resolved' | null {
  const last = facts.filter((f) => f.action !== 'commented').at(-1);
  if (!last || last.action === 'hidden') return null;
  return last.action === 'closed' ? 'resolved' : 'open';
}

export interface ModelDatamarts {
  global: Figures;
  countries: Map<string, Figures>;
  users: Map<number, Figures>;
}

export function modelDatamarts(notes: FixtureNote[]): ModelDatamarts {
  const facts = modelFacts(notes);
  const byNote = new Map<number, ModelFact[]>();
  for (const f of facts) byNote.set(f.note, [...(byNote.get(f.note) ?? []), f]);
  const states = [...byNote.values()].flatMap((fs) => {
    const state = noteState(fs);
    return state ? [{ state, country: fs[0]!.country, opener: fs[0]!.openedUserId }] : [];
  });
  const countries = new Map<string, Figures>();
  for (const code of new Set(facts.map((f) => f.country))) {
    countries.set(code, figures(facts.filter((f) => f.country === code), states.filter((s) => s.country === code)));
  }
  const users = new Map<number, Figures>();
  const userIds = new Set([...facts.map((f) => f.userId), ...states.map((s) => s.opener)].filter((u) => u !== null));
  for (const uid of userIds) {
    users.set(uid, figures(facts.filter((f) => f.userId === uid), states.filter((s) => s.opener === uid)));
  }
  return { global: figures(facts, states), countries, users };
}

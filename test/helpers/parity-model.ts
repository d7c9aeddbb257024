// The datamart-parity figures (docs/parity.md) computed in plain TypeScript from model facts,
// apart from the SQL, for comparisons with what the API serves.
import type { Action } from './notes.ts';
import type { TimedFact } from './read-api.ts';

export const ACTION_ORDER: Action[] = ['opened', 'closed', 'reopened', 'commented', 'hidden'];
const GRAPHQL_ACTION: Record<Action, string> = {
  opened: 'OPENED', closed: 'CLOSED', reopened: 'REOPENED', commented: 'COMMENTED', hidden: 'HIDDEN',
};

export function modelPeriodCounts(facts: TimedFact[], today: string) {
  const counts = (inside: (day: string) => boolean) => {
    const chosen = facts.filter((f) => inside(f.actionDate));
    const of = (a: Action) => chosen.filter((f) => f.action === a).length;
    return {
      opened: of('opened'), commented: of('commented'), closed: of('closed'),
      closedWithComment: chosen.filter((f) => f.action === 'closed' && f.commentLength !== null).length,
      reopened: of('reopened'), hidden: of('hidden'),
    };
  };
  return {
    today: counts((d) => d === today),
    thisMonth: counts((d) => d.slice(0, 7) === today.slice(0, 7) && d <= today),
    thisYear: counts((d) => d.slice(0, 4) === today.slice(0, 4) && d <= today),
  };
}

export function modelActionMarks(facts: TimedFact[]) {
  return ACTION_ORDER.flatMap((action) => {
    const of = facts.filter((f) => f.action === action);
    if (of.length === 0) return [];
    const sorted = [...of].sort((a, b) => a.at.localeCompare(b.at) || a.note - b.note);
    const latest = [...of].sort((a, b) => b.at.localeCompare(a.at) || b.note - a.note)[0]!;
    return [{
      action: GRAPHQL_ACTION[action],
      count: of.length,
      first: { noteId: sorted[0]!.note, at: sorted[0]!.at },
      latest: { noteId: latest.note, at: latest.at },
    }];
  });
}

export function modelPeakDays(facts: TimedFact[], action: Action, first: number) {
  const byDay = new Map<string, number>();
  for (const f of facts) if (f.action === action) byDay.set(f.actionDate, (byDay.get(f.actionDate) ?? 0) + 1);
  return [...byDay]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, first)
    .map(([date, count]) => ({ date, count }));
}

export function modelWorkingHours(facts: TimedFact[]) {
  const slots = (action: Action) => {
    const out = new Array<number>(168).fill(0);
    for (const f of facts) if (f.action === action) out[(Math.floor(f.hourOfWeek / 100) - 1) * 24 + (f.hourOfWeek % 100)]!++;
    return out;
  };
  return { opening: slots('opened'), commenting: slots('commented'), closing: slots('closed') };
}

/** A ranking of `keyOf` by facts of `action`, most first, ties sharing a rank and listed by key. */
export function modelRanking<K extends string | number>(
  facts: TimedFact[],
  action: Action,
  keyOf: (f: TimedFact) => K | null,
  first: number,
): { rank: number; count: number; key: K }[] {
  const counts = new Map<K, number>();
  for (const f of facts) {
    const key = keyOf(f);
    if (f.action === action && key !== null && f.userId !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return sorted.slice(0, first).map(([key, count]) => ({ rank: 1 + sorted.filter(([, c]) => c > count).length, count, key }));
}

/** Hashtag uses (lower case) in actions of one kind. */
export function modelHashtagUses(facts: TimedFact[], action: Action): Record<string, number> {
  const uses: Record<string, number> = {};
  for (const f of facts) if (f.action === action) for (const tag of f.hashtags) uses[tag.toLowerCase()] = (uses[tag.toLowerCase()] ?? 0) + 1;
  return uses;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A user's behaviour: `all` are every fact, `created` each note's creation time. */
export function modelBehaviour(all: TimedFact[], user: number, created: Map<number, string>) {
  const mine = all.filter((f) => f.userId === user);
  const opened = new Set(mine.filter((f) => f.action === 'opened').map((f) => f.note));
  const closedByMe = new Set(mine.filter((f) => f.action === 'closed').map((f) => f.note));
  const firstComment = new Map<number, string>();
  for (const f of mine) {
    if (f.action !== 'commented' || f.openedUserId === user) continue;
    const before = firstComment.get(f.note);
    if (before === undefined || f.at < before) firstComment.set(f.note, f.at);
  }
  const waits = [...firstComment].map(([note, at]) => (Date.parse(at) - Date.parse(created.get(note)!)) / 86_400_000);
  const replied = new Set(
    mine
      .filter((f) => f.action === 'commented')
      .filter((f) => all.some((p) => p.note === f.note && p.seq < f.seq && p.action === 'commented' && p.userId !== user))
      .map((f) => f.note),
  );
  const mentionsGiven = mine.filter((f) => f.hasMention).length;
  const mentionsReceived = all.filter((f) => opened.has(f.note) && f.hasMention && f.userId !== user).length;
  return {
    notesOpenedNotClosedByUser: [...opened].filter((n) => !closedByMe.has(n)).length,
    responseTimeDays: waits.length === 0 ? null : round2(waits.reduce((a, b) => a + b, 0) / waits.length),
    mentionsGiven,
    mentionsReceived,
    replies: replied.size,
    collaborationScore: mentionsGiven + mentionsReceived + replied.size,
  };
}

/** Resolution per calendar month: openings and closes made in it, days to resolution of its closes. */
export function modelResolutionByMonth(facts: TimedFact[]) {
  const months = [...new Set(facts.filter((f) => f.action === 'opened' || f.action === 'closed').map((f) => f.actionDate.slice(0, 7)))].sort();
  return months.map((ym) => {
    const fs = facts.filter((f) => f.actionDate.startsWith(ym));
    const opened = fs.filter((f) => f.action === 'opened').length;
    const closed = fs.filter((f) => f.action === 'closed').length;
    const days = fs.filter((f) => f.action === 'closed' && f.daysToResolution !== null).map((f) => f.daysToResolution!).sort((a, b) => a - b);
    const n = days.length;
    return {
      year: Number(ym.slice(0, 4)),
      month: Number(ym.slice(5, 7)),
      opened,
      closed,
      resolvedCloses: n,
      avgDaysToResolution: n ? round2(days.reduce((a, b) => a + b, 0) / n) : null,
      medianDaysToResolution: n ? (days[Math.floor((n - 1) / 2)]! + days[Math.ceil((n - 1) / 2)]!) / 2 : null,
      resolutionRate: opened ? round2((100 * closed) / opened) : null,
    };
  });
}

/** Comment actions / distinct notes they were made on, 2 decimals; null without comments. */
export function modelAvgCommentsPerNote(facts: TimedFact[]): number | null {
  const comments = facts.filter((f) => f.action === 'commented');
  const notes = new Set(comments.map((f) => f.note)).size;
  return notes ? Math.round((100 * comments.length) / notes) / 100 : null;
}

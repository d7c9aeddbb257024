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

// Distinct notes commented on by users and in countries, for avgCommentsPerNote (the
// reference's avg_comments_per_note), read from the facts when asked: no datamart keeps
// distinct notes. A country counts its notes' first comments (total_comments_on_note = 1)
// through a partial index holding those only (migration 0007); a user's commented notes are
// read through the facts' index by user, i.e. every fact of that user.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { scopeKeys, type Scope } from './stats-scope.ts';

/** Notes with at least one comment action counted by the owner; null for the world. */
export async function notesCommentedOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<(number | null)[]> {
  if (scope === 'global') return ids.map(() => null);
  const count =
    scope === 'user'
      ? sql`(SELECT count(DISTINCT f.id_note) FROM dwh.facts f
             WHERE f.action_dimension_id_user = k.key AND f.action_comment = 'commented')`
      : sql`(SELECT count(*) FROM dwh.facts f
             WHERE f.dimension_id_country = k.key AND f.action_comment = 'commented' AND f.total_comments_on_note = 1)`;
  const result = await db.rows<{ id: number; notes: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)})
    SELECT k.id, coalesce(${count}, 0)::int AS notes FROM k`);
  const byId = new Map(result.map((r) => [r.id, r.notes]));
  return ids.map((id) => byId.get(id) ?? 0);
}

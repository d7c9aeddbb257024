// Application version adoption of users and countries (the reference's version_adoption_rates),
// read from the facts when asked: versions are in no datamart. The openings with a detected
// version have partial indexes per user and per country (migration 0006), so a read touches
// those openings only, not every fact of a large country.
import { sql } from 'drizzle-orm';
import type { Reader } from '../db/client.ts';
import { groupBy } from './notes.ts';
import { scopeKeys, type Scope } from './stats-scope.ts';

export interface VersionAdoptionRow {
  year: number;
  applicationId: number;
  version: string;
  notes: number;
  adoptionRate: number;
}

/**
 * Notes opened per year, application and version (year of the opening, UTC), with each
 * version's share of the year's openings of that application that have a version; null for
 * the world (it would read every versioned opening).
 */
export async function versionAdoptionOf(db: Reader, scope: Scope, ids: readonly number[]): Promise<(VersionAdoptionRow[] | null)[]> {
  if (scope === 'global') return ids.map(() => null);
  const owner = scope === 'user' ? sql`f.action_dimension_id_user` : sql`f.dimension_id_country`;
  const result = await db.rows<VersionAdoptionRow & { id: number }>(sql`
    WITH k AS (${scopeKeys(scope, ids)}),
    counted AS (
      SELECT k.id, extract(year FROM (f.action_at AT TIME ZONE 'UTC'))::int AS year,
             f.dimension_application_creation AS app, f.dimension_application_version AS version_id, count(*)::int AS notes
      FROM k
      JOIN dwh.facts f ON ${owner} = k.key
      WHERE f.action_comment = 'opened' AND f.dimension_application_version IS NOT NULL
      GROUP BY 1, 2, 3, 4
    )
    SELECT c.id, c.year, c.app AS "applicationId", v.version, c.notes,
           round(100.0 * c.notes / sum(c.notes) OVER (PARTITION BY c.id, c.year, c.app), 2) AS "adoptionRate"
    FROM counted c
    JOIN dwh.dimension_application_versions v ON v.dimension_application_version_id = c.version_id
    ORDER BY c.id, c.year, c.app, c.notes DESC, string_to_array(v.version, '.')::int[] DESC`);
  return groupBy(ids, result, (r) => r.id);
}

// Turns the filters clients give (country code, OSM user id, application name, hashtag text…)
// into one SQL condition over dwh.facts aliased `f`. Dimension keys are looked up inside the
// statement (an InitPlan evaluated once), so a filter costs no extra round trip.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import { areaConditions, type AreaFilter } from './area-sql.ts';
import { applicationByName, countryByCode, dimensionCountryId } from './directory.ts';
import { factsMatching, searchQuery, type TextSearch } from './text-search.ts';

export type NoteEvent = 'opened' | 'commented' | 'closed' | 'reopened' | 'hidden';
export type NoteStatusValue = 'open' | 'close' | 'hidden';

export interface FactFilter extends AreaFilter {
  /** ISO 3166-1 alpha-2 code of the note's country ('ZZ': no country). */
  country?: string | null;
  /** OSM id of the user who made the action. */
  user?: number | null;
  actions?: readonly NoteEvent[] | null;
  /** Name of the application the note was opened with. */
  application?: string | null;
  /** A hashtag in the action's text, with or without '#', any case. */
  hashtag?: string | null;
  /** The note's current status. */
  noteStatus?: NoteStatusValue | null;
  note?: number | null;
  /** Words in the action's own text (src/resolvers/text-search.ts). */
  text?: TextSearch | null;
}

/** A half-open time range [from, to) over action times. */
export interface TimeRange {
  from?: Date | null;
  to?: Date | null;
}

export function checkRange(range: TimeRange, fromArgument = 'from'): void {
  if (range.from && range.to && range.from.getTime() > range.to.getTime()) {
    throw new UserInputError(
      `from (${range.from.toISOString()}) is after to (${range.to.toISOString()})`,
      fromArgument,
      range.from.toISOString(),
    );
  }
}

/** The condition; `argument` prefixes the names in error messages (e.g. "filter.country"). */
export async function factCondition(
  db: Database,
  filter: FactFilter | null | undefined,
  range: TimeRange = {},
  argument = 'filter',
): Promise<SQL> {
  checkRange(range);
  const parts: SQL[] = [];
  const f = filter ?? {};
  if (f.country != null) {
    const country = await countryByCode(db, f.country, `${argument}.country`);
    const key = await dimensionCountryId(db, country);
    parts.push(key === null ? sql`false` : sql`f.dimension_id_country = ${key}`);
  }
  if (f.user != null) {
    parts.push(sql`f.action_dimension_id_user = (SELECT dimension_user_id FROM dwh.dimension_users WHERE user_id = ${f.user})`);
  }
  if (f.actions != null) {
    if (f.actions.length === 0) parts.push(sql`false`);
    else parts.push(sql`f.action_comment = ANY (${sql.param([...f.actions])}::note_event_enum[])`);
  }
  if (f.application != null) {
    const application = await applicationByName(db, f.application, `${argument}.application`);
    parts.push(sql`f.dimension_application_creation = ${application.applicationId}`);
  }
  if (f.hashtag != null) {
    parts.push(sql`(f.id_note, f.sequence_action) IN (
      SELECT b.id_note, b.sequence_action FROM dwh.fact_hashtags b
      WHERE b.dimension_hashtag_id = (SELECT dimension_hashtag_id FROM dwh.dimension_hashtags
                                      WHERE description_lower = ${normalizeHashtag(f.hashtag)}))`);
  }
  if (f.noteStatus != null) {
    parts.push(sql`EXISTS (SELECT 1 FROM public.notes n WHERE n.note_id = f.id_note AND n.status = ${f.noteStatus})`);
  }
  if (f.note != null) parts.push(sql`f.id_note = ${f.note}`);
  const text = searchQuery(f.text, `${argument}.text`);
  if (text) parts.push(factsMatching(text));
  if (f.noteIds != null) parts.push(sql`f.id_note = ANY (${sql.param([...f.noteIds])}::int[])`);
  const area = areaConditions(sql`n`, { bbox: f.bbox, polygon: f.polygon });
  if (area.length > 0) parts.push(sql`f.id_note IN (SELECT n.note_id FROM public.notes n WHERE ${sql.join(area, sql` AND `)})`);
  if (range.from) parts.push(sql`f.action_at >= ${range.from}`);
  if (range.to) parts.push(sql`f.action_at < ${range.to}`);
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` AND `);
}

/** '#Survey' and 'survey' name the same hashtag. */
export function normalizeHashtag(tag: string): string {
  return tag.trim().replace(/^#/, '').toLowerCase();
}

// Datamarts (schema `dwh`). The three `datamart_*` tables hold one row of figures per country,
// per user and one global row; the tables keyed by (scope, key, ...) hold the per-year, per-day
// and per-item figures. Everything is additive: applying a fact's contribution with sign +1 or
// -1 keeps them exact under replays and reprocessing, and a rebuild is the same code over every
// fact.
import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, numeric, primaryKey, smallint, timestamp } from 'drizzle-orm/pg-core';
import { noteEventEnum } from './base.ts';
import { dwh } from './warehouse.ts';

export const datamartScopeEnum = dwh.enum('datamart_scope', ['global', 'country', 'user']);
export const noteStateEnum = dwh.enum('note_state', ['open', 'resolved']);

// Counters are additive (a batch adds its delta); rates and averages are generated from them;
// the median, applications used and first/last dates are recomputed only for the keys whose
// inputs a batch changed.
const figures = () => ({
  historyWholeOpen: integer('history_whole_open').notNull().default(0),
  historyWholeCommented: integer('history_whole_commented').notNull().default(0),
  historyWholeClosed: integer('history_whole_closed').notNull().default(0),
  historyWholeClosedWithComment: integer('history_whole_closed_with_comment').notNull().default(0),
  historyWholeReopened: integer('history_whole_reopened').notNull().default(0),
  historyWholeHidden: integer('history_whole_hidden').notNull().default(0),
  notesStillOpen: integer('notes_still_open').notNull().default(0),
  notesResolved: integer('notes_resolved').notNull().default(0),
  withText: integer('with_text').notNull().default(0),
  sumCommentLength: bigint('sum_comment_length', { mode: 'number' }).notNull().default(0),
  withUrl: integer('with_url').notNull().default(0),
  withMention: integer('with_mention').notNull().default(0),
  resolvedCloses: integer('resolved_closes').notNull().default(0),
  sumDaysToResolution: bigint('sum_days_to_resolution', { mode: 'number' }).notNull().default(0),
  resolutionRate: numeric('resolution_rate', { mode: 'number' }).generatedAlwaysAs(
    sql`round(100.0 * notes_resolved / nullif(notes_resolved + notes_still_open, 0), 2)`,
  ),
  avgDaysToResolution: numeric('avg_days_to_resolution', { mode: 'number' }).generatedAlwaysAs(
    sql`round(sum_days_to_resolution::numeric / nullif(resolved_closes, 0), 2)`,
  ),
  medianDaysToResolution: numeric('median_days_to_resolution', { mode: 'number' }),
  avgCommentLength: numeric('avg_comment_length', { mode: 'number' }).generatedAlwaysAs(
    sql`round(sum_comment_length::numeric / nullif(with_text, 0), 2)`,
  ),
  commentsWithUrlPct: numeric('comments_with_url_pct', { mode: 'number' }).generatedAlwaysAs(
    sql`round(100.0 * with_url / nullif(with_text, 0), 2)`,
  ),
  commentsWithMentionPct: numeric('comments_with_mention_pct', { mode: 'number' }).generatedAlwaysAs(
    sql`round(100.0 * with_mention / nullif(with_text, 0), 2)`,
  ),
  applicationsUsed: integer('applications_used').notNull().default(0),
  firstActionDate: date('first_action_date'),
  lastActionDate: date('last_action_date'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datamartCountries = dwh.table('datamart_countries', {
  dimensionCountryId: integer('dimension_country_id').primaryKey(),
  ...figures(),
});

export const datamartUsers = dwh.table('datamart_users', {
  dimensionUserId: integer('dimension_user_id').primaryKey(),
  ...figures(),
});

export const datamartGlobal = dwh.table('datamart_global', {
  globalId: smallint('global_id').primaryKey(),
  ...figures(),
});

const scoped = () => ({
  scope: datamartScopeEnum('scope').notNull(),
  key: integer('key').notNull(),
});

/** Action counts and sums per year; whole-history figures are their sums. */
export const datamartYears = dwh.table(
  'datamart_years',
  {
    ...scoped(),
    year: smallint('year').notNull(),
    opened: integer('opened').notNull().default(0),
    commented: integer('commented').notNull().default(0),
    closed: integer('closed').notNull().default(0),
    closedWithComment: integer('closed_with_comment').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
    hidden: integer('hidden').notNull().default(0),
    withText: integer('with_text').notNull().default(0),
    sumCommentLength: bigint('sum_comment_length', { mode: 'number' }).notNull().default(0),
    withUrl: integer('with_url').notNull().default(0),
    withMention: integer('with_mention').notNull().default(0),
    resolvedCloses: integer('resolved_closes').notNull().default(0),
    sumDaysToResolution: bigint('sum_days_to_resolution', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.year] })],
);

/** Histogram of days to resolution of closing actions per year of the close: medians come from it. */
export const datamartResolutionDays = dwh.table(
  'datamart_resolution_days',
  {
    ...scoped(),
    year: smallint('year').notNull(),
    days: integer('days').notNull(),
    closes: integer('closes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.year, t.days] })],
);

/**
 * The same histogram per month of the close, read for resolutionByMonth only: kept apart so that
 * the whole-history medians a batch recomputes read the (several times smaller) yearly rows.
 */
export const datamartResolutionMonths = dwh.table(
  'datamart_resolution_months',
  {
    ...scoped(),
    year: smallint('year').notNull(),
    month: smallint('month').notNull(),
    days: integer('days').notNull(),
    closes: integer('closes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.year, t.month, t.days] })],
);

/** Notes opened with each application. */
export const datamartApplications = dwh.table(
  'datamart_applications',
  {
    ...scoped(),
    year: smallint('year').notNull(),
    dimensionApplicationId: integer('dimension_application_id').notNull(),
    notes: integer('notes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.year, t.dimensionApplicationId] })],
);

/** Hashtag uses, by the kind of action whose text holds them (hashtags of openings, closes, comments). */
export const datamartHashtags = dwh.table(
  'datamart_hashtags',
  {
    ...scoped(),
    year: smallint('year').notNull(),
    action: noteEventEnum('action').notNull(),
    dimensionHashtagId: integer('dimension_hashtag_id').notNull(),
    uses: integer('uses').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.year, t.action, t.dimensionHashtagId] })],
);

/**
 * Actions of each kind per UTC day: counters of today, this month and this year, peak days,
 * first and latest day of each kind, and recent-window figures (created and resolved in the
 * last 30 days). `withText` counts those with a non-empty text (closed with comment).
 */
export const datamartActionDays = dwh.table(
  'datamart_action_days',
  {
    ...scoped(),
    action: noteEventEnum('action').notNull(),
    day: date('day').notNull(),
    actions: integer('actions').notNull(),
    withText: integer('with_text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.action, t.day] })],
);

/** Actions of each kind per hour of the week (dwh.hour_of_week_key): working hours. */
export const datamartActionHours = dwh.table(
  'datamart_action_hours',
  {
    ...scoped(),
    action: noteEventEnum('action').notNull(),
    hourOfWeek: smallint('hour_of_week').notNull(),
    actions: integer('actions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.action, t.hourOfWeek] })],
);

/**
 * Actions of each kind by user and country of the note, per month (first day of the UTC month):
 * where a user opens and solves notes, who opens and solves in a country, and the per-year
 * rankings both ways. Anonymous actions have no row.
 */
export const datamartUserCountries = dwh.table(
  'datamart_user_countries',
  {
    dimensionUserId: integer('dimension_user_id').notNull(),
    dimensionCountryId: integer('dimension_country_id').notNull(),
    month: date('month').notNull(),
    action: noteEventEnum('action').notNull(),
    actions: integer('actions').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.dimensionUserId, t.dimensionCountryId, t.month, t.action] }),
    index('datamart_user_countries_country_idx').on(t.dimensionCountryId, t.month),
  ],
);

/** Actions per day: first/last action dates and the last-year activity string. */
export const datamartActivityDays = dwh.table(
  'datamart_activity_days',
  {
    ...scoped(),
    day: date('day').notNull(),
    actions: integer('actions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.day] })],
);

/** Current state of each note (open or resolved) by opening day: still open, resolved, backlog. */
export const datamartNoteStates = dwh.table(
  'datamart_note_states',
  {
    ...scoped(),
    state: noteStateEnum('state').notNull(),
    openedDay: date('opened_day').notNull(),
    notes: integer('notes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.state, t.openedDay] })],
);


/** The current open/resolved state of each note (its last opened/closed/reopened/hidden action). */
export const noteCurrentState = dwh.table(
  'note_current_state',
  {
    idNote: integer('id_note').primaryKey(),
    dimensionIdCountry: integer('dimension_id_country').notNull(),
    openedDimensionIdUser: integer('opened_dimension_id_user'),
    openedDay: date('opened_day').notNull(),
    state: noteStateEnum('state').notNull(),
  },
  (t) => [index('note_current_state_open_idx').on(t.dimensionIdCountry, t.openedDay).where(sql`${t.state} = 'open'`)],
);

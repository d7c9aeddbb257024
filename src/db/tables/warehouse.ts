// Warehouse facts and dimensions (schema `dwh`); definitions in shared/WAREHOUSE.md.
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgSchema,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { noteEventEnum } from './base.ts';

export const dwh = pgSchema('dwh');

export const dimensionUsers = dwh.table(
  'dimension_users',
  {
    dimensionUserId: serial('dimension_user_id').primaryKey(),
    userId: integer('user_id').notNull().unique(),
    username: text('username').notNull(),
    previousUsernames: text('previous_usernames').array().notNull().default([]),
    modifiedAt: timestamp('modified_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // users(search:) lists users by username prefix in any letter case.
  (t) => [index('dimension_users_username_lower_idx').using('btree', sql`lower(${t.username}) text_pattern_ops`)],
);

/** Mirrors public.countries; the 'ZZ' row stands for the sea and unknown places. */
export const dimensionCountries = dwh.table('dimension_countries', {
  dimensionCountryId: serial('dimension_country_id').primaryKey(),
  countryId: integer('country_id').notNull().unique(),
  isoA2: text('iso_a2').notNull().unique(),
  isoA3: text('iso_a3'),
  countryName: text('country_name').notNull(),
});

/** Key is the date as yyyymmdd, so facts can compute it without a lookup. */
export const dimensionDays = dwh.table('dimension_days', {
  dimensionDayId: integer('dimension_day_id').primaryKey(),
  dateId: date('date_id').notNull().unique(),
  year: smallint('year').notNull(),
  month: smallint('month').notNull(),
  day: smallint('day').notNull(),
  isoYear: smallint('iso_year').notNull(),
  isoWeek: smallint('iso_week').notNull(),
  isoDow: smallint('iso_dow').notNull(),
});

/** Key is ISO day of week × 100 + hour (Monday 00:00 → 100, Sunday 23:00 → 723). */
export const dimensionTimeOfWeek = dwh.table('dimension_time_of_week', {
  dimensionTowId: smallint('dimension_tow_id').primaryKey(),
  isoDow: smallint('iso_dow').notNull(),
  hourOfDay: smallint('hour_of_day').notNull(),
  dayName: text('day_name').notNull(),
});

/** Detected from the opening comment; `pattern` is a PostgreSQL regex whose group 1 is the version. */
export const dimensionApplications = dwh.table('dimension_applications', {
  dimensionApplicationId: serial('dimension_application_id').primaryKey(),
  applicationName: text('application_name').notNull().unique(),
  pattern: text('pattern').notNull(),
  priority: smallint('priority').notNull().unique(),
  platform: text('platform'),
  /** Lower-case text every match of `pattern` contains; the pattern is tried only where it occurs. */
  keyword: text('keyword'),
});

export const dimensionApplicationVersions = dwh.table(
  'dimension_application_versions',
  {
    dimensionApplicationVersionId: serial('dimension_application_version_id').primaryKey(),
    dimensionApplicationId: integer('dimension_application_id')
      .notNull()
      .references(() => dimensionApplications.dimensionApplicationId),
    version: text('version').notNull(),
  },
  (t) => [unique('dimension_application_versions_key').on(t.dimensionApplicationId, t.version)],
);

/** Hashtags match case-insensitively; the spelling first seen is kept. */
export const dimensionHashtags = dwh.table('dimension_hashtags', {
  dimensionHashtagId: serial('dimension_hashtag_id').primaryKey(),
  description: text('description').notNull(),
  descriptionLower: text('description_lower').notNull().unique(),
});

export const facts = dwh.table(
  'facts',
  {
    factId: bigserial('fact_id', { mode: 'number' }).primaryKey(),
    idNote: integer('id_note').notNull(),
    sequenceAction: integer('sequence_action').notNull(),
    dimensionIdCountry: integer('dimension_id_country').notNull(),
    actionAt: timestamp('action_at', { withTimezone: true }).notNull(),
    actionComment: noteEventEnum('action_comment').notNull(),
    actionDimensionIdDate: integer('action_dimension_id_date').notNull(),
    actionDimensionIdHourOfWeek: smallint('action_dimension_id_hour_of_week').notNull(),
    actionDimensionIdUser: integer('action_dimension_id_user'),
    openedDimensionIdDate: integer('opened_dimension_id_date').notNull(),
    openedDimensionIdHourOfWeek: smallint('opened_dimension_id_hour_of_week').notNull(),
    openedDimensionIdUser: integer('opened_dimension_id_user'),
    closedDimensionIdDate: integer('closed_dimension_id_date'),
    closedDimensionIdHourOfWeek: smallint('closed_dimension_id_hour_of_week'),
    closedDimensionIdUser: integer('closed_dimension_id_user'),
    dimensionApplicationCreation: integer('dimension_application_creation'),
    dimensionApplicationVersion: integer('dimension_application_version'),
    recentOpenedDimensionIdDate: integer('recent_opened_dimension_id_date').notNull(),
    daysToResolution: integer('days_to_resolution'),
    daysToResolutionActive: integer('days_to_resolution_active'),
    daysToResolutionFromReopen: integer('days_to_resolution_from_reopen'),
    commentLength: integer('comment_length'),
    hasUrl: boolean('has_url').notNull(),
    hasMention: boolean('has_mention').notNull(),
    hashtagNumber: integer('hashtag_number').notNull(),
    totalCommentsOnNote: integer('total_comments_on_note').notNull(),
    totalReopeningsCount: integer('total_reopenings_count').notNull(),
    totalActionsOnNote: integer('total_actions_on_note').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('facts_note_sequence_key').on(t.idNote, t.sequenceAction),
    index('facts_country_action_at_idx').on(t.dimensionIdCountry, t.actionAt),
    index('facts_user_action_at_idx').on(t.actionDimensionIdUser, t.actionAt),
    index('facts_action_at_idx').on(t.actionAt),
    index('facts_application_idx').on(t.dimensionApplicationCreation),
    // Openings with a detected version, per user and per country: versionAdoption reads these only.
    index('facts_user_version_idx')
      .on(t.actionDimensionIdUser, t.actionAt)
      .where(sql`${t.actionComment} = 'opened' AND ${t.dimensionApplicationVersion} IS NOT NULL`),
    index('facts_country_version_idx')
      .on(t.dimensionIdCountry, t.actionAt)
      .where(sql`${t.actionComment} = 'opened' AND ${t.dimensionApplicationVersion} IS NOT NULL`),
    // Each note's first comment, per country: notes commented on, for avgCommentsPerNote.
    index('facts_country_first_comment_idx')
      .on(t.dimensionIdCountry)
      .where(sql`${t.actionComment} = 'commented' AND ${t.totalCommentsOnNote} = 1`),
  ],
);

export const factHashtags = dwh.table(
  'fact_hashtags',
  {
    idNote: integer('id_note').notNull(),
    sequenceAction: integer('sequence_action').notNull(),
    position: smallint('position').notNull(),
    // References dimension_hashtags, checked per statement by a trigger, not per row.
    dimensionHashtagId: integer('dimension_hashtag_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.idNote, t.sequenceAction, t.position] }),
    index('fact_hashtags_hashtag_idx').on(t.dimensionHashtagId),
  ],
);


// Base tables, named and shaped as in OSM-Notes-Ingestion so that its tools and ours agree.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  char,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

export const noteStatusEnum = pgEnum('note_status_enum', ['open', 'close', 'hidden']);
export const noteEventEnum = pgEnum('note_event_enum', ['opened', 'closed', 'reopened', 'commented', 'hidden']);

/** ISO 3166-1 countries (seeded from country-coder at migrate time) plus 'ZZ' for no country. */
export const countries = pgTable('countries', {
  countryId: serial('country_id').primaryKey(),
  isoA2: char('iso_a2', { length: 2 }).notNull().unique(),
  isoA3: char('iso_a3', { length: 3 }),
  countryName: text('country_name').notNull(),
});

export const users = pgTable(
  'users',
  {
    userId: integer('user_id').primaryKey(),
    username: varchar('username', { length: 256 }).notNull(),
  },
  (t) => [
    // Usernames are looked up in any case (user(username:), compare) and searched by prefix
    // (users(search:)); text_pattern_ops serves both, whatever the database's collation.
    index('users_username_lower_idx').using('btree', sql`lower(${t.username}) text_pattern_ops`),
  ],
);

export const notes = pgTable(
  'notes',
  {
    noteId: integer('note_id').primaryKey(),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    status: noteStatusEnum('status').notNull().default('open'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    // References countries.country_id, checked per statement by a trigger, not per row.
    idCountry: integer('id_country'),
  },
  (t) => [
    index('notes_id_country_idx').on(t.idCountry),
    index('notes_created_at_idx').on(t.createdAt),
    // Area filters (src/resolvers/area-sql.ts) test point(longitude, latitude) against boxes and polygons.
    index('notes_position_gist').using('gist', sql`point(${t.longitude}, ${t.latitude})`),
  ],
);

export const noteComments = pgTable(
  'note_comments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // note_id and id_user reference notes and users, checked per statement by triggers:
    // a per-row foreign key cost a bulk import ~9 µs of PostgreSQL CPU per comment.
    noteId: integer('note_id').notNull(),
    sequenceAction: integer('sequence_action').notNull(),
    event: noteEventEnum('event').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    idUser: integer('id_user'),
  },
  (t) => [
    uniqueIndex('note_comments_note_sequence_key').on(t.noteId, t.sequenceAction),
    index('note_comments_id_user_idx').on(t.idUser).where(sql`${t.idUser} IS NOT NULL`),
    index('note_comments_created_at_idx').on(t.createdAt),
  ],
);

export const noteCommentsText = pgTable(
  'note_comments_text',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    noteId: integer('note_id').notNull(),
    sequenceAction: integer('sequence_action').notNull(),
    body: text('body'),
  },
  (t) => [
    uniqueIndex('note_comments_text_note_sequence_key').on(t.noteId, t.sequenceAction),
    // Full-text search of notes and facts (src/resolvers/text-search.ts, which says why 'simple').
    index('note_comments_text_body_search_idx').using('gin', sql`to_tsvector('simple', ${t.body})`),
  ],
);

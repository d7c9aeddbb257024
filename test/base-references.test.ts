// The base tables' references (note_comments → notes and users, notes → countries) and the
// hashtag bridge's (dwh.fact_hashtags → dwh.dimension_hashtags) are checked per statement by
// triggers (drizzle/functions/public/check_*.sql), not by per-row foreign keys. These tests hold them to
// what the foreign keys guaranteed: no row refers to a missing one, whatever the statement
// (insert, update, delete, truncate, several rows, data-modifying CTEs).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase();
let db: pg.Client;
let country: number;

beforeAll(async () => {
  db = await connectClient(testDb.url, 'test references');
  country = (await db.query<{ id: number }>(`SELECT country_id AS id FROM countries WHERE iso_a2 = 'FR'`)).rows[0]!.id;
  await db.query(`INSERT INTO users (user_id, username) VALUES (1, 'alice'), (2, 'bob')`);
  await db.query(
    `INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
     VALUES (10, 48.85, 2.35, now(), $1), (11, 48.85, 2.35, now(), $1)`,
    [country],
  );
  await db.query(
    `INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
     VALUES (10, 1, 'opened', now(), 1), (11, 1, 'opened', now(), NULL)`,
  );
});

afterAll(async () => {
  await db.end();
});

/** The error a statement fails with, or undefined when it succeeds (in a rolled-back transaction). */
async function failureOf(sql: string, values: unknown[] = []): Promise<{ code?: string; message: string; table?: string; column?: string } | undefined> {
  await db.query('BEGIN');
  try {
    await db.query(sql, values);
    return undefined;
  } catch (error) {
    const e = error as pg.DatabaseError;
    return { code: e.code, message: e.message, table: e.table, column: e.column };
  } finally {
    await db.query('ROLLBACK');
  }
}

async function counts() {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM notes) AS notes, (SELECT count(*)::int FROM note_comments) AS comments,
            (SELECT count(*)::int FROM users) AS users`,
  );
  return rows[0];
}

describe('references checked per statement', () => {
  it('no foreign key is left on these tables (the triggers replace them)', async () => {
    const { rows } = await db.query(
      `SELECT conname FROM pg_constraint
       WHERE contype = 'f' AND conrelid IN ('notes'::regclass, 'note_comments'::regclass, 'dwh.fact_hashtags'::regclass)`,
    );
    expect(rows).toEqual([]);
  });

  it('a comment on a missing note fails with 23503, naming the comment and the note', async () => {
    expect(
      await failureOf(
        `INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (10, 2, 'commented', now()), (99, 1, 'opened', now())`,
      ),
    ).toEqual({ code: '23503', message: 'comment 1 of note 99: note 99 does not exist', table: 'note_comments', column: 'note_id' });
  });

  it('a comment by a missing user fails; an anonymous one does not', async () => {
    expect(
      await failureOf(`INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user) VALUES (10, 2, 'commented', now(), 7)`),
    ).toEqual({ code: '23503', message: 'comment 2 of note 10: user 7 does not exist', table: 'note_comments', column: 'id_user' });
    expect(await failureOf(`INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (10, 2, 'commented', now())`)).toBeUndefined();
  });

  it('moving a comment to a missing note or user fails', async () => {
    expect((await failureOf(`UPDATE note_comments SET note_id = 98 WHERE note_id = 10`))?.message).toBe(
      'comment 1 of note 98: note 98 does not exist',
    );
    expect((await failureOf(`UPDATE note_comments SET id_user = 8 WHERE note_id = 11`))?.message).toBe(
      'comment 1 of note 11: user 8 does not exist',
    );
    expect(await failureOf(`UPDATE note_comments SET id_user = 2 WHERE note_id = 11`)).toBeUndefined();
  });

  it('a note in a missing country fails; a note with no country does not', async () => {
    expect(
      await failureOf(`INSERT INTO notes (note_id, latitude, longitude, created_at, id_country) VALUES (12, 0, 0, now(), -5)`),
    ).toEqual({ code: '23503', message: 'note 12: country -5 does not exist', table: 'notes', column: 'id_country' });
    expect((await failureOf(`UPDATE notes SET id_country = -6 WHERE note_id = 11`))?.message).toBe('note 11: country -6 does not exist');
    expect(await failureOf(`INSERT INTO notes (note_id, latitude, longitude, created_at) VALUES (12, 0, 0, now())`)).toBeUndefined();
  });

  it('a note, user or country still referred to cannot be deleted or renumbered', async () => {
    expect(await failureOf(`DELETE FROM notes WHERE note_id = 10`)).toEqual({
      code: '23503',
      message: 'note 10 is still referred to by note_comments',
      table: 'notes',
      column: undefined,
    });
    expect((await failureOf(`UPDATE notes SET note_id = 20 WHERE note_id = 10`))?.message).toBe('note 10 is still referred to by note_comments');
    expect((await failureOf(`DELETE FROM users WHERE user_id = 1`))?.message).toBe('user 1 is still referred to by note_comments');
    expect((await failureOf(`UPDATE users SET user_id = 3 WHERE user_id = 1`))?.message).toBe('user 1 is still referred to by note_comments');
    expect((await failureOf(`DELETE FROM countries WHERE country_id = $1`, [country]))?.message).toBe(
      `country ${country} is still referred to by notes`,
    );
    expect(await counts()).toEqual({ notes: 2, comments: 2, users: 2 });
  });

  it('rows nobody refers to can go, and so can a note together with its comments', async () => {
    expect(await failureOf(`DELETE FROM users WHERE user_id = 2`)).toBeUndefined();
    expect(await failureOf(`UPDATE users SET user_id = 4 WHERE user_id = 2`)).toBeUndefined();
    expect(await failureOf(`WITH gone AS (DELETE FROM note_comments WHERE note_id = 10) DELETE FROM notes WHERE note_id = 10`)).toBeUndefined();
  });

  it('a note and its first comment written in one statement pass (checked at the end of the statement)', async () => {
    expect(
      await failureOf(`WITH note AS (INSERT INTO notes (note_id, latitude, longitude, created_at) VALUES (13, 0, 0, now()))
                       INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (13, 1, 'opened', now())`),
    ).toBeUndefined();
  });

  it('a referenced table is truncated only together with the tables that refer to it', async () => {
    expect(await failureOf(`TRUNCATE notes`)).toMatchObject({
      code: '23503',
      message: 'cannot truncate notes: other tables still refer to its rows (truncate them too)',
    });
    expect((await failureOf(`TRUNCATE users`))?.message).toBe('cannot truncate users: other tables still refer to its rows (truncate them too)');
    expect((await failureOf(`TRUNCATE countries`))?.message).toBe(
      'cannot truncate countries: other tables still refer to its rows (truncate them too)',
    );
    expect(await failureOf(`TRUNCATE notes, note_comments, users`)).toBeUndefined();
    expect(await counts()).toEqual({ notes: 2, comments: 2, users: 2 });
  });
});

describe('hashtag bridge references checked per statement', () => {
  const bridge = (hashtag: number) =>
    `INSERT INTO dwh.fact_hashtags (id_note, sequence_action, position, dimension_hashtag_id) VALUES (10, 1, 1, ${hashtag})`;

  it('a bridge row to a missing hashtag fails with 23503; one to a stored hashtag does not', async () => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO dwh.dimension_hashtags (description, description_lower) VALUES ('Survey', 'survey') RETURNING dimension_hashtag_id AS id`,
    );
    const survey = rows[0]!.id;
    expect(await failureOf(bridge(survey + 100))).toEqual({
      code: '23503',
      message: `hashtag of action 1 of note 10: dimension_hashtags ${survey + 100} does not exist`,
      table: 'fact_hashtags',
      column: 'dimension_hashtag_id',
    });
    expect(await failureOf(bridge(survey))).toBeUndefined();
    expect((await failureOf(`${bridge(survey)}; UPDATE dwh.fact_hashtags SET dimension_hashtag_id = ${survey + 100}`))?.message).toBe(
      `hashtag of action 1 of note 10: dimension_hashtags ${survey + 100} does not exist`,
    );
  });

  it('a hashtag still referred to cannot be deleted, renumbered or truncated away; an unused one can go', async () => {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO dwh.dimension_hashtags (description, description_lower) VALUES ('Used', 'used'), ('Unused', 'unused')
       RETURNING dimension_hashtag_id AS id`,
    );
    const [used, unused] = rows.map((r) => r.id);
    await db.query(bridge(used!));
    expect(await failureOf(`DELETE FROM dwh.dimension_hashtags WHERE dimension_hashtag_id = ${used}`)).toMatchObject({
      code: '23503',
      message: `hashtag ${used} is still referred to by dwh.fact_hashtags`,
    });
    expect((await failureOf(`UPDATE dwh.dimension_hashtags SET dimension_hashtag_id = -1 WHERE dimension_hashtag_id = ${used}`))?.message).toBe(
      `hashtag ${used} is still referred to by dwh.fact_hashtags`,
    );
    expect((await failureOf(`TRUNCATE dwh.dimension_hashtags`))?.message).toBe(
      'cannot truncate dimension_hashtags: other tables still refer to its rows (truncate them too)',
    );
    expect(await failureOf(`DELETE FROM dwh.dimension_hashtags WHERE dimension_hashtag_id = ${unused}`)).toBeUndefined();
    expect(await failureOf(`TRUNCATE dwh.dimension_hashtags, dwh.fact_hashtags`)).toBeUndefined();
  });
});

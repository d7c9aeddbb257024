import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../src/db/client.ts';
import { useTestDatabase } from './helpers/database.ts';
import { eventually } from './helpers/wait.ts';

const testDb = useTestDatabase();
let listener: pg.Client;
let writer: pg.Client;
const received: { channel: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  listener = await connectClient(testDb.url, 'test listener');
  listener.on('notification', (n) => received.push({ channel: n.channel, payload: JSON.parse(n.payload ?? '{}') }));
  await listener.query('LISTEN note_inserted; LISTEN note_status_changed');
  writer = await connectClient(testDb.url, 'test writer');
  await writer.query(`INSERT INTO users (user_id, username) VALUES (1, 'alice')`);
});

afterAll(async () => {
  await listener.end();
  await writer.end();
});

async function events(noteId: number) {
  const { rows } = await writer.query(
    'SELECT kind, note_id, sequence_action, event, status FROM streaming.events WHERE note_id = $1 ORDER BY id',
    [noteId],
  );
  return rows;
}

async function addNote(noteId: number) {
  await writer.query(
    `INSERT INTO notes (note_id, latitude, longitude, created_at) VALUES ($1, 48.85, 2.35, now())`,
    [noteId],
  );
}

describe('outbox trigger on note_comments', () => {
  it('writes exactly one outbox row per comment and notifies note_inserted', async () => {
    await addNote(1);
    received.length = 0;
    await writer.query(
      `INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
       VALUES (1, 1, 'opened', '2025-01-21T10:30:00Z', 1)`,
    );
    expect(await events(1)).toEqual([
      { kind: 'comment', note_id: 1, sequence_action: 1, event: 'opened', status: 'pending' },
    ]);
    const note = await eventually(() => received.find((r) => r.channel === 'note_inserted'));
    expect(note.payload).toMatchObject({ note_id: 1, sequence_action: 1, event: 'opened', id_user: 1 });
    expect(typeof note.payload.event_id).toBe('number');
  });

  it('sends one notification for a multi-row insert, with one outbox row per comment', async () => {
    await addNote(2);
    received.length = 0;
    await writer.query(
      `INSERT INTO note_comments (note_id, sequence_action, event, created_at)
       SELECT 2, s, CASE WHEN s = 1 THEN 'opened' ELSE 'commented' END::note_event_enum, now()
       FROM generate_series(1, 50) s`,
    );
    expect(await events(2)).toHaveLength(50);
    await eventually(() => received.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(1);
    expect(received[0]!.payload).toMatchObject({ count: 50 });
  });

  it('rolls back its outbox row and notification with the transaction', async () => {
    await addNote(3);
    received.length = 0;
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (3, 1, 'opened', now())`);
    expect(await events(3)).toHaveLength(1);
    await writer.query('ROLLBACK');
    expect(await events(3)).toHaveLength(0);
    // A later notification proves the listener is live, so the absence above is real.
    await writer.query(`SELECT pg_notify('note_inserted', '{"probe":true}')`);
    await eventually(() => received.some((r) => r.payload.probe === true));
    expect(received.filter((r) => r.payload.note_id === 3)).toHaveLength(0);
  });

  it('skips notifications in bulk mode but still writes the outbox', async () => {
    await addNote(4);
    received.length = 0;
    await writer.query('BEGIN');
    await writer.query(`SET LOCAL notes_stream.bulk = 'on'`);
    await writer.query(`INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (4, 1, 'opened', now())`);
    await writer.query('COMMIT');
    await writer.query(`SELECT pg_notify('note_inserted', '{"probe":4}')`);
    await eventually(() => received.some((r) => r.payload.probe === 4));
    expect(received.filter((r) => r.payload.note_id === 4)).toHaveLength(0);
    expect(await events(4)).toHaveLength(1);
  });

  it('enqueues a text written after its comment committed, but not one written with it', async () => {
    await addNote(5);
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES (5, 1, 'opened', now())`);
    await writer.query(`INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES (5, 1, 'same transaction')`);
    await writer.query('COMMIT');
    expect((await events(5)).map((e) => e.kind)).toEqual(['comment']);
    await writer.query(`UPDATE note_comments_text SET body = 'edited later' WHERE note_id = 5`);
    expect((await events(5)).map((e) => e.kind)).toEqual(['comment', 'text']);
  });
});

describe('status trigger on notes', () => {
  it('notifies note_status_changed when a status changes, and only then', async () => {
    await addNote(6);
    received.length = 0;
    await writer.query(`UPDATE notes SET latitude = 1 WHERE note_id = 6`);
    await writer.query(`UPDATE notes SET status = 'close', closed_at = now() WHERE note_id = 6`);
    const change = await eventually(() => received.find((r) => r.channel === 'note_status_changed'));
    expect(change.payload).toMatchObject({ note_id: 6, old_status: 'open', new_status: 'close' });
    expect(received.filter((r) => r.channel === 'note_status_changed')).toHaveLength(1);
  });
});

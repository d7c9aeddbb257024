// Webhook delivery end to end: a real HTTP receiver on 127.0.0.1 (allowed by
// WEBHOOK_ALLOWED_HOSTS), a processor and an API server over real PostgreSQL. Events arrive in
// order, signed, as the JSON a WebSocket client gets; a receiver that refuses connections,
// then answers 500, then 429 with Retry-After, gets every event exactly once when it is back;
// a paused webhook resumes from its cursor; figures on /metrics and in GraphQL.
import {
  CreateWebhookDocument,
  CreateWebhookOwnerDocument,
  createNotesStreamClient,
  DeleteWebhookDocument,
  PauseWebhookDocument,
  ResumeWebhookDocument,
  WebhookDocument,
  WebhooksDocument,
} from '@notes-stream/sdk';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { Realtime } from '../src/streaming/realtime/realtime.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { collect, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';
import { actions, ADMIN, note, NOTE_QUERY, ok, register, state, untilPaused, type NoteEventBody } from './helpers/webhooks.ts';

const testDb = useTestDatabase();
let processor: Processor;
let server: RunningServer & { realtime?: Realtime };
const receivers: WebhookReceiver[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, {
    realtime: true,
    env: {
      ADMIN_TOKEN: ADMIN,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '400',
      WEBHOOK_MAX_FAILURES: '0',
    },
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server.stop();
  await processor.stop();
  await Promise.all(receivers.map((r) => r.stop()));
});

async function receiver(): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start();
  receivers.push(r);
  return r;
}

describe('webhook delivery', () => {
  it('POSTs every matching event in order, signed, with the body a WebSocket client receives', async () => {
    const hooks = await receiver();
    const variables = { filter: { countries: ['FR'] } };
    const id = await register(server.url, hooks, variables);
    const client = wsClient(server.url);
    clients.push(client);
    const ws = collect<NoteEventBody['data']>(client, NOTE_QUERY, variables);
    await eventually(() => server.realtime!.stream.liveSubscribers >= 2, { what: 'the webhook and the WebSocket subscriber' });

    const paris = note(['opened here', 'a comment', 'another']);
    const berlin = { ...note(['elsewhere', 'not for this hook']), lat: 52.52, lon: 13.4 };
    await insertNotes(testDb.database.pool, [paris, berlin]);
    await eventually(() => hooks.accepted(id).length >= 3 && ws.items.length >= 3, { what: 'three deliveries' });
    await waitForDrained(testDb.database.pool);
    await server.realtime!.stream.sync();

    const delivered = hooks.accepted(id);
    expect(delivered).toHaveLength(3);
    expect(delivered.every((r) => r.signatureValid)).toBe(true);
    // Byte for byte what the WebSocket subscriber got in its `next` messages.
    expect(delivered.map((r) => JSON.parse(r.body))).toEqual(ws.items.map((data) => ({ data })));
    const bodies = hooks.events<NoteEventBody>(id);
    expect(actions(bodies)).toEqual(await streamOrder(testDb.database.pool, [paris]));
    for (const [i, request] of delivered.entries()) {
      const event = bodies[i]!.data.noteEvent;
      expect(request.headers['x-notes-stream-delivery']).toBe(`${id}:${event.position}`);
      expect(request.headers['x-notes-stream-cursor']).toBe(event.cursor);
      expect(request.headers['content-type']).toBe('application/json');
    }
    // The cursor reaches PostgreSQL after the 2xx (with the next flush).
    await eventually(async () => (await state(server.url, id)).cursor === bodies.at(-1)!.data.noteEvent.cursor, { what: 'the stored cursor' });
    expect(await state(server.url, id)).toMatchObject({ status: 'ACTIVE', deliveries: 3, failures: 0, lag: 0, failingSince: null });
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toContain(`notes_stream_webhook_deliveries_total{webhook="${id}"} 3`);
    expect(metrics).toMatch(new RegExp(`notes_stream_webhook_lag_seconds\\{webhook="${id}"\\} 0`));
    expect(metrics).toMatch(/notes_stream_webhook_delivery_seconds_count 3/);
    expect(metrics).toMatch(/^notes_stream_webhooks_delivering 1$/m);
    expect(metrics).toMatch(/^notes_stream_webhook_requests_in_flight 0$/m);
  });

  it('keeps every event through refused connections, 500s and a 429 with Retry-After, and delivers each once, in order', async () => {
    const hooks = await receiver();
    const first = note(['one', 'two', 'three']);
    const id = await register(server.url, hooks, { filter: { noteIds: [first.id, first.id + 1000] } });
    await eventually(() => server.realtime!.stream.liveSubscribers >= 1, { what: 'the webhook to be live' });

    await hooks.down();
    await insertNotes(testDb.database.pool, [first]);
    const refused = await eventually(
      async () => {
        const s = await state(server.url, id);
        return s.consecutiveFailures >= 2 && s;
      },
      { what: 'refused connections to be recorded' },
    );
    expect(refused.lastError).toMatch(/ECONNREFUSED/);
    expect(refused.failingSince).not.toBeNull();
    expect(refused.status).toBe('ACTIVE');

    hooks.answer = { status: 500 };
    await hooks.up();
    // More events while the receiver fails: they queue behind the first.
    const second = { ...note(['four', 'five']), id: first.id + 1000 };
    await insertNotes(testDb.database.pool, [second]);
    await eventually(() => hooks.of(id).filter((r) => r.status === 500).length >= 2, { what: 'two 500 answers' });
    expect((await state(server.url, id)).lastError).toMatch(/^HTTP 500/);

    hooks.answer = { status: 429, retryAfter: '1' };
    await eventually(() => hooks.of(id).some((r) => r.status === 429), { what: 'a 429 answer' });
    const limitedAt = hooks.of(id).find((r) => r.status === 429)!.at;
    hooks.answer = 'ok';

    const expected = await streamOrder(testDb.database.pool, [first, second]);
    await eventually(() => hooks.accepted(id).length >= expected.length, { what: 'every event after the outage' });
    await waitForDrained(testDb.database.pool);
    await server.realtime!.stream.sync();
    const accepted = hooks.events<NoteEventBody>(id);
    expect(actions(accepted)).toEqual(expected);
    // Exactly once per cursor, cursors in stream order.
    const positions = accepted.map((b) => b.data.noteEvent.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    // The 429 asked for a second: nothing came sooner.
    const next = hooks.of(id).find((r) => r.at > limitedAt)!;
    expect(next.at - limitedAt).toBeGreaterThanOrEqual(990);
    expect(hooks.of(id).every((r) => r.signatureValid)).toBe(true);

    const recovered = await eventually(
      async () => {
        const s = await state(server.url, id);
        return s.deliveries === expected.length && s.consecutiveFailures === 0 && s;
      },
      { what: 'the recovery to be stored' },
    );
    expect(recovered).toMatchObject({ status: 'ACTIVE', failingSince: null });
    expect(recovered.lastError).toMatch(/^HTTP 429/);
    const attemptsThatFailed = hooks.of(id).filter((r) => r.status >= 300).length;
    expect(recovered.failures).toBeGreaterThanOrEqual(attemptsThatFailed + 2);
    expect(recovered.retries).toBe(recovered.failures);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toContain(`notes_stream_webhook_failures_total{webhook="${id}"} ${recovered.failures}`);
    expect(metrics).toContain(`notes_stream_webhook_retries_total{webhook="${id}"} ${recovered.retries}`);
    expect(metrics).toContain(`notes_stream_webhook_deliveries_total{webhook="${id}"} ${expected.length}`);
  });

  it('holds events for a paused webhook and resumes from its cursor', async () => {
    const hooks = await receiver();
    const n = note(['before the pause']);
    const filter = { filter: { noteIds: [n.id] } };
    const paused = await register(server.url, hooks, filter);
    const control = await register(server.url, hooks, filter);
    await insertNotes(testDb.database.pool, [n]);
    await eventually(() => hooks.accepted(paused).length === 1 && hooks.accepted(control).length === 1, { what: 'the first event' });
    const cursorBefore = hooks.events<NoteEventBody>(paused)[0]!.data.noteEvent.cursor;
    await eventually(async () => (await state(server.url, paused)).cursor === cursorBefore, { what: 'the stored cursor' });

    const pausedState = await ok<{ pauseWebhook: { status: string; pausedReason: string } }>(
      server.url,
      ADMIN,
      'mutation($id: ID!) { pauseWebhook(id: $id) { status pausedReason } }',
      { id: paused },
    );
    expect(pausedState.pauseWebhook).toEqual({ status: 'PAUSED', pausedReason: 'paused by pauseWebhook' });
    const pool = testDb.database.pool;
    await pool.query(
      `INSERT INTO note_comments (note_id, sequence_action, event, created_at) VALUES ($1, 2, 'commented', now()), ($1, 3, 'commented', now())`,
      [n.id],
    );
    // The control webhook, on the same filter, proves the events went by.
    await eventually(() => hooks.accepted(control).length === 3, { what: 'the control webhook to get both comments' });
    expect(hooks.of(paused)).toHaveLength(1);
    const whilePaused = await state(server.url, paused);
    expect(whilePaused).toMatchObject({ status: 'PAUSED', cursor: cursorBefore });
    expect(whilePaused.lag).toBeGreaterThan(0);

    await ok(server.url, ADMIN, 'mutation($id: ID!) { resumeWebhook(id: $id) { status } }', { id: paused });
    await eventually(() => hooks.accepted(paused).length === 3, { what: 'the held events after resume' });
    expect(actions(hooks.events<NoteEventBody>(paused))).toEqual(actions(hooks.events<NoteEventBody>(control)));
    expect(new Set(hooks.of(paused).map((r) => r.headers['x-notes-stream-delivery'])).size).toBe(3);
  });

  it('pauses at once on a 4xx answer or a redirect, with the reason, and tests a target on demand', async () => {
    const hooks = await receiver();
    const n = note(['refused']);
    const id = await register(server.url, hooks, { filter: { noteIds: [n.id] } });
    const tested = await ok<{ testWebhook: { ok: boolean; status: number } }>(
      server.url,
      ADMIN,
      'mutation($id: ID!) { testWebhook(id: $id) { ok status error durationMs } }',
      { id },
    );
    expect(tested.testWebhook).toMatchObject({ ok: true, status: 200, error: null });
    expect(JSON.parse(hooks.of(id)[0]!.body)).toEqual({ data: null, extensions: { notesStreamTest: true, webhook: id } });
    expect(hooks.of(id)[0]!.signatureValid).toBe(true);

    hooks.answer = { status: 410 };
    await insertNotes(testDb.database.pool, [n]);
    const paused = await untilPaused(server.url, id);
    expect(paused.pausedReason).toMatch(/^HTTP 410: refused with 410/);
    expect(paused.failures).toBe(1);
    expect(hooks.of(id).filter((r) => r.status === 410)).toHaveLength(1);

    hooks.answer = { status: 302 };
    await ok(server.url, ADMIN, 'mutation($id: ID!) { resumeWebhook(id: $id) { status } }', { id });
    const redirected = await untilPaused(server.url, id, (s) => s.failures === 2);
    expect(redirected.pausedReason).toMatch(/HTTP 302 redirect .*redirects are not followed/);

    hooks.answer = 'ok';
    await ok(server.url, ADMIN, 'mutation($id: ID!) { resumeWebhook(id: $id) { status } }', { id });
    await eventually(() => hooks.accepted(id).length === 2, { what: 'the held event' });
    expect(hooks.events<NoteEventBody>(id)[1]!.data.noteEvent.noteId).toBe(n.id);
  });

  it("is managed through the SDK's typed operations, with an owner's token", async () => {
    const hooks = await receiver();
    const admin = createNotesStreamClient({ url: server.url, adminToken: ADMIN });
    const { createWebhookOwner } = await admin.mutate(CreateWebhookOwnerDocument, { name: 'sdk-bot' });
    const owner = createNotesStreamClient({ url: server.url, adminToken: createWebhookOwner.token });
    try {
      const n = note(['through the SDK']);
      const { createWebhook } = await owner.mutate(CreateWebhookDocument, {
        url: hooks.url(),
        query: NOTE_QUERY,
        variables: { filter: { noteIds: [n.id], bbox: { south: 48, west: 2, north: 49, east: 3 } } },
        description: 'typed',
      });
      hooks.secrets.set(createWebhook.webhook.id, createWebhook.secret);
      expect(createWebhook.webhook).toMatchObject({ owner: 'sdk-bot', status: 'ACTIVE', field: 'noteEvent', description: 'typed', deliveries: 0 });
      await insertNotes(testDb.database.pool, [n]);
      await eventually(() => hooks.accepted(createWebhook.webhook.id).length === 1, { what: 'the delivery' });
      expect(hooks.accepted(createWebhook.webhook.id)[0]!.signatureValid).toBe(true);

      const id = createWebhook.webhook.id;
      const listed = await owner.query(WebhooksDocument, { first: 10 });
      expect(listed.webhooks.edges.map((e) => e.node.id)).toEqual([id]);
      expect(listed.webhooks.edges[0]!.node.variables).toMatchObject({ filter: { noteIds: [n.id] } });
      expect((await owner.mutate(PauseWebhookDocument, { id })).pauseWebhook.status).toBe('PAUSED');
      expect((await owner.mutate(ResumeWebhookDocument, { id, skipMissed: true })).resumeWebhook.status).toBe('ACTIVE');
      expect((await owner.query(WebhookDocument, { id })).webhook?.query).toBe(NOTE_QUERY);
      expect((await owner.mutate(DeleteWebhookDocument, { id })).deleteWebhook).toBe(true);
      expect((await owner.query(WebhookDocument, { id })).webhook).toBeNull();
    } finally {
      await admin.close();
      await owner.close();
    }
  });
});

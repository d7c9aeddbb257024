// Who may register webhooks and where they may point: private, loopback and link-local targets
// are refused unless WEBHOOK_ALLOWED_HOSTS names them (at creation, and again at delivery);
// owners see and manage only their own webhooks; documents other than noteEvent/factProcessed
// subscriptions, bad filters and too many webhooks are refused with the reason; secrets are
// shown once and kept encrypted with WEBHOOK_SECRET_KEY.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';
import { startProcessor } from './helpers/processor.ts';
import { startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';
import { ADMIN, call, note, NOTE_QUERY, ok, register, state, untilPaused } from './helpers/webhooks.ts';

const testDb = useTestDatabase();
let processor: Processor;
let hooks: WebhookReceiver;
const STRICT = { ADMIN_TOKEN: ADMIN };
const OPEN = {
  ADMIN_TOKEN: ADMIN,
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.0/8',
  WEBHOOK_MAX_PER_OWNER: '2',
  WEBHOOK_MAX_FAILURES: '3',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
};
const CREATE = `mutation($url: String!, $query: String!, $variables: JSONObject) {
  createWebhook(url: $url, query: $query, variables: $variables) { secret webhook { id owner } } }`;

beforeAll(async () => {
  processor = await startProcessor(testDb);
  hooks = await WebhookReceiver.start();
});

afterAll(async () => {
  await processor.stop();
  await hooks.stop();
});

async function refusal(url: string, token: string | null, variables: Record<string, unknown>) {
  const result = await call(url, token, CREATE, { query: NOTE_QUERY, ...variables });
  expect(result.data).toBeFalsy();
  return result.errors![0]!;
}

/** A webhook created by the open server, delivered later by the strict one. */
let rebound: { id: string; noteId: number };

describe('without WEBHOOK_ALLOWED_HOSTS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(testDb, { realtime: true, env: STRICT });
  });
  afterAll(() => server.stop());

  it.each([
    ['the receiver on loopback', () => hooks.url()],
    ['localhost', () => `http://localhost:${hooks.port}/hook`],
    ['IPv6 loopback', () => 'http://[::1]:8080/'],
    ['a cloud metadata address (link-local)', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network', () => 'http://10.1.2.3/hook'],
    ['unique-local IPv6', () => 'http://[fd00::1]/hook'],
    ['an IPv4-mapped IPv6 loopback', () => 'http://[::ffff:127.0.0.1]/hook'],
    ['loopback written as a number', () => 'http://2130706433/hook'],
    ['the unspecified address', () => 'http://0.0.0.0:9/hook'],
  ])('refuses %s', async (_what, target) => {
    const error = await refusal(server.url, ADMIN, { url: target() });
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/^url: .* a private, loopback, link-local or otherwise non-public address; add the host or its network to WEBHOOK_ALLOWED_HOSTS/);
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    expect((await refusal(server.url, ADMIN, { url: 'ftp://example.org/x' })).message).toBe('url must be an http or https URL, got ftp:');
    expect((await refusal(server.url, ADMIN, { url: 'http://user:pw@example.org/' })).message).toBe('url must not carry a user name or password');
    expect((await refusal(server.url, ADMIN, { url: 'hook' })).message).toBe('url is not an absolute URL: "hook"');
    expect(hooks.requests).toEqual([]);
  });
});

describe('with WEBHOOK_ALLOWED_HOSTS, owners and limits', () => {
  let server: RunningServer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer(testDb, { realtime: true, env: OPEN });
    const issue = async (name: string) =>
      (await ok<{ createWebhookOwner: { token: string } }>(server.url, ADMIN, 'mutation($n: String!) { createWebhookOwner(name: $n) { token owner { name } } }', { n: name }))
        .createWebhookOwner.token;
    alice = await issue('alice');
    bob = await issue('bob');
  });
  afterAll(() => server.stop());

  it('lets owners see and manage only their own webhooks; the admin sees all', async () => {
    expect(alice).toMatch(/^nsw_/);
    const mine = await register(server.url, hooks, {}, { token: alice });
    const theirs = await register(server.url, hooks, {}, { token: bob });
    const list = async (token: string) =>
      (await ok<{ webhooks: { edges: { node: { id: string; owner: string } }[] } }>(server.url, token, '{ webhooks(first: 10) { edges { node { id owner } } } }'))
        .webhooks.edges.map((e) => e.node);
    expect(await list(alice)).toEqual([{ id: mine, owner: 'alice' }]);
    expect(await list(bob)).toEqual([{ id: theirs, owner: 'bob' }]);
    expect((await list(ADMIN)).map((w) => w.id).sort()).toEqual([mine, theirs].sort());

    expect((await ok<{ webhook: null }>(server.url, bob, 'query($id: ID!) { webhook(id: $id) { id } }', { id: mine })).webhook).toBeNull();
    expect((await ok<{ deleteWebhook: boolean }>(server.url, bob, 'mutation($id: ID!) { deleteWebhook(id: $id) }', { id: mine })).deleteWebhook).toBe(false);
    for (const mutation of ['pauseWebhook(id: $id) { id }', 'resumeWebhook(id: $id) { id }', 'testWebhook(id: $id) { ok }']) {
      const result = await call(server.url, bob, `mutation($id: ID!) { ${mutation} }`, { id: mine });
      expect(result.errors?.[0]?.message).toBe(`no webhook with id "${mine}" among yours`);
    }
    const others = await call(server.url, bob, '{ webhooks(owner: "alice") { edges { node { id } } } }');
    expect(others.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await state(server.url, mine, alice)).status).toBe('ACTIVE');
    // Owners are not admins.
    expect((await call(server.url, alice, '{ webhookOwners { name } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(server.url, alice, 'mutation { createWebhookOwner(name: "mallory") { token } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses callers without the admin or an owner token', async () => {
    for (const token of [null, 'nsw_not-a-real-token', 'some-other-token']) {
      const error = await refusal(server.url, token, { url: hooks.url() });
      expect(error.extensions?.code).toBe('FORBIDDEN');
      expect(error.message).toMatch(/webhooks need the admin token or an owner token/);
      expect((await call(server.url, token, '{ webhooks { edges { node { id } } } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('caps webhooks per owner, and a revoked owner loses access and its webhooks pause', async () => {
    const carol = (await ok<{ createWebhookOwner: { token: string } }>(server.url, ADMIN, 'mutation { createWebhookOwner(name: "carol") { token } }')).createWebhookOwner.token;
    const first = await register(server.url, hooks, {}, { token: carol });
    await register(server.url, hooks, {}, { token: carol });
    const third = await refusal(server.url, carol, { url: hooks.url() });
    expect(third.message).toBe('carol already has 2 webhooks (WEBHOOK_MAX_PER_OWNER); delete one first');

    expect((await ok<{ revokeWebhookOwner: boolean }>(server.url, ADMIN, 'mutation { revokeWebhookOwner(name: "carol") }')).revokeWebhookOwner).toBe(true);
    expect((await call(server.url, carol, '{ webhooks { edges { node { id } } } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await state(server.url, first)).toMatchObject({ status: 'PAUSED', pausedReason: 'the owner token was revoked' });
    const owners = await ok<{ webhookOwners: { name: string; revokedAt: string | null }[] }>(server.url, ADMIN, '{ webhookOwners { name revokedAt } }');
    expect(owners.webhookOwners.find((o) => o.name === 'carol')?.revokedAt).not.toBeNull();
    const badName = await call(server.url, ADMIN, 'mutation { createWebhookOwner(name: "Not OK") { token } }');
    expect(badName.errors?.[0]?.message).toMatch(/^name must be 1-63 lower-case letters/);
  });

  it.each([
    ['another subscription', 'subscription { datamartUpdated(scope: GLOBAL) { batchId } }', /^webhooks deliver noteEvent or factProcessed only .*datamartUpdated cannot be delivered durably/],
    ['a query', '{ streamCursor }', /^query must be a subscription to noteEvent or factProcessed, got a query/],
    ['two fields', 'subscription { a: noteEvent { noteId } b: noteEvent { noteId } }', /^query: Anonymous Subscription must select only one top level field/],
    ['an after argument', 'subscription { noteEvent(after: "cG9zOjA") { noteId } }', /^query: leave out noteEvent's after argument/],
    ['a syntax error', 'subscription { noteEvent { ', /^query: Syntax Error/],
    ['an unknown field', 'subscription { noteEvent { nope } }', /^query: Cannot query field "nope"/],
  ])('refuses %s as the document', async (_what, query, message) => {
    const error = await refusal(server.url, ADMIN, { url: hooks.url(), query });
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses bad variables and filters before storing anything', async () => {
    const country = await refusal(server.url, ADMIN, { url: hooks.url(), variables: { filter: { countries: ['XX'] } } });
    expect(country.message).toMatch(/filter\.countries: unknown country code "XX"/);
    const polygon = await refusal(server.url, ADMIN, { url: hooks.url(), variables: { filter: { polygon: { type: 'Point', coordinates: [0, 0] } } } });
    expect(polygon.message).toMatch(/filter\.polygon: type must be "Polygon" or "MultiPolygon"/);
    const wrongType = await refusal(server.url, ADMIN, { url: hooks.url(), variables: { filter: { users: ['x'] } } });
    expect(wrongType.message).toMatch(/^variables: Variable "\$filter" got invalid value "x"/);
  });

  it('shows the secret once, keeps it encrypted with WEBHOOK_SECRET_KEY, and signs with it', async () => {
    const n = note(['signed']);
    const id = await register(server.url, hooks, { filter: { noteIds: [n.id] } });
    const secret = hooks.secrets.get(id)!;
    const { rows } = await testDb.database.pool.query<{ secret: string }>('SELECT secret FROM webhooks.webhooks WHERE id = $1', [id]);
    expect(rows[0]!.secret).toMatch(/^v1:/);
    expect(rows[0]!.secret).not.toContain(secret.slice(6));
    const fields = await ok<{ __type: { fields: { name: string }[] } }>(server.url, ADMIN, '{ __type(name: "Webhook") { fields { name } } }');
    expect(fields.__type.fields.map((f) => f.name)).not.toContain('secret');
    await insertNotes(testDb.database.pool, [n]);
    await eventually(() => hooks.accepted(id).length === 1, { what: 'the signed delivery' });
    expect(hooks.accepted(id)[0]!.signatureValid).toBe(true);
  });

  it('pauses a webhook after WEBHOOK_MAX_FAILURES failures in a row', async () => {
    const failing = await WebhookReceiver.start();
    try {
      failing.answer = { status: 503 };
      const n = note(['never acknowledged']);
      const id = await register(server.url, failing, { filter: { noteIds: [n.id] } });
      await insertNotes(testDb.database.pool, [n]);
      const paused = await untilPaused(server.url, id);
      expect(paused.pausedReason).toBe('3 deliveries in a row failed (WEBHOOK_MAX_FAILURES); last error: HTTP 503: refused with 503');
      expect(failing.of(id)).toHaveLength(3);
      expect(paused).toMatchObject({ consecutiveFailures: 3, failures: 3, retries: 2 });
    } finally {
      await failing.stop();
    }
  });

  it('(setup) registers a webhook while its target is allowed', async () => {
    const n = note(['delivered by a stricter server']);
    // As bob: the admin has its two webhooks (WEBHOOK_MAX_PER_OWNER applies to "admin" too).
    rebound = { id: await register(server.url, hooks, { filter: { noteIds: [n.id] } }, { token: bob }), noteId: n.id };
  });
});

describe('a target allowed at creation but not at delivery', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(testDb, { realtime: true, env: { ...STRICT, WEBHOOK_SECRET_KEY: OPEN.WEBHOOK_SECRET_KEY } });
  });
  afterAll(() => server.stop());

  it('is refused when delivering, and the webhook pauses with the reason', async () => {
    const before = hooks.of(rebound.id).length;
    await insertNotes(testDb.database.pool, [{ ...note(['refused at delivery']), id: rebound.noteId }]);
    const paused = await untilPaused(server.url, rebound.id);
    expect(paused.pausedReason).toMatch(/^127\.0\.0\.1 resolves to 127\.0\.0\.1, a private, loopback.*WEBHOOK_ALLOWED_HOSTS/);
    expect(hooks.of(rebound.id)).toHaveLength(before);
  });
});

describe('limits on requests', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(testDb, {
      realtime: true,
      env: { ADMIN_TOKEN: ADMIN, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_MAX_IN_FLIGHT: '2', WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_MAX_FAILURES: '2' },
    });
  });
  afterAll(() => server.stop());

  it('keeps at most WEBHOOK_MAX_IN_FLIGHT requests open across webhooks', async () => {
    const slow = await WebhookReceiver.start();
    try {
      slow.delayMs = 100;
      const n = note(['one', 'two']);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await register(server.url, slow, { filter: { noteIds: [n.id] } }));
      await insertNotes(testDb.database.pool, [n]);
      await eventually(() => ids.every((id) => slow.accepted(id).length === 2), { what: 'every webhook to get both events' });
      expect(slow.maxConcurrent).toBe(2);
    } finally {
      await slow.stop();
    }
  });

  it('gives up on a receiver slower than WEBHOOK_TIMEOUT_MS and retries it', async () => {
    const slow = await WebhookReceiver.start();
    try {
      slow.delayMs = 2_000;
      const n = note(['too slow']);
      const id = await register(server.url, slow, { filter: { noteIds: [n.id] } });
      await insertNotes(testDb.database.pool, [n]);
      const paused = await untilPaused(server.url, id);
      expect(paused.pausedReason).toBe('2 deliveries in a row failed (WEBHOOK_MAX_FAILURES); last error: no answer within 300 ms');
      expect(slow.of(id)).toHaveLength(2);
    } finally {
      await slow.stop();
    }
  });
});

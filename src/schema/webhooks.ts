// Webhooks in GraphQL: owners (admin), registration and management (the admin or the owner),
// delivery state and figures. The work is in src/webhooks/.
import { ForbiddenError, UserInputError } from '../errors.ts';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../resolvers/pagination.ts';
import { encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import { streamHead } from '../streaming/realtime/stream-events.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { issueOwnerToken, listOwners, requireWebhookCaller, revokeOwnerToken, type WebhookOwner } from '../webhooks/owners.ts';
import { createWebhook, DELIVERABLE_FIELDS } from '../webhooks/registration.ts';
import { deleteWebhook, findWebhook, listWebhooks, pauseWebhook, resumeWebhook, type WebhookRow } from '../webhooks/store.ts';
import { sendTestDelivery, type TestOutcome } from '../webhooks/test-delivery.ts';
import { requireAdmin } from './admin.ts';
import { pageComplexity } from './page.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

function dispatcherOf(ctx: GraphQLContext): WebhookDispatcher {
  if (!ctx.webhooks) throw new Error('webhooks are not available in this process (it serves no subscriptions)');
  return ctx.webhooks;
}

/** The owner whose webhooks the caller may touch (null: every owner's, for the admin). */
async function scope(ctx: GraphQLContext): Promise<string | null> {
  const caller = await requireWebhookCaller(ctx);
  return caller.admin ? null : caller.owner;
}

async function ownWebhook(ctx: GraphQLContext, id: string, action: (owner: string | null) => Promise<WebhookRow | null>): Promise<WebhookRow> {
  const row = await action(await scope(ctx));
  if (!row) throw new UserInputError(`no webhook with id ${JSON.stringify(id)} among yours`, 'id', id);
  return row;
}

const WebhookStatus = builder.enumType('WebhookStatus', {
  description: 'Whether a webhook is being delivered.',
  values: {
    ACTIVE: { value: 'active', description: 'Events are delivered as they come (or retried while the target fails).' },
    PAUSED: { value: 'paused', description: 'Nothing is sent; events wait after the cursor until resumeWebhook.' },
  } as const,
});

/** Seconds behind: the event in delivery (live, or as last written), or for a paused webhook the first event after its cursor. */
async function lagSeconds(ctx: GraphQLContext, row: WebhookRow): Promise<number> {
  const live = ctx.webhooks?.lagOf(row.id);
  if (live != null) return live;
  let since = row.pendingSince;
  if (row.status === 'paused') {
    const { rows } = await ctx.db.pool.query<{ at: Date }>(
      'SELECT processed_at AS at FROM streaming.events WHERE position > $1 ORDER BY position LIMIT 1',
      [row.cursor],
    );
    since = rows[0]?.at ?? null;
  }
  return since ? Math.max(0, (Date.now() - since.getTime()) / 1000) : 0;
}

const Webhook = builder.objectRef<WebhookRow>('Webhook').implement({
  description: 'A subscription whose events are POSTed to a URL, in order, signed, until they are acknowledged (docs/webhooks.md).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The webhook id (a UUID); also in the X-Notes-Stream-Webhook header.' }),
    owner: t.exposeString('owner', { description: 'The owner it belongs to ("admin" for webhooks made with the admin token).' }),
    url: t.exposeString('url', { description: 'Where events are POSTed.' }),
    query: t.exposeString('query', { description: 'The subscription document, as registered.' }),
    operationName: t.exposeString('operationName', { nullable: true, description: 'The operation of the document that is run.' }),
    variables: t.field({ type: 'JSONObject', description: 'The variables the subscription runs with.', resolve: (w) => w.variables }),
    field: t.exposeString('field', { description: `The subscription field delivered: ${DELIVERABLE_FIELDS.join(' or ')}.` }),
    description: t.exposeString('description', { nullable: true, description: 'Free text given at creation.' }),
    status: t.field({ type: WebhookStatus, description: 'ACTIVE or PAUSED.', resolve: (w) => w.status }),
    pausedReason: t.exposeString('pausedReason', { nullable: true, description: 'Why it was paused (by hand, after failures, refused target).' }),
    pausedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was paused.', resolve: (w) => w.pausedAt }),
    cursor: t.string({
      description: 'The stream cursor of the last event the target acknowledged: delivery resumes after it.',
      resolve: (w) => encodeStreamCursor(w.cursor),
    }),
    lag: t.float({
      description:
        'Seconds behind: the age of the oldest event waiting to be delivered (0 when caught up). For a paused webhook, ' +
        'the age of the first event committed after its cursor, whether or not its filter matches it.',
      resolve: (w, _args, ctx) => lagSeconds(ctx, w),
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'The last failed attempt: HTTP status and the start of the answer, or the network error.' }),
    lastErrorAt: t.field({ type: 'DateTime', nullable: true, description: 'When the last attempt failed.', resolve: (w) => w.lastErrorAt }),
    failingSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The first failure since the last success; null while deliveries succeed.',
      resolve: (w) => w.failingSince,
    }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', { description: 'Failed attempts since the last success.' }),
    deliveries: t.exposeFloat('deliveries', { description: 'Events delivered (answered 2xx), all time.' }),
    failures: t.exposeFloat('failures', { description: 'Failed attempts, all time.' }),
    retries: t.exposeFloat('retries', { description: 'Attempts made again after a failure, all time.' }),
    lastDeliveryAt: t.field({ type: 'DateTime', nullable: true, description: 'When an event was last acknowledged.', resolve: (w) => w.lastDeliveryAt }),
    deliveringProcess: t.string({
      nullable: true,
      description: 'The API process delivering it now (host:pid:tag), while its lease runs.',
      resolve: (w) => (w.status === 'active' && w.leaseHolder && w.leaseUntil && w.leaseUntil.getTime() > Date.now() ? w.leaseHolder : null),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was registered.', resolve: (w) => w.createdAt }),
  }),
});

const CreatedWebhook = builder.objectRef<{ webhook: WebhookRow; secret: string }>('CreatedWebhook').implement({
  description: 'A new webhook and its signing secret.',
  fields: (t) => ({
    webhook: t.field({ type: Webhook, description: 'The webhook.', resolve: (c) => c.webhook }),
    secret: t.exposeString('secret', {
      description: 'The HMAC-SHA256 key of the X-Notes-Stream-Signature header. Shown this once: keep it.',
    }),
  }),
});

const WebhookOwnerType = builder.objectRef<WebhookOwner>('WebhookOwner').implement({
  description: 'Someone an admin gave a token to manage their own webhooks.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The owner name.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the owner was first issued a token.', resolve: (o) => o.createdAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, description: 'When its token was revoked, if it was.', resolve: (o) => o.revokedAt }),
  }),
});

const IssuedOwnerToken = builder.objectRef<{ owner: WebhookOwner; token: string }>('IssuedOwnerToken').implement({
  description: 'An owner and its new token.',
  fields: (t) => ({
    owner: t.field({ type: WebhookOwnerType, description: 'The owner.', resolve: (i) => i.owner }),
    token: t.exposeString('token', { description: 'The bearer token (nsw_…). Shown this once; only its SHA-256 is stored.' }),
  }),
});

const WebhookTestResult = builder.objectRef<TestOutcome>('WebhookTestResult').implement({
  description: "The answer to a test delivery (a signed POST of { data: null, extensions: { notesStreamTest: true } }).",
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'The target answered 2xx.' }),
    status: t.exposeInt('status', { nullable: true, description: 'The HTTP status, if an answer came.' }),
    error: t.exposeString('error', { nullable: true, description: 'What went wrong.' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the attempt took.' }),
  }),
});

builder.queryField('webhooks', (t) =>
  t.connection({
    type: Webhook,
    description: "Your webhooks (an owner token), or everyone's (the admin token), oldest first.",
    args: { owner: t.arg.string({ description: "Only this owner's (the admin token only)." }) },
    complexity: pageComplexity,
    resolve: async (_root, args, ctx) => {
      let owner = await scope(ctx);
      if (args.owner != null) {
        if (owner !== null && args.owner !== owner) throw new ForbiddenError("only the admin token lists other owners' webhooks", ctx.clientAddress);
        owner = args.owner;
      }
      const limit = pageSize(args, ctx.config.MAX_PAGE_SIZE);
      const after = args.after ? decodeCursor('webhook', args.after) : null;
      const rows = await listWebhooks(ctx.db.pool, owner, after ? { createdAt: String(after[0]), id: String(after[1]) } : null, limit + 1);
      return toConnection(rows, limit, (w) => encodeCursor('webhook', [w.createdAt.toISOString(), w.id]));
    },
  }),
);

builder.queryField('webhook', (t) =>
  t.field({
    type: Webhook,
    nullable: true,
    description: 'One of your webhooks (any, with the admin token); null if there is none with this id.',
    args: { id: t.arg.id({ required: true, description: 'The webhook id.' }) },
    resolve: async (_root, args, ctx) => findWebhook(ctx.db.pool, String(args.id), await scope(ctx)),
  }),
);

builder.queryField('webhookOwners', (t) =>
  t.field({
    type: [WebhookOwnerType],
    description: 'Every webhook owner, revoked ones too. Admin only.',
    resolve: (_root, _args, ctx) => {
      requireAdmin(ctx);
      return listOwners(ctx.db.pool);
    },
  }),
);

builder.mutationField('createWebhook', (t) =>
  t.field({
    type: CreatedWebhook,
    description:
      'Registers a subscription (noteEvent or factProcessed) whose every event is POSTed to url, as the JSON a ' +
      'WebSocket client gets, signed with the secret returned here. Delivery starts with the events committed after ' +
      'now (or after `after`). Needs the admin token or an owner token.',
    args: {
      url: t.arg.string({ required: true, description: 'http(s) URL to POST to; private and loopback addresses need WEBHOOK_ALLOWED_HOSTS.' }),
      query: t.arg.string({ required: true, description: 'A subscription document selecting noteEvent or factProcessed (without `after`).' }),
      variables: t.arg({ type: 'JSONObject', description: 'Variables of the document.' }),
      operationName: t.arg.string({ description: 'The operation to run, when the document has several.' }),
      description: t.arg.string({ description: 'Free text to recognise it by (at most 500 characters).' }),
      after: t.arg.string({ description: 'A stream cursor to start after, to include events already committed.' }),
    },
    resolve: async (_root, args, ctx, info) => createWebhook(ctx, dispatcherOf(ctx), info.schema, await requireWebhookCaller(ctx), args),
  }),
);

builder.mutationField('deleteWebhook', (t) =>
  t.boolean({
    description: 'Deletes one of your webhooks; delivery stops at once. False if there is none with this id.',
    args: { id: t.arg.id({ required: true, description: 'The webhook id.' }) },
    resolve: async (_root, args, ctx) => {
      const deleted = await deleteWebhook(ctx.db.pool, String(args.id), await scope(ctx));
      if (deleted) void ctx.webhooks?.poke();
      return deleted;
    },
  }),
);

builder.mutationField('pauseWebhook', (t) =>
  t.field({
    type: Webhook,
    description: 'Stops delivering one of your webhooks; events wait after its cursor (as long as OUTBOX_RETENTION_HOURS keeps them).',
    args: { id: t.arg.id({ required: true, description: 'The webhook id.' }) },
    resolve: async (_root, args, ctx) => {
      const row = await ownWebhook(ctx, String(args.id), (owner) => pauseWebhook(ctx.db.pool, String(args.id), owner, 'paused by pauseWebhook'));
      void ctx.webhooks?.poke();
      return row;
    },
  }),
);

builder.mutationField('resumeWebhook', (t) =>
  t.field({
    type: Webhook,
    description: 'Delivers a paused webhook again, from its cursor (or from now with skipMissed); its failure streak starts over.',
    args: {
      id: t.arg.id({ required: true, description: 'The webhook id.' }),
      skipMissed: t.arg.boolean({
        defaultValue: false,
        description: 'Start from the newest event instead of the cursor: what was missed is not delivered.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const owner = await scope(ctx);
      const existing = await findWebhook(ctx.db.pool, id, owner);
      if (!existing) throw new UserInputError(`no webhook with id ${JSON.stringify(id)} among yours`, 'id', id);
      let cursor: number | null = null;
      if (args.skipMissed) cursor = ctx.stream?.position ?? (await streamHead(ctx.db.pool)).position;
      else if (existing.cursor + 1 < (await streamHead(ctx.db.pool)).oldestPosition) {
        throw new UserInputError(
          `the events after this webhook's cursor are no longer kept (OUTBOX_RETENTION_HOURS); resume with skipMissed: true and fetch the gap with the notes or facts query`,
          'skipMissed',
        );
      }
      const row = await ownWebhook(ctx, id, (o) => resumeWebhook(ctx.db.pool, id, o, cursor));
      void ctx.webhooks?.poke();
      return row;
    },
  }),
);

builder.mutationField('testWebhook', (t) =>
  t.field({
    type: WebhookTestResult,
    description: "Sends one signed test POST to one of your webhooks' URL now and tells what came back; moves no cursor.",
    args: { id: t.arg.id({ required: true, description: 'The webhook id.' }) },
    resolve: async (_root, args, ctx) => {
      const row = await ownWebhook(ctx, String(args.id), (owner) => findWebhook(ctx.db.pool, String(args.id), owner));
      return sendTestDelivery(dispatcherOf(ctx), row, ctx.config);
    },
  }),
);

builder.mutationField('createWebhookOwner', (t) =>
  t.field({
    type: IssuedOwnerToken,
    description:
      'Issues a token with which an owner manages their own webhooks (and only theirs); issuing again for the same ' +
      'name replaces the old token. The token is shown this once. Admin only.',
    args: { name: t.arg.string({ required: true, description: "The owner's name: lower-case letters, digits, '.', '_', '-'." }) },
    resolve: (_root, args, ctx) => {
      requireAdmin(ctx);
      return issueOwnerToken(ctx.db.pool, args.name);
    },
  }),
);

builder.mutationField('revokeWebhookOwner', (t) =>
  t.boolean({
    description: "Refuses an owner's token from now on and pauses its webhooks (the admin can still manage them). Admin only.",
    args: { name: t.arg.string({ required: true, description: 'The owner name.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const revoked = await revokeOwnerToken(ctx.db.pool, args.name);
      if (revoked) void ctx.webhooks?.poke();
      return revoked;
    },
  }),
);


// createWebhook: checks everything a delivery will need before anything is stored, so that a
// webhook that exists can be delivered: the target (URL form, resolved addresses against the
// SSRF rules), the document (a subscription to noteEvent or factProcessed, the fields whose
// events carry a cursor; valid, within the query limits), the variables and filters (a dry run
// of the subscription), the owner's cap. The secret is returned once.
import { getOperationAST, Kind, parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { UserInputError } from '../errors.ts';
import { MAX_TOKENS, readApiLimits } from '../http/limits.ts';
import type { GraphQLContext } from '../schema/context.ts';
import { decodeStreamCursor } from '../streaming/realtime/cursor.ts';
import { streamHead } from '../streaming/realtime/stream-events.ts';
import type { WebhookDispatcher } from './dispatcher.ts';
import type { WebhookCaller } from './owners.ts';
import { newSecret, sealSecret } from './signing.ts';
import { insertWebhook, type WebhookRow } from './store.ts';
import { AFTER_VARIABLE, openSource, withCursorArgument } from './subscription-source.ts';
import { TargetRefusedError } from './target-guard.ts';

/** The subscriptions a webhook can deliver durably: their events carry a cursor to resume from. */
export const DELIVERABLE_FIELDS = ['noteEvent', 'factProcessed'] as const;

export interface CreateWebhookArgs {
  url: string;
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  description?: string | null;
  after?: string | null;
}

const MAX_DESCRIPTION = 500;

export async function createWebhook(
  ctx: GraphQLContext,
  dispatcher: WebhookDispatcher,
  schema: GraphQLSchema,
  caller: WebhookCaller,
  args: CreateWebhookArgs,
): Promise<{ webhook: WebhookRow; secret: string }> {
  const url = dispatcher.guard.parseUrl(args.url);
  try {
    await dispatcher.guard.check(url);
  } catch (error) {
    if (error instanceof TargetRefusedError) throw new UserInputError(`url: ${error.message}`, 'url', args.url);
    throw error;
  }
  if (args.description && args.description.length > MAX_DESCRIPTION) {
    throw new UserInputError(`description is longer than ${MAX_DESCRIPTION} characters`, 'description');
  }
  const variables = args.variables ?? {};
  const operationName = args.operationName ?? null;
  const { document, field } = checkDocument(schema, args.query, operationName);
  const cursor = args.after ? await startCursor(ctx, args.after) : (ctx.stream?.position ?? (await streamHead(ctx.db.pool)).position);
  // A dry run through the delivery path: bad variables or filters are refused now, not at the first event.
  const source = await openSource({
    schema,
    document: withCursorArgument(document, operationName),
    query: args.query,
    operationName,
    variables,
    context: { ...ctx, access: { admin: false, subscriber: true } },
    after: cursor,
    maskError: (error) => error,
  });
  if (!('next' in source)) throw new UserInputError(`variables: ${(source as readonly GraphQLError[]).map((e) => e.message).join('; ')}`, 'variables');
  source.close();
  const refused = readApiLimits(ctx.config, ctx.log).check({ schema, document, variableValues: variables, operationName, contextValue: ctx });
  if (refused.length > 0) throw queryError(refused);

  const secret = newSecret();
  const webhook = await insertWebhook(
    ctx.db.pool,
    {
      owner: caller.owner,
      url: url.toString(),
      query: args.query,
      operationName,
      variables,
      field,
      description: args.description ?? null,
      secret: sealSecret(secret, ctx.config.WEBHOOK_SECRET_KEY),
      cursor,
    },
    ctx.config.WEBHOOK_MAX_PER_OWNER,
  );
  if (!webhook) {
    throw new UserInputError(
      `${caller.owner} already has ${ctx.config.WEBHOOK_MAX_PER_OWNER} webhooks (WEBHOOK_MAX_PER_OWNER); delete one first`,
      'url',
    );
  }
  void dispatcher.poke();
  return { webhook, secret };
}

/** The parsed document and its one root field, or a BAD_USER_INPUT error saying what is wrong. */
function checkDocument(schema: GraphQLSchema, query: string, operationName: string | null): { document: DocumentNode; field: (typeof DELIVERABLE_FIELDS)[number] } {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch (error) {
    throw new UserInputError(`query: ${(error as Error).message}`, 'query');
  }
  const errors = validate(schema, document);
  if (errors.length > 0) throw queryError(errors);
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    throw new UserInputError(
      operationName ? `query has no operation named ${operationName}` : 'query holds several operations: give operationName',
      'operationName',
    );
  }
  const allowed = DELIVERABLE_FIELDS.join(' or ');
  if (operation.operation !== 'subscription') {
    throw new UserInputError(`query must be a subscription to ${allowed}, got a ${operation.operation}`, 'query');
  }
  const [selection, ...more] = operation.selectionSet.selections;
  if (more.length > 0 || selection?.kind !== Kind.FIELD) {
    throw new UserInputError(`query must select exactly one field, ${allowed}, at its root`, 'query');
  }
  const name = selection.name.value;
  if (!(DELIVERABLE_FIELDS as readonly string[]).includes(name)) {
    throw new UserInputError(
      `webhooks deliver ${allowed} only (their events carry a cursor, so delivery resumes without loss); ${name} cannot be delivered durably`,
      'query',
    );
  }
  if (selection.arguments?.some((a) => a.name.value === 'after')) {
    throw new UserInputError(`query: leave out ${name}'s after argument: the webhook's cursor sets it (give createWebhook's after to start from a cursor)`, 'query');
  }
  if (operation.variableDefinitions?.some((v) => v.variable.name.value === AFTER_VARIABLE)) {
    throw new UserInputError(`query: the variable $${AFTER_VARIABLE} is reserved for the webhook's cursor`, 'query');
  }
  return { document, field: name as (typeof DELIVERABLE_FIELDS)[number] };
}

/** A start cursor within the outbox retention. */
async function startCursor(ctx: GraphQLContext, after: string): Promise<number> {
  const position = decodeStreamCursor(after);
  const head = await streamHead(ctx.db.pool);
  if (position + 1 < head.oldestPosition) {
    throw new UserInputError('after: this cursor is older than the outbox keeps events (OUTBOX_RETENTION_HOURS)', 'after', after);
  }
  return position;
}

function queryError(errors: readonly GraphQLError[]): UserInputError {
  return new UserInputError(`query: ${errors.map((e) => e.message).join('; ')}`, 'query');
}

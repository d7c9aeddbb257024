import { UserInputError } from '../errors.ts';
import { decodeStreamCursor, encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import { streamHead, type StreamEvent } from '../streaming/realtime/stream-events.ts';
import type { StreamingStatus } from '../streaming/processor/status.ts';
import { every, mapIterator } from '../streaming/realtime/iterators.ts';
import { topicStream } from '../streaming/realtime/topic-stream.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import {
  BulkImportType,
  DatamartScope,
  DatamartUpdateType,
  EventFilter,
  FactEvent,
  NoteEvent,
  toStreamFilter,
  type BulkImport,
} from './events.ts';
import { StreamingStatusType } from './streaming-status.ts';

builder.subscriptionType({
  description:
    'Live events over graphql-ws (WebSocket) or SSE on /graphql. noteEvent and factProcessed follow the ' +
    'commit-ordered stream: pass the cursor of the last event seen as `after` to resume without gap or duplicate.',
});

builder.queryField('streamCursor', (t) =>
  t.string({
    description:
      'The cursor of the newest event this server has: subscribe with it as `after` to receive every event ' +
      'that commits from now on, even if the connection drops before the first one arrives.',
    resolve: async (_root, _args, ctx) => encodeStreamCursor(ctx.stream?.position ?? (await streamHead(ctx.db.pool)).position),
  }),
);

function hubOf(ctx: GraphQLContext) {
  if (!ctx.stream || !ctx.pubsub) throw new Error('subscriptions are not available in this process');
  return { stream: ctx.stream, pubsub: ctx.pubsub };
}

/** The position to resume after; refuses cursors older than the outbox retention. */
async function resumePosition(ctx: GraphQLContext, after: string | null | undefined): Promise<number | null> {
  if (!after) return null;
  const position = decodeStreamCursor(after);
  const head = await streamHead(ctx.db.pool);
  if (position + 1 < head.oldestPosition) {
    throw new UserInputError(
      `after: this cursor is older than the outbox keeps events (OUTBOX_RETENTION_HOURS); subscribe without after`,
      'after',
      after,
    );
  }
  return position;
}

builder.subscriptionField('noteEvent', (t) =>
  t.field({
    type: NoteEvent,
    description: 'Each new note action (opened, commented, closed, reopened, hidden) once it is in the stream.',
    args: {
      filter: t.arg({ type: EventFilter, description: 'Only the events that match; every event when omitted.' }),
      after: t.arg.string({ description: 'A cursor to resume after.' }),
    },
    subscribe: async (_root, args, ctx) =>
      hubOf(ctx).stream.events({
        filter: toStreamFilter(args.filter),
        kinds: ['comment'],
        after: await resumePosition(ctx, args.after),
      }),
    resolve: (event: StreamEvent) => event,
  }),
);

builder.subscriptionField('factProcessed', (t) =>
  t.field({
    type: FactEvent,
    description: 'Each fact the micro-ETL commits, with its derived measures.',
    args: {
      filter: t.arg({ type: EventFilter, description: 'Only the facts that match; every fact when omitted.' }),
      after: t.arg.string({ description: 'A cursor to resume after.' }),
    },
    subscribe: async (_root, args, ctx) =>
      hubOf(ctx).stream.events({
        filter: toStreamFilter(args.filter),
        kinds: ['comment', 'text'],
        after: await resumePosition(ctx, args.after),
      }),
    resolve: (event: StreamEvent) => event,
  }),
);

builder.subscriptionField('datamartUpdated', (t) =>
  t.field({
    type: DatamartUpdateType,
    description: 'Datamart rows of a scope (one country or user with id, every one without) after each batch changes them.',
    args: {
      scope: t.arg({ type: DatamartScope, required: true, description: 'The datamart to watch.' }),
      id: t.arg.string({ description: 'A country code (COUNTRY) or an OSM user id (USER).' }),
    },
    subscribe: (_root, args, ctx) => {
      if (args.scope === 'user' && args.id != null && !/^\d+$/.test(args.id)) {
        throw new UserInputError(`id must be an OSM user id for scope USER, got ${JSON.stringify(args.id)}`, 'id', args.id);
      }
      const key = args.id == null ? null : args.scope === 'country' ? toStreamFilter({ countries: [args.id] }).countries![0]! : args.id;
      return hubOf(ctx).stream.datamartUpdates({ scope: args.scope, key: args.scope === 'global' ? null : key });
    },
    resolve: (update) => update,
  }),
);

builder.subscriptionField('streamingStatus', (t) =>
  t.field({
    type: StreamingStatusType,
    description: 'The streamingStatus query, sent now and then every everySeconds seconds.',
    args: { everySeconds: t.arg.int({ defaultValue: 5, description: 'Seconds between two sends, 1 to 3600.' }) },
    subscribe: (_root, args, ctx) => {
      const seconds = args.everySeconds ?? 5;
      if (seconds < 1 || seconds > 3600) {
        throw new UserInputError(`everySeconds must be between 1 and 3600, got ${seconds}`, 'everySeconds', seconds);
      }
      return every(seconds * 1000, ctx.recentStreamingStatus);
    },
    resolve: (status: StreamingStatus) => status,
  }),
);

builder.subscriptionField('bulkImportCompleted', (t) =>
  t.field({
    type: BulkImportType,
    description: 'Sent when a bulk import (npm run cli -- import) commits its last batch.',
    subscribe: (_root, _args, ctx) =>
      mapIterator(topicStream(hubOf(ctx).pubsub, 'bulk_import_completed', 100), (payload): BulkImport => {
        const p = payload as Record<string, unknown>;
        const number = (v: unknown) => (typeof v === 'number' ? v : null);
        return {
          file: typeof p.file === 'string' ? p.file : null,
          notes: number(p.notes),
          comments: number(p.comments),
          events: number(p.events),
          raw: JSON.stringify(payload),
        };
      }),
    resolve: (value: BulkImport) => value,
  }),
);

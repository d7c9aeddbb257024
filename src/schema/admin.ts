import { ForbiddenError, UserInputError } from '../errors.ts';
import { listDeadLetters, type DeadLetter } from '../resolvers/dead-letters.ts';
import { reprocessNotes, reprocessRange, retryDeadLetters } from '../streaming/processor/admin.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

export function requireAdmin(ctx: GraphQLContext): void {
  if (ctx.config.ADMIN_TOKEN === undefined) {
    throw new ForbiddenError('admin mutations are disabled on this server: set ADMIN_TOKEN to enable them', ctx.clientAddress);
  }
  if (!ctx.access.admin) {
    throw new ForbiddenError('this needs the admin token: send "Authorization: Bearer <ADMIN_TOKEN>"', ctx.clientAddress);
  }
}

const DeadLetterType = builder.objectRef<DeadLetter>('DeadLetter').implement({
  description: 'An outbox event that failed too often; retryDeadLetters puts it back in the queue.',
  fields: (t) => ({
    id: t.exposeFloat('id', { description: 'The outbox event id (what retryDeadLetters takes).' }),
    kind: t.exposeString('kind', {
      description: 'comment (a new action), text (a text that arrived after its action) or reprocess (a note queued again).',
    }),
    noteId: t.exposeInt('noteId', { description: 'The note it concerns.' }),
    sequenceAction: t.exposeInt('sequenceAction', { nullable: true, description: 'The action it concerns; null for reprocess.' }),
    attempts: t.exposeInt('attempts', { description: 'Times processing it failed.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'The error of the last attempt, with its SQLSTATE.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the event was written.', resolve: (d) => d.createdAt }),
  }),
});

builder.queryField('deadLetters', (t) =>
  t.connection({
    type: DeadLetterType,
    description: 'Dead-lettered events, oldest first.',
    resolve: (_root, args, ctx) => listDeadLetters(ctx.db, args, ctx.config.MAX_PAGE_SIZE),
  }),
);

const NoteRange = builder.inputType('NoteRange', {
  description: 'Note ids from..to, both included.',
  fields: (t) => ({
    from: t.int({ required: true, description: 'The first note id.' }),
    to: t.int({ required: true, description: 'The last note id (included).' }),
  }),
});

builder.mutationType({
  description: 'Admin operations on the streaming pipeline; each needs "Authorization: Bearer <ADMIN_TOKEN>".',
});

builder.mutationField('retryDeadLetters', (t) =>
  t.int({
    description: 'Requeues dead-lettered events (all of them when ids is omitted); returns how many. Admin only.',
    args: { ids: t.arg.floatList({ required: false, description: 'Dead letter ids (DeadLetter.id); every dead letter when omitted.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      return retryDeadLetters(ctx.db.pool, args.ids ?? null);
    },
  }),
);

builder.mutationField('reprocessNotes', (t) =>
  t.int({
    description:
      'Recomputes the facts and datamart rows of the given notes (ids, or a range of ids) through the outbox; ' +
      'returns how many notes were queued. Admin only.',
    args: {
      ids: t.arg.intList({ required: false, description: 'Note ids (give ids or range).' }),
      range: t.arg({ type: NoteRange, required: false, description: 'A range of note ids (give ids or range).' }),
    },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      if (!args.ids === !args.range) throw new UserInputError('give either ids or range', 'ids');
      if (args.range) {
        if (args.range.from > args.range.to) {
          throw new UserInputError(`range.from (${args.range.from}) is after range.to (${args.range.to})`, 'range');
        }
        return reprocessRange(ctx.db.pool, args.range.from, args.range.to);
      }
      return reprocessNotes(ctx.db.pool, args.ids!);
    },
  }),
);

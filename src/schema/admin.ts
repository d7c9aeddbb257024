import { ForbiddenError, UserInputError } from '../errors.ts';
import { listDeadLetters, type DeadLetter } from '../resolvers/dead-letters.ts';
import { reprocessNotes, reprocessRange, retryDeadLetters } from '../streaming/admin.ts';
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
    id: t.exposeFloat('id'),
    kind: t.exposeString('kind'),
    noteId: t.exposeInt('noteId'),
    sequenceAction: t.exposeInt('sequenceAction', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
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
  fields: (t) => ({ from: t.int({ required: true }), to: t.int({ required: true }) }),
});

builder.mutationType({});

builder.mutationField('retryDeadLetters', (t) =>
  t.int({
    description: 'Requeues dead-lettered events (all of them when ids is omitted); returns how many. Admin only.',
    args: { ids: t.arg.floatList({ required: false }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      return retryDeadLetters(ctx.pool, args.ids ?? null);
    },
  }),
);

builder.mutationField('reprocessNotes', (t) =>
  t.int({
    description:
      'Recomputes the facts and datamart rows of the given notes (ids, or a range of ids) through the outbox; ' +
      'returns how many notes were queued. Admin only.',
    args: { ids: t.arg.intList({ required: false }), range: t.arg({ type: NoteRange, required: false }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      if (!args.ids === !args.range) throw new UserInputError('give either ids or range', 'ids');
      if (args.range) {
        if (args.range.from > args.range.to) {
          throw new UserInputError(`range.from (${args.range.from}) is after range.to (${args.range.to})`, 'range');
        }
        return reprocessRange(ctx.pool, args.range.from, args.range.to);
      }
      return reprocessNotes(ctx.pool, args.ids!);
    },
  }),
);

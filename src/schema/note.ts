import { commentsOfNotes, findNote, listNotes, type CommentRow, type NoteRow } from '../resolvers/notes.ts';
import { builder } from './builder.ts';
import { NoteAction, NoteStatus } from './enums.ts';

export const NoteComment = builder.objectRef<CommentRow>('NoteComment').implement({
  description: 'One action on a note (opening, comment, close, reopening, hiding), in sequence order.',
  fields: (t) => ({
    noteId: t.exposeInt('noteId'),
    sequenceAction: t.exposeInt('sequenceAction', { description: '1 for the opening, then 2, 3, …' }),
    action: t.field({ type: NoteAction, resolve: (c) => c.event }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
    userId: t.exposeInt('userId', { nullable: true, description: 'OSM user id; null when anonymous.' }),
    username: t.exposeString('username', { nullable: true }),
    text: t.exposeString('body', { nullable: true }),
  }),
});

export const Note = builder.objectRef<NoteRow>('Note').implement({
  description: 'An OpenStreetMap note.',
  fields: (t) => ({
    id: t.exposeInt('noteId'),
    latitude: t.exposeFloat('latitude'),
    longitude: t.exposeFloat('longitude'),
    createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
    status: t.field({ type: NoteStatus, resolve: (n) => n.status }),
    closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.closedAt }),
    countryCode: t.exposeString('countryCode', {
      nullable: true,
      description: "ISO 3166-1 alpha-2 code of the note's country; ZZ for the sea and unknown places.",
    }),
    comments: t.loadableList({
      type: NoteComment,
      description: 'The actions on this note in sequence order.',
      load: (ids: number[], ctx) => commentsOfNotes(ctx.db, ids),
      resolve: (n) => n.noteId,
    }),
  }),
});

builder.queryField('note', (t) =>
  t.field({
    type: Note,
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => findNote(ctx.db, args.id),
  }),
);

builder.queryField('notes', (t) =>
  t.connection({
    type: Note,
    description: 'Notes by id, ascending.',
    resolve: (_root, args, ctx) => listNotes(ctx.db, args, ctx.config.MAX_PAGE_SIZE),
  }),
);

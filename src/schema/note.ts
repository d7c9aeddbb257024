import { applicationById } from '../resolvers/directory.ts';
import { findNote, listNotes, type CommentRow, type NoteRow } from '../resolvers/notes.ts';
import { Application } from './application.ts';
import { builder } from './builder.ts';
import { Country } from './country.ts';
import { NoteAction, NoteStatus, SortDirection } from './enums.ts';
import { Fact } from './fact.ts';
import { noteFilter, NoteFilterInput } from './inputs.ts';
import { loaders, present } from './loaders.ts';
import { pageComplexity, readLimits } from './page.ts';
import { User } from './user.ts';

export const NoteComment = builder.objectRef<CommentRow>('NoteComment').implement({
  description: 'One action on a note (opening, comment, close, reopening, hiding), in sequence order.',
  fields: (t) => ({
    noteId: t.exposeInt('noteId', { description: 'The OSM note id.' }),
    sequenceAction: t.exposeInt('sequenceAction', { description: '1 for the opening, then 2, 3, …' }),
    action: t.field({ type: NoteAction, description: 'What the action did.', resolve: (c) => c.event }),
    createdAt: t.field({ type: 'DateTime', description: 'When the action was made.', resolve: (c) => c.createdAt }),
    userId: t.exposeInt('userId', { nullable: true, description: 'OSM user id; null when anonymous.' }),
    username: t.exposeString('username', { nullable: true, description: "The user's current username; null when anonymous." }),
    user: t.field({ type: User, nullable: true, description: 'Null when anonymous.', resolve: (c) => c.userId }),
    text: t.exposeString('body', { nullable: true, description: 'The text written with the action; null when none is stored.' }),
  }),
});

export const Note = builder.objectRef<NoteRow>('Note').implement({
  description: 'An OpenStreetMap note.',
  fields: (t) => ({
    id: t.exposeInt('noteId', { description: 'The OSM note id.' }),
    latitude: t.exposeFloat('latitude', { description: 'WGS 84 degrees.' }),
    longitude: t.exposeFloat('longitude', { description: 'WGS 84 degrees.' }),
    createdAt: t.field({ type: 'DateTime', description: 'When the note was opened.', resolve: (n) => n.createdAt }),
    status: t.field({ type: NoteStatus, description: 'The current status.', resolve: (n) => n.status }),
    closedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the note was closed, as OpenStreetMap reports it; null when it is not closed.', resolve: (n) => n.closedAt }),
    countryCode: t.exposeString('countryCode', {
      nullable: true,
      description: "ISO 3166-1 alpha-2 code of the note's country; ZZ for the sea and unknown places.",
    }),
    country: t.field({
      type: Country,
      nullable: true,
      description: "The note's country; null when the note has none recorded.",
      resolve: (n, _args, ctx) => (n.idCountry === null ? null : loaders(ctx).countriesById.load(n.idCountry)),
    }),
    comments: t.field({
      type: [NoteComment],
      description: 'The actions on this note in sequence order.',
      resolve: (n, _args, ctx) => loaders(ctx).commentsOfNote.load(n.noteId),
    }),
    facts: t.field({
      type: [Fact],
      description: 'The warehouse facts of this note in sequence order (empty until processed).',
      resolve: (n, _args, ctx) => loaders(ctx).factsOfNote.load(n.noteId),
    }),
    application: t.field({
      type: Application,
      nullable: true,
      description: 'The application the note was opened with, when detected.',
      resolve: async (n, _args, ctx) => {
        const id = (await loaders(ctx).factsOfNote.load(n.noteId))[0]?.applicationId ?? null;
        return id === null ? null : applicationById(ctx.db, id);
      },
    }),
  }),
});

builder.objectField(Fact, 'note', (t) =>
  t.field({
    type: Note,
    description: 'The note this action belongs to.',
    resolve: async (f, _args, ctx) => present(await loaders(ctx).notes.load(f.noteId), `note ${f.noteId}`),
  }),
);

const NoteOrderField = builder.enumType('NoteOrderField', {
  description: 'What notes are ordered by.',
  values: {
    ID: { description: 'The note id.' },
    CREATED_AT: { description: 'When the note was opened (then the id).' },
  } as const,
});

const NoteOrder = builder.inputType('NoteOrder', {
  description: 'The order of a notes list.',
  fields: (t) => ({
    field: t.field({ type: NoteOrderField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, defaultValue: 'ASC', description: 'ASC (default) or DESC.' }),
  }),
});

builder.queryField('note', (t) =>
  t.field({
    type: Note,
    nullable: true,
    description: 'A note by its OSM id; null when unknown.',
    args: { id: t.arg.int({ required: true, description: 'The OSM note id.' }) },
    resolve: (_root, args, ctx) => findNote(ctx.db, args.id),
  }),
);

builder.queryField('notes', (t) =>
  t.connection({
    type: Note,
    description: 'Notes by id (ascending) unless orderBy says otherwise.',
    args: {
      filter: t.arg({ type: NoteFilterInput, description: 'Only the notes that match.' }),
      from: t.arg({ type: 'DateTime', description: 'Notes created at or after this instant.' }),
      to: t.arg({ type: 'DateTime', description: 'Notes created before this instant.' }),
      orderBy: t.arg({ type: NoteOrder, description: 'By id ascending when omitted.' }),
    },
    complexity: pageComplexity,
    resolve: (_root, args, ctx) =>
      listNotes(
        ctx.analyticsDb,
        {
          ...args,
          filter: noteFilter(args.filter),
          range: { from: args.from, to: args.to },
          order: args.orderBy ? { field: args.orderBy.field, direction: args.orderBy.direction ?? 'ASC' } : null,
        },
        readLimits(ctx),
      ),
  }),
);

import { builder } from './builder.ts';

export const NoteStatus = builder.enumType('NoteStatus', {
  values: {
    OPEN: { value: 'open' },
    CLOSED: { value: 'close' },
    HIDDEN: { value: 'hidden' },
  } as const,
});

export const NoteAction = builder.enumType('NoteAction', {
  values: {
    OPENED: { value: 'opened' },
    COMMENTED: { value: 'commented' },
    CLOSED: { value: 'closed' },
    REOPENED: { value: 'reopened' },
    HIDDEN: { value: 'hidden' },
  } as const,
});

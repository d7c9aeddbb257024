import { builder } from './builder.ts';

export const NoteStatus = builder.enumType('NoteStatus', {
  description: "A note's current status, as OpenStreetMap gives it.",
  values: {
    OPEN: { value: 'open', description: 'Open: waiting for someone to resolve it.' },
    CLOSED: { value: 'close', description: 'Closed (resolved).' },
    HIDDEN: { value: 'hidden', description: 'Hidden by a moderator.' },
  } as const,
});

export const NoteAction = builder.enumType('NoteAction', {
  description: 'What an action did to its note (note_event_enum).',
  values: {
    OPENED: { value: 'opened', description: 'Opened the note (its first action).' },
    COMMENTED: { value: 'commented', description: 'Commented without changing the status.' },
    CLOSED: { value: 'closed', description: 'Closed (resolved) the note.' },
    REOPENED: { value: 'reopened', description: 'Reopened a closed note.' },
    HIDDEN: { value: 'hidden', description: 'Hid the note (moderators).' },
  } as const,
});

export const SortDirection = builder.enumType('SortDirection', {
  description: 'The order of a list.',
  values: { ASC: { description: 'Smallest first' }, DESC: { description: 'Largest first' } } as const,
});

export const TimeBucket = builder.enumType('TimeBucket', {
  description: 'Length of the buckets of a time series (UTC; weeks start on Monday).',
  values: {
    HOUR: { description: 'One bucket per UTC hour.' },
    DAY: { description: 'One bucket per UTC day.' },
    WEEK: { description: 'One bucket per ISO week, starting Monday 00:00 UTC.' },
    MONTH: { description: 'One bucket per calendar month (UTC).' },
    YEAR: { description: 'One bucket per calendar year (UTC).' },
  } as const,
});

export const TopDimension = builder.enumType('TopDimension', {
  description: 'What a ranking ranks.',
  values: {
    COUNTRY: { description: "The note's country." },
    USER: { description: 'The user who made the action (anonymous actions are left out).' },
    APPLICATION: { description: 'The application the note was opened with.' },
    HASHTAG: { description: 'A hashtag in the action text (an action counts once per use).' },
  } as const,
});

export const TopMetric = builder.enumType('TopMetric', {
  description: 'The measure a ranking orders by, over the facts selected.',
  values: {
    ACTIONS: { description: 'Actions of any kind.' },
    NOTES: { description: 'Distinct notes acted on.' },
    OPENED: { description: 'Opening actions.' },
    COMMENTED: { description: 'Comment actions.' },
    CLOSED: { description: 'Closing actions.' },
    REOPENED: { description: 'Reopening actions.' },
    HIDDEN: { description: 'Hiding actions.' },
    AVG_DAYS_TO_RESOLUTION: { description: 'Mean days from opening to close, over closing actions.' },
    MEDIAN_DAYS_TO_RESOLUTION: { description: 'Median (continuous) days from opening to close, over closing actions.' },
  } as const,
});

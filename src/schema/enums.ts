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

export const SortDirection = builder.enumType('SortDirection', {
  values: { ASC: { description: 'Smallest first' }, DESC: { description: 'Largest first' } } as const,
});

export const TimeBucket = builder.enumType('TimeBucket', {
  description: 'Length of the buckets of a time series (UTC; weeks start on Monday).',
  values: ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const,
});

export const TopDimension = builder.enumType('TopDimension', {
  values: {
    COUNTRY: { description: "The note's country." },
    USER: { description: 'The user who made the action (anonymous actions are left out).' },
    APPLICATION: { description: 'The application the note was opened with.' },
    HASHTAG: { description: 'A hashtag in the action text (an action counts once per use).' },
  } as const,
});

export const TopMetric = builder.enumType('TopMetric', {
  values: {
    ACTIONS: { description: 'Actions of any kind.' },
    NOTES: { description: 'Distinct notes acted on.' },
    OPENED: {},
    COMMENTED: {},
    CLOSED: {},
    REOPENED: {},
    HIDDEN: {},
    AVG_DAYS_TO_RESOLUTION: { description: 'Mean days from opening to close, over closing actions.' },
    MEDIAN_DAYS_TO_RESOLUTION: { description: 'Median (continuous) days from opening to close, over closing actions.' },
  } as const,
});

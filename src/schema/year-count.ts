import { builder } from './builder.ts';

/** A count in one calendar year (UTC): notes opened with an application, uses of a hashtag. */
export const YearCount = builder.objectRef<{ year: number; count: number }>('YearCount').implement({
  description: 'A count in one calendar year (UTC).',
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'The calendar year (UTC).' }),
    count: t.exposeInt('count', { description: 'The count in that year.' }),
  }),
});

import { builder } from './builder.ts';

/** A count in one calendar year (UTC): notes opened with an application, uses of a hashtag. */
export const YearCount = builder.objectRef<{ year: number; count: number }>('YearCount').implement({
  fields: (t) => ({
    year: t.exposeInt('year'),
    count: t.exposeInt('count'),
  }),
});

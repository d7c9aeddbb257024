import type { GraphiQLOptions } from 'graphql-yoga';

// A small inline icon, so the page asks nothing of any other host.
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#7ebc6f"/></svg>',
  );

/**
 * The tabs GraphiQL opens with. Each is a named operation (GraphiQL titles the tab with the
 * name) that works on the demo data: tests run every query against the hand-written fixture
 * and the demo data, and the subscription on a fresh `npm start` (first-run-examples).
 */
export const GRAPHIQL_EXAMPLES: { title: string; query: string }[] = [
  {
    title: 'Global stats',
    query: `# OpenStreetMap notes analytics. Run with ▶ or Ctrl-Enter.
# One example per tab; Docs (left bar) lists every field.
query GlobalStats {
  globalStats {
    opened commented closed reopened
    stillOpen resolved resolutionRate
    backlog     # still open, opened > 30 days ago
    olderBacklog: backlog(olderThanDays: 365)
    avgDaysToResolution medianDaysToResolution
    firstActionDate lastActionDate
    activityCalendar(days: 7) { date count }  # actions per day to today
    applications(first: 5) { application { name } notesOpened }
    topHashtags(first: 5) { hashtag { name } uses }
    years { year opened closed medianDaysToResolution }
  }
}`,
  },
  {
    title: 'Live',
    query: `# Live note events, as writers store them: on the
# demo data a new one every two seconds or so.
# Press ▶ and watch them arrive; ■ stops. One
# country: noteEvent(filter: { countries: ["DE"] })
subscription LiveNoteEvents {
  noteEvent {
    noteId sequenceAction action createdAt
    countryCode username text
    cursor  # pass as "after" to resume from here
  }
}`,
  },
  {
    title: 'Country',
    query: `# One country's datamart, and the countries
# with the largest backlog.
query CountryDatamart {
  country(code: "FR") {
    code name
    stats {
      opened commented closed reopened stillOpen backlog
      resolutionRate avgDaysToResolution medianDaysToResolution
      avgCommentLength commentsWithUrlPct applicationsUsed
      lastActionDate
      years { year opened closed avgDaysToResolution }
    }
  }
  countries(first: 10, orderBy: { field: BACKLOG }) {
    edges { node { code name stats { backlog stillOpen resolutionRate } } }
  }
}`,
  },
  {
    title: 'Facts',
    query: `# A page of facts (note actions), newest first.
# Next page: pass pageInfo.endCursor as "after".
query FactsPage {
  facts(first: 20, direction: DESC, from: "2000-01-01T00:00:00Z",
        filter: { actions: [OPENED, CLOSED] }) {
    edges {
      node {
        noteId sequenceAction action actionAt
        country { code } user { username }
        application { name } applicationVersion
        daysToResolution commentLength hashtags { name }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  },
  {
    title: 'Activity',
    query: `# Actions per month, empty months included.
# Drop the filter for all countries.
query ActivityByMonth {
  activity(groupBy: MONTH, filter: { country: "DE" }) {
    start opened commented closed reopened total
  }
}`,
  },
  {
    title: 'Top',
    query: `# Rankings: countries, closers, apps, hashtags.
# Narrow them to a year with period: { year: … }
# or to a range with period: { from: …, to: … }.
query Rankings {
  countries: top(dimension: COUNTRY, metric: OPENED, limit: 5) { rank value label }
  closers: top(dimension: USER, metric: CLOSED, limit: 5) { rank value label }
  apps: top(dimension: APPLICATION, metric: NOTES, limit: 5) { rank value label }
  tags: top(dimension: HASHTAG, metric: ACTIONS, limit: 5) { rank value label }
  slowest: top(dimension: COUNTRY, metric: MEDIAN_DAYS_TO_RESOLUTION, limit: 5) { rank value label }
}`,
  },
  {
    title: 'Resolution',
    query: `# Days from opening to close, and the busiest
# hours of the week (UTC).
query ResolutionAndHours {
  resolutionTimes {
    closes meanDays
    percentiles { percentile days }
    histogram { fromDays toDays closes }
  }
  busiestHours(limit: 5) { dayName hour actions opened closed }
}`,
  },
  {
    title: 'Notes',
    query: `# Notes with their comments and warehouse facts.
query RecentNotes {
  serverInfo { name version startedAt }
  notes(first: 5, orderBy: { field: CREATED_AT, direction: DESC }) {
    edges {
      node {
        id status createdAt country { code name } application { name }
        comments { action createdAt user { username } text }
        facts { sequenceAction action daysToResolution }
      }
    }
  }
}`,
  },
];

export function graphiqlOptions(): GraphiQLOptions {
  return {
    title: 'notes-stream GraphiQL',
    favicon: FAVICON,
    subscriptionsProtocol: 'WS',
    defaultTabs: GRAPHIQL_EXAMPLES.map(({ query }) => ({ query })),
  };
}

import type { GraphiQLOptions } from 'graphql-yoga';

// A small inline icon, so the page asks nothing of any other host.
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#7ebc6f"/></svg>',
  );

/**
 * The tabs GraphiQL opens with. Each is a named operation (GraphiQL titles the tab with the
 * name) that works on the demo data; a test runs every one against the hand-written fixture.
 */
export const GRAPHIQL_EXAMPLES: { title: string; query: string }[] = [
  {
    title: 'Global stats',
    query: `# notes-stream: realtime GraphQL over OpenStreetMap notes. Press ▶ (Ctrl-Enter) to run.
# Every tab holds an example; the Docs panel (top left) describes every field.
query GlobalStats {
  globalStats {
    opened commented closed reopened
    stillOpen resolved resolutionRate
    backlog                       # open notes opened more than 30 days ago
    olderBacklog: backlog(olderThanDays: 365)
    avgDaysToResolution medianDaysToResolution
    firstActionDate lastActionDate
    lastYearActivity              # one digit (0-9) per day, ending today
    applications(first: 5) { application { name } notesOpened }
    topHashtags(first: 5) { hashtag { name } uses }
    years { year opened closed medianDaysToResolution }
  }
}`,
  },
  {
    title: 'Country',
    query: `# One country's datamart, and the countries with the largest backlog.
query CountryDatamart {
  country(code: "FR") {
    code name
    stats {
      opened commented closed reopened stillOpen backlog
      resolutionRate avgDaysToResolution medianDaysToResolution
      avgCommentLength commentsWithUrlPct applicationsUsed
      lastActionDate lastYearActivity
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
    query: `# A page of facts (note actions) with filters, newest first. Pass pageInfo.endCursor as
# "after" for the next page.
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
    query: `# Actions per month (empty months included), for one country or for all (drop the filter).
query ActivityByMonth {
  activity(groupBy: MONTH, filter: { country: "DE" }) {
    start opened commented closed reopened total
  }
}`,
  },
  {
    title: 'Top',
    query: `# Rankings in a period: busiest countries, most active closers, apps and hashtags.
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
    query: `# How long notes take to be closed, and when in the week (UTC) people act.
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

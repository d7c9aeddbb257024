/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** On which side of its threshold a rule fires. */
export type AlertComparison =
  /** Fires when the value is greater than the threshold. */
  | 'ABOVE'
  /** Fires when the value is less than the threshold. */
  | 'BELOW';

/** How urgent a firing rule is; escalation to further people comes sooner for CRITICAL (docs/alerts.md). */
export type AlertSeverity =
  /** Needs someone now: data stops flowing or falls minutes behind. */
  | 'CRITICAL'
  /** Needs a look within working hours. */
  | 'WARNING';

/** Where an alert rule stands, as in Prometheus. */
export type AlertStatus =
  /** The condition has held for the hold time: Alertmanager would notify. */
  | 'FIRING'
  /** The condition does not hold. */
  | 'INACTIVE'
  /** The condition holds, not yet for the rule's hold time (forSeconds). */
  | 'PENDING';

/** The order of an applications list. */
export type ApplicationOrder = {
  /** Default: DESC for NOTES_OPENED, ASC for NAME. */
  direction?: SortDirection | null | undefined;
  /** What to order by. */
  field: ApplicationOrderField;
};

/** What applications are ordered by. */
export type ApplicationOrderField =
  /** Its name. */
  | 'NAME'
  /** Notes opened with it, whole history. */
  | 'NOTES_OPENED';

/** An area between two parallels and two meridians, in degrees (WGS 84). A west greater than east crosses the antimeridian. Edges count as inside. */
export type BoundingBox = {
  /** Eastern longitude, -180 to 180. */
  east: number;
  /** Northern latitude, -90 to 90, not south of south. */
  north: number;
  /** Southern latitude, -90 to 90. */
  south: number;
  /** Western longitude, -180 to 180. */
  west: number;
};

/** Default direction: ASC for names and codes, DESC for figures. BACKLOG uses notes opened more than 30 days ago; missing averages and rates sort below every value. */
export type CountryOrder = {
  /** ASC for CODE and NAME, DESC for figures, when omitted. */
  direction?: SortDirection | null | undefined;
  /** What to order by. */
  field: CountryOrderField;
};

/** What countries are ordered by: their code, name, or a figure of their Stats. */
export type CountryOrderField =
  /** Stats.actions. */
  | 'ACTIONS'
  /** Stats.avgDaysToResolution (missing averages sort below every value). */
  | 'AVG_DAYS_TO_RESOLUTION'
  /** Stats.backlog with the default 30 days. */
  | 'BACKLOG'
  /** Stats.closed. */
  | 'CLOSED'
  /** ISO 3166-1 alpha-2 code. */
  | 'CODE'
  /** Stats.commented. */
  | 'COMMENTED'
  /** Stats.lastActionDate. */
  | 'LAST_ACTION'
  /** Stats.medianDaysToResolution (missing medians sort below every value). */
  | 'MEDIAN_DAYS_TO_RESOLUTION'
  /** English name. */
  | 'NAME'
  /** Stats.opened. */
  | 'OPENED'
  /** Stats.reopened. */
  | 'REOPENED'
  /** Stats.resolutionRate (missing rates sort below every value). */
  | 'RESOLUTION_RATE'
  /** Stats.resolved. */
  | 'RESOLVED'
  /** Stats.stillOpen. */
  | 'STILL_OPEN';

/** Which datamart a row belongs to. */
export type DatamartScope =
  /** The rows of countries. */
  | 'COUNTRY'
  /** The one row over all notes. */
  | 'GLOBAL'
  /** The rows of users. */
  | 'USER';

/** Only events that match every filter given (each list matches any of its values; bbox, polygon and noteIds are filters of their own, so all given must match). Filters apply before anything is loaded for a subscriber. */
export type EventFilter = {
  /** Actions of these kinds. */
  actions?: Array<NoteAction> | null | undefined;
  /** Application names, as in the applications query (e.g. StreetComplete). */
  applications?: Array<string> | null | undefined;
  /** Notes whose position is in this box (a note's position is where it was opened). */
  bbox?: BoundingBox | null | undefined;
  /** ISO 3166-1 alpha-2 codes; ZZ for the sea and unknown places. */
  countries?: Array<string> | null | undefined;
  /** Hashtags without "#", matched case-insensitively. */
  hashtags?: Array<string> | null | undefined;
  /** Only these notes (at most 10000 ids): the notes a person follows. */
  noteIds?: Array<number> | null | undefined;
  /** Notes whose position is inside this GeoJSON Polygon or MultiPolygon ([longitude, latitude] positions, closed rings, holes allowed), of at most 1000 vertices. Edges count as inside. */
  polygon?: { type: 'Polygon'; coordinates: [number, number][][] } | { type: 'MultiPolygon'; coordinates: [number, number][][][] } | null | undefined;
  /** OSM user ids of who made the action. */
  users?: Array<number> | null | undefined;
};

/** Selects facts (note actions). Every condition given must hold. */
export type FactFilter = {
  /** Any of these actions. */
  actions?: Array<NoteAction> | null | undefined;
  /** Name of the application the note was opened with (see `applications`). */
  application?: string | null | undefined;
  /** Notes whose position is in this box (a note's position is where it was opened). */
  bbox?: BoundingBox | null | undefined;
  /** ISO 3166-1 alpha-2 code of the note's country (ZZ: in no country). */
  country?: string | null | undefined;
  /** A hashtag in the action's text; '#' optional, any case. */
  hashtag?: string | null | undefined;
  /** Only this note. */
  note?: number | null | undefined;
  /** Only these notes (at most 10000 ids): the notes a person follows. */
  noteIds?: Array<number> | null | undefined;
  /** The note's current status. */
  noteStatus?: NoteStatus | null | undefined;
  /** Notes whose position is inside this GeoJSON Polygon or MultiPolygon ([longitude, latitude] positions, closed rings, holes allowed), of at most 1000 vertices. Edges count as inside. */
  polygon?: { type: 'Polygon'; coordinates: [number, number][][] } | { type: 'MultiPolygon'; coordinates: [number, number][][][] } | null | undefined;
  /** Words in the action's own text. */
  text?: TextSearch | null | undefined;
  /** OSM id of the user who made the action. */
  user?: number | null | undefined;
};

/** The order of a hashtags list. */
export type HashtagOrder = {
  /** Default: DESC for USES, ASC for NAME. */
  direction?: SortDirection | null | undefined;
  /** What to order by. */
  field: HashtagOrderField;
};

/** What hashtags are ordered by. */
export type HashtagOrderField =
  /** The lower-case text. */
  | 'NAME'
  /** Uses, whole history. */
  | 'USES';

/** Overall health of the streaming pipeline. */
export type HealthStatus =
  /** Processors run but an alert condition holds (see reasons). */
  | 'DEGRADED'
  /** No processor is running: nothing turns the outbox into facts. */
  | 'DOWN'
  /** Processors run and no alert condition holds. */
  | 'OK';

/** What an action did to its note (note_event_enum). */
export type NoteAction =
  /** Closed (resolved) the note. */
  | 'CLOSED'
  /** Commented without changing the status. */
  | 'COMMENTED'
  /** Hid the note (moderators). */
  | 'HIDDEN'
  /** Opened the note (its first action). */
  | 'OPENED'
  /** Reopened a closed note. */
  | 'REOPENED';

/** Selects notes. Every condition given must hold. */
export type NoteFilter = {
  /** Name of the application the note was opened with. */
  application?: string | null | undefined;
  /** Notes whose position is in this box (a note's position is where it was opened). */
  bbox?: BoundingBox | null | undefined;
  /** Closed in this year or range (the note's closing time); notes not closed are left out. */
  closed?: Period | null | undefined;
  /** ISO 3166-1 alpha-2 code (ZZ: in no country). */
  country?: string | null | undefined;
  /** A hashtag in any of the note's texts; '#' optional, any case. */
  hashtag?: string | null | undefined;
  /** Only these notes (at most 10000 ids): the notes a person follows. */
  noteIds?: Array<number> | null | undefined;
  /** OSM id of the user who opened the note. */
  openedBy?: number | null | undefined;
  /** Notes whose position is inside this GeoJSON Polygon or MultiPolygon ([longitude, latitude] positions, closed rings, holes allowed), of at most 1000 vertices. Edges count as inside. */
  polygon?: { type: 'Polygon'; coordinates: [number, number][][] } | { type: 'MultiPolygon'; coordinates: [number, number][][][] } | null | undefined;
  /** The note's current status. */
  status?: NoteStatus | null | undefined;
  /** Words in one of the note's texts (all of `all` in the same text). */
  text?: TextSearch | null | undefined;
};

/** The order of a notes list. */
export type NoteOrder = {
  /** ASC (default) or DESC. */
  direction?: SortDirection | null | undefined;
  /** What to order by. */
  field: NoteOrderField;
};

/** What notes are ordered by. */
export type NoteOrderField =
  /** When the note was opened (then the id). */
  | 'CREATED_AT'
  /** The note id. */
  | 'ID';

/** Note ids from..to, both included. */
export type NoteRange = {
  /** The first note id. */
  from: number;
  /** The last note id (included). */
  to: number;
};

/** A note's current status, as OpenStreetMap gives it. */
export type NoteStatus =
  /** Closed (resolved). */
  | 'CLOSED'
  /** Hidden by a moderator. */
  | 'HIDDEN'
  /** Open: waiting for someone to resolve it. */
  | 'OPEN';

/** A calendar year (UTC), or a half-open range [from, to); nothing means all time. */
export type Period = {
  /** Inclusive. */
  from?: string | null | undefined;
  /** Exclusive. */
  to?: string | null | undefined;
  /** A calendar year (UTC); give it alone, or from and/or to. */
  year?: number | null | undefined;
};

/** A window of action time that ends now. */
export type RollingWindow =
  /** The last 10 minutes. */
  | 'LAST_10_MINUTES'
  /** The last 60 minutes. */
  | 'LAST_HOUR';

/** The order of a list. */
export type SortDirection =
  /** Smallest first */
  | 'ASC'
  /** Largest first */
  | 'DESC';

/** Words to find in the texts of note actions, case-insensitive, as whole words in any language (PostgreSQL full-text search with the 'simple' configuration: no stemming, no accent folding). Give all, any, or both (then both must hold). */
export type TextSearch = {
  /** Every one of these words (at most 20). */
  all?: Array<string> | null | undefined;
  /** At least one of these words (at most 20). */
  any?: Array<string> | null | undefined;
};

/** Length of the buckets of a time series (UTC; weeks start on Monday). */
export type TimeBucket =
  /** One bucket per UTC day. */
  | 'DAY'
  /** One bucket per UTC hour. */
  | 'HOUR'
  /** One bucket per calendar month (UTC). */
  | 'MONTH'
  /** One bucket per ISO week, starting Monday 00:00 UTC. */
  | 'WEEK'
  /** One bucket per calendar year (UTC). */
  | 'YEAR';

/** What a ranking ranks. */
export type TopDimension =
  /** The application the note was opened with. */
  | 'APPLICATION'
  /** The note's country. */
  | 'COUNTRY'
  /** A hashtag in the action text (an action counts once per use). */
  | 'HASHTAG'
  /** The user who made the action (anonymous actions are left out). */
  | 'USER';

/** The measure a ranking orders by, over the facts selected. */
export type TopMetric =
  /** Actions of any kind. */
  | 'ACTIONS'
  /** Mean days from opening to close, over closing actions. */
  | 'AVG_DAYS_TO_RESOLUTION'
  /** Closing actions. */
  | 'CLOSED'
  /** Comment actions. */
  | 'COMMENTED'
  /** Hiding actions. */
  | 'HIDDEN'
  /** Median (continuous) days from opening to close, over closing actions. */
  | 'MEDIAN_DAYS_TO_RESOLUTION'
  /** Distinct notes acted on. */
  | 'NOTES'
  /** Opening actions. */
  | 'OPENED'
  /** Reopening actions. */
  | 'REOPENED';

/** Default direction: ASC for names and codes, DESC for figures. BACKLOG uses notes opened more than 30 days ago; missing averages and rates sort below every value. */
export type UserOrder = {
  /** ASC for ID and USERNAME, DESC for figures, when omitted. */
  direction?: SortDirection | null | undefined;
  /** What to order by. */
  field: UserOrderField;
};

/** What users are ordered by: their id, username, or a figure of their Stats. */
export type UserOrderField =
  /** Stats.actions. */
  | 'ACTIONS'
  /** Stats.avgDaysToResolution (missing averages sort below every value). */
  | 'AVG_DAYS_TO_RESOLUTION'
  /** Stats.backlog with the default 30 days. */
  | 'BACKLOG'
  /** Stats.closed. */
  | 'CLOSED'
  /** Stats.commented. */
  | 'COMMENTED'
  /** OSM user id. */
  | 'ID'
  /** Stats.lastActionDate. */
  | 'LAST_ACTION'
  /** Stats.medianDaysToResolution (missing medians sort below every value). */
  | 'MEDIAN_DAYS_TO_RESOLUTION'
  /** Stats.opened. */
  | 'OPENED'
  /** Stats.reopened. */
  | 'REOPENED'
  /** Stats.resolutionRate (missing rates sort below every value). */
  | 'RESOLUTION_RATE'
  /** Stats.resolved. */
  | 'RESOLVED'
  /** Stats.stillOpen. */
  | 'STILL_OPEN'
  /** Current username. */
  | 'USERNAME';

/** Whether a webhook is being delivered. */
export type WebhookStatus =
  /** Events are delivered as they come (or retried while the target fails). */
  | 'ACTIVE'
  /** Nothing is sent; events wait after the cursor until resumeWebhook. */
  | 'PAUSED';

export type ReprocessNotesMutationVariables = Exact<{
  ids?: Array<number> | number | null | undefined;
  range?: NoteRange | null | undefined;
}>;


export type ReprocessNotesMutation = { reprocessNotes: number };

export type RetryDeadLettersMutationVariables = Exact<{
  ids?: Array<number> | number | null | undefined;
}>;


export type RetryDeadLettersMutation = { retryDeadLetters: number };

export type AlertsQueryVariables = Exact<{
  states?: Array<AlertStatus> | AlertStatus | null | undefined;
}>;


export type AlertsQuery = { alerts: Array<{ rule: string, component: string, severity: AlertSeverity, state: AlertStatus, value: number | null, threshold: number, comparison: AlertComparison, unit: string, forSeconds: number, since: string, activeAt: string | null, evaluatedAt: string, summary: string, runbook: string }> };

export type AlertsChangedSubscriptionVariables = Exact<{
  everyEvaluation?: boolean | null | undefined;
}>;


export type AlertsChangedSubscription = { alertsChanged: Array<{ rule: string, component: string, severity: AlertSeverity, state: AlertStatus, value: number | null, threshold: number, comparison: AlertComparison, unit: string, forSeconds: number, since: string, activeAt: string | null, evaluatedAt: string, summary: string, runbook: string }> };

export type AlertStateFieldsFragment = { rule: string, component: string, severity: AlertSeverity, state: AlertStatus, value: number | null, threshold: number, comparison: AlertComparison, unit: string, forSeconds: number, since: string, activeAt: string | null, evaluatedAt: string, summary: string, runbook: string };

export type FactsPageQueryVariables = Exact<{
  filter?: FactFilter | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  direction?: SortDirection | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FactsPageQuery = { facts: { edges: Array<{ node: { noteId: number, sequenceAction: number, action: NoteAction, actionAt: string, applicationVersion: string | null, daysToResolution: number | null, commentLength: number | null, hasUrl: boolean, hasMention: boolean, country: { code: string }, user: { id: number, username: string } | null, application: { name: string } | null, hashtags: Array<{ name: string }> } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type ActivityQueryVariables = Exact<{
  groupBy: TimeBucket;
  filter?: FactFilter | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type ActivityQuery = { activity: Array<{ start: string, opened: number, commented: number, closed: number, reopened: number, hidden: number, total: number }> };

export type TopQueryVariables = Exact<{
  dimension: TopDimension;
  metric: TopMetric;
  period?: Period | null | undefined;
  filter?: FactFilter | null | undefined;
  direction?: SortDirection | null | undefined;
  limit?: number | null | undefined;
}>;


export type TopQuery = { top: Array<{ rank: number, key: string, label: string, value: number }> };

export type RankingsQueryVariables = Exact<{
  period?: Period | null | undefined;
  limit?: number | null | undefined;
}>;


export type RankingsQuery = { countries: Array<{ rank: number, value: number, label: string }>, closers: Array<{ rank: number, value: number, label: string }>, apps: Array<{ rank: number, value: number, label: string }>, tags: Array<{ rank: number, value: number, label: string }>, slowest: Array<{ rank: number, value: number, label: string }> };

export type ResolutionAndHoursQueryVariables = Exact<{
  filter?: FactFilter | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  hours?: number | null | undefined;
}>;


export type ResolutionAndHoursQuery = { resolutionTimes: { closes: number, meanDays: number | null, minDays: number | null, maxDays: number | null, percentiles: Array<{ percentile: number, days: number | null }>, histogram: Array<{ fromDays: number, toDays: number | null, closes: number }> }, busiestHours: Array<{ dayName: string, hour: number, hourOfWeek: number, actions: number, opened: number, commented: number, closed: number }> };

export type ApplicationsQueryVariables = Exact<{
  orderBy?: ApplicationOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ApplicationsQuery = { applications: { edges: Array<{ node: { id: number, name: string, platform: string | null, versions: Array<string>, notesOpened: number, notesOpenedByYear: Array<{ year: number, count: number }> } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type HashtagsQueryVariables = Exact<{
  search?: string | null | undefined;
  orderBy?: HashtagOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HashtagsQuery = { hashtags: { edges: Array<{ node: { id: number, name: string, uses: number, usesByYear: Array<{ year: number, count: number }> } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type RollingRankingsQueryVariables = Exact<{
  window: RollingWindow;
  limit?: number | null | undefined;
}>;


export type RollingRankingsQuery = { rollingRankings: { window: RollingWindow, from: string, to: string, actions: number, countries: Array<{ rank: number, key: string, label: string, actions: number }>, hashtags: Array<{ rank: number, key: string, label: string, actions: number }>, applications: Array<{ rank: number, key: string, label: string, actions: number }>, users: Array<{ rank: number, key: string, label: string, actions: number }> } };

export type RollingRankingsChangedSubscriptionVariables = Exact<{
  window: RollingWindow;
  limit?: number | null | undefined;
}>;


export type RollingRankingsChangedSubscription = { rollingRankingsChanged: { window: RollingWindow, from: string, to: string, actions: number, countries: Array<{ rank: number, key: string, label: string, actions: number }>, hashtags: Array<{ rank: number, key: string, label: string, actions: number }>, applications: Array<{ rank: number, key: string, label: string, actions: number }>, users: Array<{ rank: number, key: string, label: string, actions: number }> } };

export type PipelineHistoryQueryVariables = Exact<{
  lastSeconds?: number | null | undefined;
}>;


export type PipelineHistoryQuery = { pipelineHistory: { intervalSeconds: number, samples: Array<{ at: string, receivedPerSecond: number | null, processedPerSecond: number | null, lagSeconds: number, backlog: number, deadLetters: number, processorsLive: number, listenerDownSeconds: number, subscribers: number }> } };

export type PipelineSampledSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PipelineSampledSubscription = { pipelineSampled: { at: string, receivedPerSecond: number | null, processedPerSecond: number | null, lagSeconds: number, backlog: number, deadLetters: number, processorsLive: number, listenerDownSeconds: number, subscribers: number } };

export type WorldActivityQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type WorldActivityQuery = { globalStats: { activityCalendar: Array<{ date: string, count: number }> }, busiestHours: Array<{ hourOfWeek: number, isoDayOfWeek: number, hour: number, actions: number }> };

export type CountryActivityQueryVariables = Exact<{
  code: string;
  days?: number | null | undefined;
}>;


export type CountryActivityQuery = { country: { code: string, name: string, stats: { activityCalendar: Array<{ date: string, count: number }> } }, busiestHours: Array<{ hourOfWeek: number, isoDayOfWeek: number, hour: number, actions: number }> };

export type UserActivityQueryVariables = Exact<{
  id?: number | null | undefined;
  username?: string | null | undefined;
  days?: number | null | undefined;
}>;


export type UserActivityQuery = { user: { id: number, username: string, stats: { activityCalendar: Array<{ date: string, count: number }> } } | null };

export type HoursOfWeekQueryVariables = Exact<{
  filter?: FactFilter | null | undefined;
}>;


export type HoursOfWeekQuery = { busiestHours: Array<{ hourOfWeek: number, isoDayOfWeek: number, hour: number, actions: number }> };

export type DayCountFieldsFragment = { date: string, count: number };

export type HourOfWeekFieldsFragment = { hourOfWeek: number, isoDayOfWeek: number, hour: number, actions: number };

export type RollingRankingsFieldsFragment = { window: RollingWindow, from: string, to: string, actions: number, countries: Array<{ rank: number, key: string, label: string, actions: number }>, hashtags: Array<{ rank: number, key: string, label: string, actions: number }>, applications: Array<{ rank: number, key: string, label: string, actions: number }>, users: Array<{ rank: number, key: string, label: string, actions: number }> };

export type RankedItemFieldsFragment = { rank: number, key: string, label: string, actions: number };

export type PipelineSampleFieldsFragment = { at: string, receivedPerSecond: number | null, processedPerSecond: number | null, lagSeconds: number, backlog: number, deadLetters: number, processorsLive: number, listenerDownSeconds: number, subscribers: number };

export type GlobalStatsQueryVariables = Exact<{ [key: string]: never; }>;


export type GlobalStatsQuery = { globalStats: { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string, applications: Array<{ notesOpened: number, application: { name: string } }>, topHashtags: Array<{ uses: number, hashtag: { name: string } }>, years: Array<{ year: number, opened: number, commented: number, closed: number, reopened: number, hidden: number, avgDaysToResolution: number | null, medianDaysToResolution: number | null }> } };

export type CountryDatamartQueryVariables = Exact<{
  code: string;
}>;


export type CountryDatamartQuery = { country: { code: string, iso3: string | null, name: string, stats: { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string, applications: Array<{ notesOpened: number, application: { name: string } }>, topHashtags: Array<{ uses: number, hashtag: { name: string } }>, years: Array<{ year: number, opened: number, commented: number, closed: number, reopened: number, hidden: number, avgDaysToResolution: number | null, medianDaysToResolution: number | null }> } } };

export type CountriesQueryVariables = Exact<{
  orderBy?: CountryOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CountriesQuery = { countries: { edges: Array<{ node: { code: string, name: string, stats: { opened: number, closed: number, stillOpen: number, backlog: number, resolutionRate: number | null, medianDaysToResolution: number | null } } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type UserQueryVariables = Exact<{
  id?: number | null | undefined;
  username?: string | null | undefined;
}>;


export type UserQuery = { user: { id: number, username: string, stats: { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string, years: Array<{ year: number, opened: number, commented: number, closed: number, reopened: number, hidden: number, avgDaysToResolution: number | null, medianDaysToResolution: number | null }> } } | null };

export type UsersQueryVariables = Exact<{
  search?: string | null | undefined;
  orderBy?: UserOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type UsersQuery = { users: { edges: Array<{ node: { id: number, username: string, stats: { opened: number, commented: number, closed: number, lastActionDate: string | null } } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type YearFiguresFragment = { year: number, opened: number, commented: number, closed: number, reopened: number, hidden: number, avgDaysToResolution: number | null, medianDaysToResolution: number | null };

export type CompareCountriesQueryVariables = Exact<{
  codes: Array<string> | string;
}>;


export type CompareCountriesQuery = { compareCountries: Array<{ code: string, name: string, stats: { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string } }> };

export type CompareUsersQueryVariables = Exact<{
  ids?: Array<number> | number | null | undefined;
  usernames?: Array<string> | string | null | undefined;
}>;


export type CompareUsersQuery = { compareUsers: Array<{ id: number, username: string, stats: { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string } }> };

export type StatsFiguresFragment = { actions: number, opened: number, commented: number, closed: number, closedWithComment: number, reopened: number, hidden: number, stillOpen: number, resolved: number, backlog: number, resolutionRate: number | null, avgDaysToResolution: number | null, medianDaysToResolution: number | null, avgCommentLength: number | null, commentsWithUrlPct: number | null, commentsWithMentionPct: number | null, applicationsUsed: number, firstActionDate: string | null, lastActionDate: string | null, lastYearActivity: string };

export type StatsBreakdownsFragment = { applications: Array<{ notesOpened: number, application: { name: string } }>, topHashtags: Array<{ uses: number, hashtag: { name: string } }>, years: Array<{ year: number, opened: number, commented: number, closed: number, reopened: number, hidden: number, avgDaysToResolution: number | null, medianDaysToResolution: number | null }> };

export type TopEntryFieldsFragment = { rank: number, value: number, label: string };

export type PageInfoFieldsFragment = { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null };

export type NoteQueryVariables = Exact<{
  id: number;
}>;


export type NoteQuery = { note: { closedAt: string | null, id: number, status: NoteStatus, createdAt: string, latitude: number, longitude: number, countryCode: string | null, comments: Array<{ sequenceAction: number, action: NoteAction, createdAt: string, userId: number | null, username: string | null, text: string | null }>, facts: Array<{ sequenceAction: number, action: NoteAction, actionAt: string, daysToResolution: number | null, commentLength: number | null, hashtags: Array<{ name: string }> }>, application: { name: string } | null } | null };

export type NotesQueryVariables = Exact<{
  filter?: NoteFilter | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  orderBy?: NoteOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotesQuery = { notes: { edges: Array<{ node: { id: number, status: NoteStatus, createdAt: string, latitude: number, longitude: number, countryCode: string | null, application: { name: string } | null } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type NoteSummaryFragment = { id: number, status: NoteStatus, createdAt: string, latitude: number, longitude: number, countryCode: string | null, application: { name: string } | null };

export type RecentNotesQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type RecentNotesQuery = { serverInfo: { name: string, version: string, startedAt: string }, notes: { edges: Array<{ node: { id: number, status: NoteStatus, createdAt: string, country: { code: string, name: string } | null, application: { name: string } | null, comments: Array<{ action: NoteAction, createdAt: string, text: string | null, user: { username: string } | null }>, facts: Array<{ sequenceAction: number, action: NoteAction, daysToResolution: number | null }> } }> } };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { name: string, version: string, nodeVersion: string, startedAt: string } };

export type StreamingStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type StreamingStatusQuery = { streamingStatus: { status: HealthStatus, reasons: Array<string>, checkedAt: string, errorRate: number, notificationQueueUsage: number, queue: { pending: number, inProgress: number, dead: number, oldestPendingAgeSeconds: number | null }, throughput: { receivedPerMinute: number, processedPerMinute: number }, lag: { p50Ms: number | null, p95Ms: number | null, p99Ms: number | null }, batches: { lastMinute: number, meanSize: number | null, meanDurationMs: number | null }, listener: { connected: boolean, reconnects: number, lastNotificationAt: string | null }, processors: Array<{ processorId: string, hostname: string, pid: number, startedAt: string, heartbeatAt: string, eventsProcessed: number, eventsFailed: number, listenerConnected: boolean }> } };

export type StreamingStatusFieldsFragment = { status: HealthStatus, reasons: Array<string>, checkedAt: string, errorRate: number, notificationQueueUsage: number, queue: { pending: number, inProgress: number, dead: number, oldestPendingAgeSeconds: number | null }, throughput: { receivedPerMinute: number, processedPerMinute: number }, lag: { p50Ms: number | null, p95Ms: number | null, p99Ms: number | null }, batches: { lastMinute: number, meanSize: number | null, meanDurationMs: number | null }, listener: { connected: boolean, reconnects: number, lastNotificationAt: string | null }, processors: Array<{ processorId: string, hostname: string, pid: number, startedAt: string, heartbeatAt: string, eventsProcessed: number, eventsFailed: number, listenerConnected: boolean }> };

export type EtlIntegrityQueryVariables = Exact<{ [key: string]: never; }>;


export type EtlIntegrityQuery = { etlIntegrity: { healthy: boolean, commentsWithoutFact: number, factsWithoutComment: number, notesAffected: number, notesInFlight: number } };

export type DeadLettersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DeadLettersQuery = { deadLetters: { edges: Array<{ node: { id: number, kind: string, noteId: number, sequenceAction: number | null, attempts: number, lastError: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type StreamCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type StreamCursorQuery = { streamCursor: string };

export type NoteEventsSubscriptionVariables = Exact<{
  filter?: EventFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type NoteEventsSubscription = { noteEvent: { cursor: string, noteId: number, sequenceAction: number, action: NoteAction, createdAt: string, userId: number | null, username: string | null, text: string | null, latitude: number | null, longitude: number | null, noteStatus: NoteStatus | null, countryCode: string | null } };

export type FactsProcessedSubscriptionVariables = Exact<{
  filter?: EventFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type FactsProcessedSubscription = { factProcessed: { cursor: string, textUpdate: boolean, noteId: number, sequenceAction: number, action: NoteAction, actionAt: string, enqueuedAt: string, processedAt: string, lagMs: number, countryCode: string | null, userId: number | null, username: string | null, application: string | null, applicationVersion: string | null, hashtags: Array<string>, daysToResolution: number | null, commentLength: number | null, hasUrl: boolean | null, hasMention: boolean | null } };

export type DatamartUpdatesSubscriptionVariables = Exact<{
  scope: DatamartScope;
  id?: string | null | undefined;
}>;


export type DatamartUpdatesSubscription = { datamartUpdated: { scope: DatamartScope, countryCode: string | null, userId: number | null, batchId: number, position: number | null, committedAt: string } };

export type StreamingStatusUpdatesSubscriptionVariables = Exact<{
  everySeconds?: number | null | undefined;
}>;


export type StreamingStatusUpdatesSubscription = { streamingStatus: { status: HealthStatus, reasons: Array<string>, checkedAt: string, errorRate: number, notificationQueueUsage: number, queue: { pending: number, inProgress: number, dead: number, oldestPendingAgeSeconds: number | null }, throughput: { receivedPerMinute: number, processedPerMinute: number }, lag: { p50Ms: number | null, p95Ms: number | null, p99Ms: number | null }, batches: { lastMinute: number, meanSize: number | null, meanDurationMs: number | null }, listener: { connected: boolean, reconnects: number, lastNotificationAt: string | null }, processors: Array<{ processorId: string, hostname: string, pid: number, startedAt: string, heartbeatAt: string, eventsProcessed: number, eventsFailed: number, listenerConnected: boolean }> } };

export type BulkImportsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type BulkImportsSubscription = { bulkImportCompleted: { file: string | null, notes: number | null, comments: number | null, events: number | null } };

export type WebhookFieldsFragment = { id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string };

export type CreateWebhookMutationVariables = Exact<{
  url: string;
  query: string;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
  description?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type CreateWebhookMutation = { createWebhook: { secret: string, webhook: { id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string } } };

export type WebhooksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  owner?: string | null | undefined;
}>;


export type WebhooksQuery = { webhooks: { edges: Array<{ node: { query: string, variables: Record<string, unknown>, id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type WebhookQueryVariables = Exact<{
  id: string | number;
}>;


export type WebhookQuery = { webhook: { query: string, operationName: string | null, variables: Record<string, unknown>, deliveringProcess: string | null, id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string } | null };

export type DeleteWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteWebhookMutation = { deleteWebhook: boolean };

export type PauseWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type PauseWebhookMutation = { pauseWebhook: { id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string } };

export type ResumeWebhookMutationVariables = Exact<{
  id: string | number;
  skipMissed?: boolean | null | undefined;
}>;


export type ResumeWebhookMutation = { resumeWebhook: { id: string, owner: string, url: string, field: string, description: string | null, status: WebhookStatus, pausedReason: string | null, pausedAt: string | null, cursor: string, lag: number, lastError: string | null, lastErrorAt: string | null, failingSince: string | null, consecutiveFailures: number, deliveries: number, failures: number, retries: number, lastDeliveryAt: string | null, createdAt: string } };

export type TestWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type TestWebhookMutation = { testWebhook: { ok: boolean, status: number | null, error: string | null, durationMs: number } };

export type CreateWebhookOwnerMutationVariables = Exact<{
  name: string;
}>;


export type CreateWebhookOwnerMutation = { createWebhookOwner: { token: string, owner: { name: string, createdAt: string } } };

export type RevokeWebhookOwnerMutationVariables = Exact<{
  name: string;
}>;


export type RevokeWebhookOwnerMutation = { revokeWebhookOwner: boolean };

export type WebhookOwnersQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookOwnersQuery = { webhookOwners: Array<{ name: string, createdAt: string, revokedAt: string | null }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AlertStateFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlertStateFields on AlertState {
  rule
  component
  severity
  state
  value
  threshold
  comparison
  unit
  forSeconds
  since
  activeAt
  evaluatedAt
  summary
  runbook
}
    `, {"fragmentName":"AlertStateFields"}) as unknown as TypedDocumentString<AlertStateFieldsFragment, unknown>;
export const DayCountFieldsFragmentDoc = new TypedDocumentString(`
    fragment DayCountFields on DayCount {
  date
  count
}
    `, {"fragmentName":"DayCountFields"}) as unknown as TypedDocumentString<DayCountFieldsFragment, unknown>;
export const HourOfWeekFieldsFragmentDoc = new TypedDocumentString(`
    fragment HourOfWeekFields on HourOfWeekActivity {
  hourOfWeek
  isoDayOfWeek
  hour
  actions
}
    `, {"fragmentName":"HourOfWeekFields"}) as unknown as TypedDocumentString<HourOfWeekFieldsFragment, unknown>;
export const RankedItemFieldsFragmentDoc = new TypedDocumentString(`
    fragment RankedItemFields on RankedItem {
  rank
  key
  label
  actions
}
    `, {"fragmentName":"RankedItemFields"}) as unknown as TypedDocumentString<RankedItemFieldsFragment, unknown>;
export const RollingRankingsFieldsFragmentDoc = new TypedDocumentString(`
    fragment RollingRankingsFields on RollingRankings {
  window
  from
  to
  actions
  countries {
    ...RankedItemFields
  }
  hashtags {
    ...RankedItemFields
  }
  applications {
    ...RankedItemFields
  }
  users {
    ...RankedItemFields
  }
}
    fragment RankedItemFields on RankedItem {
  rank
  key
  label
  actions
}`, {"fragmentName":"RollingRankingsFields"}) as unknown as TypedDocumentString<RollingRankingsFieldsFragment, unknown>;
export const PipelineSampleFieldsFragmentDoc = new TypedDocumentString(`
    fragment PipelineSampleFields on PipelineSample {
  at
  receivedPerSecond
  processedPerSecond
  lagSeconds
  backlog
  deadLetters
  processorsLive
  listenerDownSeconds
  subscribers
}
    `, {"fragmentName":"PipelineSampleFields"}) as unknown as TypedDocumentString<PipelineSampleFieldsFragment, unknown>;
export const StatsFiguresFragmentDoc = new TypedDocumentString(`
    fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}
    `, {"fragmentName":"StatsFigures"}) as unknown as TypedDocumentString<StatsFiguresFragment, unknown>;
export const YearFiguresFragmentDoc = new TypedDocumentString(`
    fragment YearFigures on YearStats {
  year
  opened
  commented
  closed
  reopened
  hidden
  avgDaysToResolution
  medianDaysToResolution
}
    `, {"fragmentName":"YearFigures"}) as unknown as TypedDocumentString<YearFiguresFragment, unknown>;
export const StatsBreakdownsFragmentDoc = new TypedDocumentString(`
    fragment StatsBreakdowns on Stats {
  applications(first: 5) {
    application {
      name
    }
    notesOpened
  }
  topHashtags(first: 5) {
    hashtag {
      name
    }
    uses
  }
  years {
    ...YearFigures
  }
}
    fragment YearFigures on YearStats {
  year
  opened
  commented
  closed
  reopened
  hidden
  avgDaysToResolution
  medianDaysToResolution
}`, {"fragmentName":"StatsBreakdowns"}) as unknown as TypedDocumentString<StatsBreakdownsFragment, unknown>;
export const TopEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment TopEntryFields on TopEntry {
  rank
  value
  label
}
    `, {"fragmentName":"TopEntryFields"}) as unknown as TypedDocumentString<TopEntryFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = new TypedDocumentString(`
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
    `, {"fragmentName":"PageInfoFields"}) as unknown as TypedDocumentString<PageInfoFieldsFragment, unknown>;
export const NoteSummaryFragmentDoc = new TypedDocumentString(`
    fragment NoteSummary on Note {
  id
  status
  createdAt
  latitude
  longitude
  countryCode
  application {
    name
  }
}
    `, {"fragmentName":"NoteSummary"}) as unknown as TypedDocumentString<NoteSummaryFragment, unknown>;
export const StreamingStatusFieldsFragmentDoc = new TypedDocumentString(`
    fragment StreamingStatusFields on StreamingStatus {
  status
  reasons
  checkedAt
  errorRate
  notificationQueueUsage
  queue {
    pending
    inProgress
    dead
    oldestPendingAgeSeconds
  }
  throughput {
    receivedPerMinute
    processedPerMinute
  }
  lag {
    p50Ms
    p95Ms
    p99Ms
  }
  batches {
    lastMinute
    meanSize
    meanDurationMs
  }
  listener {
    connected
    reconnects
    lastNotificationAt
  }
  processors {
    processorId
    hostname
    pid
    startedAt
    heartbeatAt
    eventsProcessed
    eventsFailed
    listenerConnected
  }
}
    `, {"fragmentName":"StreamingStatusFields"}) as unknown as TypedDocumentString<StreamingStatusFieldsFragment, unknown>;
export const WebhookFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}
    `, {"fragmentName":"WebhookFields"}) as unknown as TypedDocumentString<WebhookFieldsFragment, unknown>;
export const ReprocessNotesDocument = new TypedDocumentString(`
    mutation ReprocessNotes($ids: [Int!], $range: NoteRange) {
  reprocessNotes(ids: $ids, range: $range)
}
    `, {"operation":"mutation","name":"ReprocessNotes"}) as unknown as TypedDocumentString<ReprocessNotesMutation, ReprocessNotesMutationVariables>;
export const RetryDeadLettersDocument = new TypedDocumentString(`
    mutation RetryDeadLetters($ids: [Float!]) {
  retryDeadLetters(ids: $ids)
}
    `, {"operation":"mutation","name":"RetryDeadLetters"}) as unknown as TypedDocumentString<RetryDeadLettersMutation, RetryDeadLettersMutationVariables>;
export const AlertsDocument = new TypedDocumentString(`
    query Alerts($states: [AlertStatus!]) {
  alerts(states: $states) {
    ...AlertStateFields
  }
}
    fragment AlertStateFields on AlertState {
  rule
  component
  severity
  state
  value
  threshold
  comparison
  unit
  forSeconds
  since
  activeAt
  evaluatedAt
  summary
  runbook
}`, {"operation":"query","name":"Alerts"}) as unknown as TypedDocumentString<AlertsQuery, AlertsQueryVariables>;
export const AlertsChangedDocument = new TypedDocumentString(`
    subscription AlertsChanged($everyEvaluation: Boolean) {
  alertsChanged(everyEvaluation: $everyEvaluation) {
    ...AlertStateFields
  }
}
    fragment AlertStateFields on AlertState {
  rule
  component
  severity
  state
  value
  threshold
  comparison
  unit
  forSeconds
  since
  activeAt
  evaluatedAt
  summary
  runbook
}`, {"operation":"subscription","name":"AlertsChanged"}) as unknown as TypedDocumentString<AlertsChangedSubscription, AlertsChangedSubscriptionVariables>;
export const FactsPageDocument = new TypedDocumentString(`
    query FactsPage($filter: FactFilter, $from: DateTime, $to: DateTime, $direction: SortDirection, $first: Int, $after: String) {
  facts(
    filter: $filter
    from: $from
    to: $to
    direction: $direction
    first: $first
    after: $after
  ) {
    edges {
      node {
        noteId
        sequenceAction
        action
        actionAt
        country {
          code
        }
        user {
          id
          username
        }
        application {
          name
        }
        applicationVersion
        daysToResolution
        commentLength
        hasUrl
        hasMention
        hashtags {
          name
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"FactsPage"}) as unknown as TypedDocumentString<FactsPageQuery, FactsPageQueryVariables>;
export const ActivityDocument = new TypedDocumentString(`
    query Activity($groupBy: TimeBucket!, $filter: FactFilter, $from: DateTime, $to: DateTime) {
  activity(groupBy: $groupBy, filter: $filter, from: $from, to: $to) {
    start
    opened
    commented
    closed
    reopened
    hidden
    total
  }
}
    `, {"operation":"query","name":"Activity"}) as unknown as TypedDocumentString<ActivityQuery, ActivityQueryVariables>;
export const TopDocument = new TypedDocumentString(`
    query Top($dimension: TopDimension!, $metric: TopMetric!, $period: Period, $filter: FactFilter, $direction: SortDirection, $limit: Int = 10) {
  top(
    dimension: $dimension
    metric: $metric
    period: $period
    filter: $filter
    direction: $direction
    limit: $limit
  ) {
    rank
    key
    label
    value
  }
}
    `, {"operation":"query","name":"Top"}) as unknown as TypedDocumentString<TopQuery, TopQueryVariables>;
export const RankingsDocument = new TypedDocumentString(`
    query Rankings($period: Period, $limit: Int = 5) {
  countries: top(
    dimension: COUNTRY
    metric: OPENED
    period: $period
    limit: $limit
  ) {
    ...TopEntryFields
  }
  closers: top(dimension: USER, metric: CLOSED, period: $period, limit: $limit) {
    ...TopEntryFields
  }
  apps: top(dimension: APPLICATION, metric: NOTES, period: $period, limit: $limit) {
    ...TopEntryFields
  }
  tags: top(dimension: HASHTAG, metric: ACTIONS, period: $period, limit: $limit) {
    ...TopEntryFields
  }
  slowest: top(
    dimension: COUNTRY
    metric: MEDIAN_DAYS_TO_RESOLUTION
    period: $period
    limit: $limit
  ) {
    ...TopEntryFields
  }
}
    fragment TopEntryFields on TopEntry {
  rank
  value
  label
}`, {"operation":"query","name":"Rankings"}) as unknown as TypedDocumentString<RankingsQuery, RankingsQueryVariables>;
export const ResolutionAndHoursDocument = new TypedDocumentString(`
    query ResolutionAndHours($filter: FactFilter, $from: DateTime, $to: DateTime, $hours: Int = 5) {
  resolutionTimes(filter: $filter, from: $from, to: $to) {
    closes
    meanDays
    minDays
    maxDays
    percentiles {
      percentile
      days
    }
    histogram {
      fromDays
      toDays
      closes
    }
  }
  busiestHours(filter: $filter, from: $from, to: $to, limit: $hours) {
    dayName
    hour
    hourOfWeek
    actions
    opened
    commented
    closed
  }
}
    `, {"operation":"query","name":"ResolutionAndHours"}) as unknown as TypedDocumentString<ResolutionAndHoursQuery, ResolutionAndHoursQueryVariables>;
export const ApplicationsDocument = new TypedDocumentString(`
    query Applications($orderBy: ApplicationOrder, $first: Int, $after: String) {
  applications(orderBy: $orderBy, first: $first, after: $after) {
    edges {
      node {
        id
        name
        platform
        versions
        notesOpened
        notesOpenedByYear {
          year
          count
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"Applications"}) as unknown as TypedDocumentString<ApplicationsQuery, ApplicationsQueryVariables>;
export const HashtagsDocument = new TypedDocumentString(`
    query Hashtags($search: String, $orderBy: HashtagOrder, $first: Int, $after: String) {
  hashtags(search: $search, orderBy: $orderBy, first: $first, after: $after) {
    edges {
      node {
        id
        name
        uses
        usesByYear {
          year
          count
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"Hashtags"}) as unknown as TypedDocumentString<HashtagsQuery, HashtagsQueryVariables>;
export const RollingRankingsDocument = new TypedDocumentString(`
    query RollingRankings($window: RollingWindow!, $limit: Int = 10) {
  rollingRankings(window: $window, limit: $limit) {
    ...RollingRankingsFields
  }
}
    fragment RollingRankingsFields on RollingRankings {
  window
  from
  to
  actions
  countries {
    ...RankedItemFields
  }
  hashtags {
    ...RankedItemFields
  }
  applications {
    ...RankedItemFields
  }
  users {
    ...RankedItemFields
  }
}
fragment RankedItemFields on RankedItem {
  rank
  key
  label
  actions
}`, {"operation":"query","name":"RollingRankings"}) as unknown as TypedDocumentString<RollingRankingsQuery, RollingRankingsQueryVariables>;
export const RollingRankingsChangedDocument = new TypedDocumentString(`
    subscription RollingRankingsChanged($window: RollingWindow!, $limit: Int = 10) {
  rollingRankingsChanged(window: $window, limit: $limit) {
    ...RollingRankingsFields
  }
}
    fragment RollingRankingsFields on RollingRankings {
  window
  from
  to
  actions
  countries {
    ...RankedItemFields
  }
  hashtags {
    ...RankedItemFields
  }
  applications {
    ...RankedItemFields
  }
  users {
    ...RankedItemFields
  }
}
fragment RankedItemFields on RankedItem {
  rank
  key
  label
  actions
}`, {"operation":"subscription","name":"RollingRankingsChanged"}) as unknown as TypedDocumentString<RollingRankingsChangedSubscription, RollingRankingsChangedSubscriptionVariables>;
export const PipelineHistoryDocument = new TypedDocumentString(`
    query PipelineHistory($lastSeconds: Int = 900) {
  pipelineHistory(lastSeconds: $lastSeconds) {
    intervalSeconds
    samples {
      ...PipelineSampleFields
    }
  }
}
    fragment PipelineSampleFields on PipelineSample {
  at
  receivedPerSecond
  processedPerSecond
  lagSeconds
  backlog
  deadLetters
  processorsLive
  listenerDownSeconds
  subscribers
}`, {"operation":"query","name":"PipelineHistory"}) as unknown as TypedDocumentString<PipelineHistoryQuery, PipelineHistoryQueryVariables>;
export const PipelineSampledDocument = new TypedDocumentString(`
    subscription PipelineSampled {
  pipelineSampled {
    ...PipelineSampleFields
  }
}
    fragment PipelineSampleFields on PipelineSample {
  at
  receivedPerSecond
  processedPerSecond
  lagSeconds
  backlog
  deadLetters
  processorsLive
  listenerDownSeconds
  subscribers
}`, {"operation":"subscription","name":"PipelineSampled"}) as unknown as TypedDocumentString<PipelineSampledSubscription, PipelineSampledSubscriptionVariables>;
export const WorldActivityDocument = new TypedDocumentString(`
    query WorldActivity($days: Int = 371) {
  globalStats {
    activityCalendar(days: $days) {
      ...DayCountFields
    }
  }
  busiestHours {
    ...HourOfWeekFields
  }
}
    fragment DayCountFields on DayCount {
  date
  count
}
fragment HourOfWeekFields on HourOfWeekActivity {
  hourOfWeek
  isoDayOfWeek
  hour
  actions
}`, {"operation":"query","name":"WorldActivity"}) as unknown as TypedDocumentString<WorldActivityQuery, WorldActivityQueryVariables>;
export const CountryActivityDocument = new TypedDocumentString(`
    query CountryActivity($code: String!, $days: Int = 371) {
  country(code: $code) {
    code
    name
    stats {
      activityCalendar(days: $days) {
        ...DayCountFields
      }
    }
  }
  busiestHours(filter: {country: $code}) {
    ...HourOfWeekFields
  }
}
    fragment DayCountFields on DayCount {
  date
  count
}
fragment HourOfWeekFields on HourOfWeekActivity {
  hourOfWeek
  isoDayOfWeek
  hour
  actions
}`, {"operation":"query","name":"CountryActivity"}) as unknown as TypedDocumentString<CountryActivityQuery, CountryActivityQueryVariables>;
export const UserActivityDocument = new TypedDocumentString(`
    query UserActivity($id: Int, $username: String, $days: Int = 371) {
  user(id: $id, username: $username) {
    id
    username
    stats {
      activityCalendar(days: $days) {
        ...DayCountFields
      }
    }
  }
}
    fragment DayCountFields on DayCount {
  date
  count
}`, {"operation":"query","name":"UserActivity"}) as unknown as TypedDocumentString<UserActivityQuery, UserActivityQueryVariables>;
export const HoursOfWeekDocument = new TypedDocumentString(`
    query HoursOfWeek($filter: FactFilter) {
  busiestHours(filter: $filter) {
    ...HourOfWeekFields
  }
}
    fragment HourOfWeekFields on HourOfWeekActivity {
  hourOfWeek
  isoDayOfWeek
  hour
  actions
}`, {"operation":"query","name":"HoursOfWeek"}) as unknown as TypedDocumentString<HoursOfWeekQuery, HoursOfWeekQueryVariables>;
export const GlobalStatsDocument = new TypedDocumentString(`
    query GlobalStats {
  globalStats {
    ...StatsFigures
    ...StatsBreakdowns
  }
}
    fragment YearFigures on YearStats {
  year
  opened
  commented
  closed
  reopened
  hidden
  avgDaysToResolution
  medianDaysToResolution
}
fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}
fragment StatsBreakdowns on Stats {
  applications(first: 5) {
    application {
      name
    }
    notesOpened
  }
  topHashtags(first: 5) {
    hashtag {
      name
    }
    uses
  }
  years {
    ...YearFigures
  }
}`, {"operation":"query","name":"GlobalStats"}) as unknown as TypedDocumentString<GlobalStatsQuery, GlobalStatsQueryVariables>;
export const CountryDatamartDocument = new TypedDocumentString(`
    query CountryDatamart($code: String!) {
  country(code: $code) {
    code
    iso3
    name
    stats {
      ...StatsFigures
      ...StatsBreakdowns
    }
  }
}
    fragment YearFigures on YearStats {
  year
  opened
  commented
  closed
  reopened
  hidden
  avgDaysToResolution
  medianDaysToResolution
}
fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}
fragment StatsBreakdowns on Stats {
  applications(first: 5) {
    application {
      name
    }
    notesOpened
  }
  topHashtags(first: 5) {
    hashtag {
      name
    }
    uses
  }
  years {
    ...YearFigures
  }
}`, {"operation":"query","name":"CountryDatamart"}) as unknown as TypedDocumentString<CountryDatamartQuery, CountryDatamartQueryVariables>;
export const CountriesDocument = new TypedDocumentString(`
    query Countries($orderBy: CountryOrder, $first: Int, $after: String) {
  countries(orderBy: $orderBy, first: $first, after: $after) {
    edges {
      node {
        code
        name
        stats {
          opened
          closed
          stillOpen
          backlog
          resolutionRate
          medianDaysToResolution
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"Countries"}) as unknown as TypedDocumentString<CountriesQuery, CountriesQueryVariables>;
export const UserDocument = new TypedDocumentString(`
    query User($id: Int, $username: String) {
  user(id: $id, username: $username) {
    id
    username
    stats {
      ...StatsFigures
      years {
        ...YearFigures
      }
    }
  }
}
    fragment YearFigures on YearStats {
  year
  opened
  commented
  closed
  reopened
  hidden
  avgDaysToResolution
  medianDaysToResolution
}
fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}`, {"operation":"query","name":"User"}) as unknown as TypedDocumentString<UserQuery, UserQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($search: String, $orderBy: UserOrder, $first: Int, $after: String) {
  users(search: $search, orderBy: $orderBy, first: $first, after: $after) {
    edges {
      node {
        id
        username
        stats {
          opened
          commented
          closed
          lastActionDate
        }
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"Users"}) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CompareCountriesDocument = new TypedDocumentString(`
    query CompareCountries($codes: [String!]!) {
  compareCountries(codes: $codes) {
    code
    name
    stats {
      ...StatsFigures
    }
  }
}
    fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}`, {"operation":"query","name":"CompareCountries"}) as unknown as TypedDocumentString<CompareCountriesQuery, CompareCountriesQueryVariables>;
export const CompareUsersDocument = new TypedDocumentString(`
    query CompareUsers($ids: [Int!], $usernames: [String!]) {
  compareUsers(ids: $ids, usernames: $usernames) {
    id
    username
    stats {
      ...StatsFigures
    }
  }
}
    fragment StatsFigures on Stats {
  actions
  opened
  commented
  closed
  closedWithComment
  reopened
  hidden
  stillOpen
  resolved
  backlog
  resolutionRate
  avgDaysToResolution
  medianDaysToResolution
  avgCommentLength
  commentsWithUrlPct
  commentsWithMentionPct
  applicationsUsed
  firstActionDate
  lastActionDate
  lastYearActivity
}`, {"operation":"query","name":"CompareUsers"}) as unknown as TypedDocumentString<CompareUsersQuery, CompareUsersQueryVariables>;
export const NoteDocument = new TypedDocumentString(`
    query Note($id: Int!) {
  note(id: $id) {
    ...NoteSummary
    closedAt
    comments {
      sequenceAction
      action
      createdAt
      userId
      username
      text
    }
    facts {
      sequenceAction
      action
      actionAt
      daysToResolution
      commentLength
      hashtags {
        name
      }
    }
  }
}
    fragment NoteSummary on Note {
  id
  status
  createdAt
  latitude
  longitude
  countryCode
  application {
    name
  }
}`, {"operation":"query","name":"Note"}) as unknown as TypedDocumentString<NoteQuery, NoteQueryVariables>;
export const NotesDocument = new TypedDocumentString(`
    query Notes($filter: NoteFilter, $from: DateTime, $to: DateTime, $orderBy: NoteOrder, $first: Int, $after: String) {
  notes(
    filter: $filter
    from: $from
    to: $to
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    edges {
      node {
        ...NoteSummary
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment NoteSummary on Note {
  id
  status
  createdAt
  latitude
  longitude
  countryCode
  application {
    name
  }
}`, {"operation":"query","name":"Notes"}) as unknown as TypedDocumentString<NotesQuery, NotesQueryVariables>;
export const RecentNotesDocument = new TypedDocumentString(`
    query RecentNotes($first: Int = 5) {
  serverInfo {
    name
    version
    startedAt
  }
  notes(first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
    edges {
      node {
        id
        status
        createdAt
        country {
          code
          name
        }
        application {
          name
        }
        comments {
          action
          createdAt
          user {
            username
          }
          text
        }
        facts {
          sequenceAction
          action
          daysToResolution
        }
      }
    }
  }
}
    `, {"operation":"query","name":"RecentNotes"}) as unknown as TypedDocumentString<RecentNotesQuery, RecentNotesQueryVariables>;
export const ServerInfoDocument = new TypedDocumentString(`
    query ServerInfo {
  serverInfo {
    name
    version
    nodeVersion
    startedAt
  }
}
    `, {"operation":"query","name":"ServerInfo"}) as unknown as TypedDocumentString<ServerInfoQuery, ServerInfoQueryVariables>;
export const StreamingStatusDocument = new TypedDocumentString(`
    query StreamingStatus {
  streamingStatus {
    ...StreamingStatusFields
  }
}
    fragment StreamingStatusFields on StreamingStatus {
  status
  reasons
  checkedAt
  errorRate
  notificationQueueUsage
  queue {
    pending
    inProgress
    dead
    oldestPendingAgeSeconds
  }
  throughput {
    receivedPerMinute
    processedPerMinute
  }
  lag {
    p50Ms
    p95Ms
    p99Ms
  }
  batches {
    lastMinute
    meanSize
    meanDurationMs
  }
  listener {
    connected
    reconnects
    lastNotificationAt
  }
  processors {
    processorId
    hostname
    pid
    startedAt
    heartbeatAt
    eventsProcessed
    eventsFailed
    listenerConnected
  }
}`, {"operation":"query","name":"StreamingStatus"}) as unknown as TypedDocumentString<StreamingStatusQuery, StreamingStatusQueryVariables>;
export const EtlIntegrityDocument = new TypedDocumentString(`
    query EtlIntegrity {
  etlIntegrity {
    healthy
    commentsWithoutFact
    factsWithoutComment
    notesAffected
    notesInFlight
  }
}
    `, {"operation":"query","name":"EtlIntegrity"}) as unknown as TypedDocumentString<EtlIntegrityQuery, EtlIntegrityQueryVariables>;
export const DeadLettersDocument = new TypedDocumentString(`
    query DeadLetters($first: Int, $after: String) {
  deadLetters(first: $first, after: $after) {
    edges {
      node {
        id
        kind
        noteId
        sequenceAction
        attempts
        lastError
        createdAt
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"operation":"query","name":"DeadLetters"}) as unknown as TypedDocumentString<DeadLettersQuery, DeadLettersQueryVariables>;
export const StreamCursorDocument = new TypedDocumentString(`
    query StreamCursor {
  streamCursor
}
    `, {"operation":"query","name":"StreamCursor"}) as unknown as TypedDocumentString<StreamCursorQuery, StreamCursorQueryVariables>;
export const NoteEventsDocument = new TypedDocumentString(`
    subscription NoteEvents($filter: EventFilter, $after: String) {
  noteEvent(filter: $filter, after: $after) {
    cursor
    noteId
    sequenceAction
    action
    createdAt
    userId
    username
    text
    latitude
    longitude
    noteStatus
    countryCode
  }
}
    `, {"operation":"subscription","name":"NoteEvents","resumeField":"noteEvent"}) as unknown as TypedDocumentString<NoteEventsSubscription, NoteEventsSubscriptionVariables>;
export const FactsProcessedDocument = new TypedDocumentString(`
    subscription FactsProcessed($filter: EventFilter, $after: String) {
  factProcessed(filter: $filter, after: $after) {
    cursor
    textUpdate
    noteId
    sequenceAction
    action
    actionAt
    enqueuedAt
    processedAt
    lagMs
    countryCode
    userId
    username
    application
    applicationVersion
    hashtags
    daysToResolution
    commentLength
    hasUrl
    hasMention
  }
}
    `, {"operation":"subscription","name":"FactsProcessed","resumeField":"factProcessed"}) as unknown as TypedDocumentString<FactsProcessedSubscription, FactsProcessedSubscriptionVariables>;
export const DatamartUpdatesDocument = new TypedDocumentString(`
    subscription DatamartUpdates($scope: DatamartScope!, $id: String) {
  datamartUpdated(scope: $scope, id: $id) {
    scope
    countryCode
    userId
    batchId
    position
    committedAt
  }
}
    `, {"operation":"subscription","name":"DatamartUpdates"}) as unknown as TypedDocumentString<DatamartUpdatesSubscription, DatamartUpdatesSubscriptionVariables>;
export const StreamingStatusUpdatesDocument = new TypedDocumentString(`
    subscription StreamingStatusUpdates($everySeconds: Int = 5) {
  streamingStatus(everySeconds: $everySeconds) {
    ...StreamingStatusFields
  }
}
    fragment StreamingStatusFields on StreamingStatus {
  status
  reasons
  checkedAt
  errorRate
  notificationQueueUsage
  queue {
    pending
    inProgress
    dead
    oldestPendingAgeSeconds
  }
  throughput {
    receivedPerMinute
    processedPerMinute
  }
  lag {
    p50Ms
    p95Ms
    p99Ms
  }
  batches {
    lastMinute
    meanSize
    meanDurationMs
  }
  listener {
    connected
    reconnects
    lastNotificationAt
  }
  processors {
    processorId
    hostname
    pid
    startedAt
    heartbeatAt
    eventsProcessed
    eventsFailed
    listenerConnected
  }
}`, {"operation":"subscription","name":"StreamingStatusUpdates"}) as unknown as TypedDocumentString<StreamingStatusUpdatesSubscription, StreamingStatusUpdatesSubscriptionVariables>;
export const BulkImportsDocument = new TypedDocumentString(`
    subscription BulkImports {
  bulkImportCompleted {
    file
    notes
    comments
    events
  }
}
    `, {"operation":"subscription","name":"BulkImports"}) as unknown as TypedDocumentString<BulkImportsSubscription, BulkImportsSubscriptionVariables>;
export const CreateWebhookDocument = new TypedDocumentString(`
    mutation CreateWebhook($url: String!, $query: String!, $variables: JSONObject, $operationName: String, $description: String, $after: String) {
  createWebhook(
    url: $url
    query: $query
    variables: $variables
    operationName: $operationName
    description: $description
    after: $after
  ) {
    secret
    webhook {
      ...WebhookFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}`, {"operation":"mutation","name":"CreateWebhook"}) as unknown as TypedDocumentString<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks($first: Int, $after: String, $owner: String) {
  webhooks(first: $first, after: $after, owner: $owner) {
    edges {
      node {
        ...WebhookFields
        query
        variables
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}`, {"operation":"query","name":"Webhooks"}) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const WebhookDocument = new TypedDocumentString(`
    query Webhook($id: ID!) {
  webhook(id: $id) {
    ...WebhookFields
    query
    operationName
    variables
    deliveringProcess
  }
}
    fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}`, {"operation":"query","name":"Webhook"}) as unknown as TypedDocumentString<WebhookQuery, WebhookQueryVariables>;
export const DeleteWebhookDocument = new TypedDocumentString(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id)
}
    `, {"operation":"mutation","name":"DeleteWebhook"}) as unknown as TypedDocumentString<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const PauseWebhookDocument = new TypedDocumentString(`
    mutation PauseWebhook($id: ID!) {
  pauseWebhook(id: $id) {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}`, {"operation":"mutation","name":"PauseWebhook"}) as unknown as TypedDocumentString<PauseWebhookMutation, PauseWebhookMutationVariables>;
export const ResumeWebhookDocument = new TypedDocumentString(`
    mutation ResumeWebhook($id: ID!, $skipMissed: Boolean) {
  resumeWebhook(id: $id, skipMissed: $skipMissed) {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  owner
  url
  field
  description
  status
  pausedReason
  pausedAt
  cursor
  lag
  lastError
  lastErrorAt
  failingSince
  consecutiveFailures
  deliveries
  failures
  retries
  lastDeliveryAt
  createdAt
}`, {"operation":"mutation","name":"ResumeWebhook"}) as unknown as TypedDocumentString<ResumeWebhookMutation, ResumeWebhookMutationVariables>;
export const TestWebhookDocument = new TypedDocumentString(`
    mutation TestWebhook($id: ID!) {
  testWebhook(id: $id) {
    ok
    status
    error
    durationMs
  }
}
    `, {"operation":"mutation","name":"TestWebhook"}) as unknown as TypedDocumentString<TestWebhookMutation, TestWebhookMutationVariables>;
export const CreateWebhookOwnerDocument = new TypedDocumentString(`
    mutation CreateWebhookOwner($name: String!) {
  createWebhookOwner(name: $name) {
    token
    owner {
      name
      createdAt
    }
  }
}
    `, {"operation":"mutation","name":"CreateWebhookOwner"}) as unknown as TypedDocumentString<CreateWebhookOwnerMutation, CreateWebhookOwnerMutationVariables>;
export const RevokeWebhookOwnerDocument = new TypedDocumentString(`
    mutation RevokeWebhookOwner($name: String!) {
  revokeWebhookOwner(name: $name)
}
    `, {"operation":"mutation","name":"RevokeWebhookOwner"}) as unknown as TypedDocumentString<RevokeWebhookOwnerMutation, RevokeWebhookOwnerMutationVariables>;
export const WebhookOwnersDocument = new TypedDocumentString(`
    query WebhookOwners {
  webhookOwners {
    name
    createdAt
    revokedAt
  }
}
    `, {"operation":"query","name":"WebhookOwners"}) as unknown as TypedDocumentString<WebhookOwnersQuery, WebhookOwnersQueryVariables>;

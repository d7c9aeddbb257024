import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import { guardSubscriptions } from './subscription-access.ts';
import './scalars.ts';
import './enums.ts';
import './server-info.ts';
import './note.ts';
import './streaming-status.ts';
import './admin.ts';
import './subscriptions.ts';
import './alerts.ts';
import './fact.ts';
import './country.ts';
import './user.ts';
import './stats.ts';
import './stats-activity.ts';
import './stats-geography.ts';
import './stats-health.ts';
import './stats-versions.ts';
import './stats-comments.ts';
import './badges.ts';
import './application.ts';
import './hashtag.ts';
import './analytics.ts';
import './compare.ts';
import './inputs.ts';
import './area.ts';
import './webhooks.ts';
import './year-count.ts';
import './activity-calendar.ts';
import './dashboard.ts';

let schema: GraphQLSchema | undefined;

/** The schema, built once per process (Pothos builders cannot be built twice). */
export function getSchema(): GraphQLSchema {
  return (schema ??= guardSubscriptions(lexicographicSortSchema(builder.toSchema())));
}

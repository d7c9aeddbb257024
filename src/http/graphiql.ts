import type { GraphiQLOptions } from 'graphql-yoga';

// A small inline icon, so the page asks nothing of any other host.
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#7ebc6f"/></svg>',
  );

export const GRAPHIQL_EXAMPLES: { title: string; query: string }[] = [
  {
    title: 'Server',
    query: `# notes-stream: realtime GraphQL over OpenStreetMap notes.
{
  serverInfo { name version startedAt }
  notes(first: 5) {
    edges { node { id status createdAt countryCode comments { action username text } } }
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

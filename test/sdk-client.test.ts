// The SDK's client against a running server: typed queries and mutations over HTTP, its errors,
// and its coverage of the API (every root field and every GraphiQL example has an operation).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '@notes-stream/sdk';
import { CountryDatamartDocument, createNotesStreamClient, GraphQLRequestError, NoteEventsDocument, RetryDeadLettersDocument } from '@notes-stream/sdk';
import { GRAPHIQL_EXAMPLES } from '../src/http/graphiql.ts';
import { countryCodeAt } from '../src/ingest/country-lookup.ts';
import { getSchema } from '../src/schema/index.ts';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { loadNotes } from './helpers/read-api.ts';
import { startTestServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'sdk-admin-secret';
const testDb = useTestDatabase();
let server: RunningServer;

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  server = await startTestServer(testDb, { env: { ADMIN_TOKEN } });
});

afterAll(async () => {
  await server.stop();
});

describe('queries and mutations over HTTP', () => {
  it('answer a query with typed data', async () => {
    const client = createNotesStreamClient({ url: server.url });
    const { country } = await client.query(CountryDatamartDocument, { code: 'fr' });
    const french = FIXTURE_NOTES.filter((n) => countryCodeAt(n.lon, n.lat) === 'FR');
    expect(country.code).toBe('FR');
    expect(country.name).toBe('France');
    expect(country.stats.opened).toBe(french.length);
    const years = new Set(french.flatMap((n) => n.comments.map((c) => Number(c.at.slice(0, 4)))));
    expect(country.stats.years.map((y) => y.year)).toEqual([...years].sort());
  });

  it('run every query operation of the SDK without errors (sample variables where required)', async () => {
    // The admin token: the webhook queries need it (or an owner token); the others ignore it.
    const client = createNotesStreamClient({ url: server.url, adminToken: ADMIN_TOKEN });
    const samples: Record<string, Record<string, unknown>> = {
      Note: { id: 1001 },
      Webhook: { id: '00000000-0000-4000-8000-000000000000' },
      CountryDatamart: { code: 'DE' },
      User: { id: 2 },
      Activity: { groupBy: 'MONTH' },
      Top: { dimension: 'COUNTRY', metric: 'OPENED' },
      CompareCountries: { codes: ['DE', 'FR'] },
      CompareUsers: { ids: [1, 2] },
      RollingRankings: { window: 'LAST_HOUR' },
      CountryActivity: { code: 'DE' },
      UserActivity: { id: 2 },
    };
    const queries = (Object.values(sdk) as unknown[]).filter(
      (value): value is sdk.GeneratedDocument<unknown, Record<string, unknown>> =>
        value instanceof sdk.TypedDocumentString && value.__meta__?.operation === 'query',
    );
    expect(queries.length).toBeGreaterThanOrEqual(18);
    for (const document of queries) {
      const name = document.__meta__!.name as string;
      await expect(client.query(document, samples[name] ?? {}), name).resolves.toBeTypeOf('object');
    }
  });

  it('send the admin token with mutations, and report refusals with the server code', async () => {
    const admin = createNotesStreamClient({ url: server.url, adminToken: ADMIN_TOKEN });
    expect(await admin.mutate(RetryDeadLettersDocument)).toEqual({ retryDeadLetters: 0 });
    const anonymous = createNotesStreamClient({ url: server.url });
    const refused = await anonymous.mutate(RetryDeadLettersDocument).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).code).toBe('FORBIDDEN');
  });

  it('throw bad input as GraphQLRequestError and refuse a document of the wrong kind', async () => {
    const client = createNotesStreamClient({ url: server.url });
    const unknown = await client.query(CountryDatamartDocument, { code: 'XY' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(GraphQLRequestError);
    expect((unknown as GraphQLRequestError).data).toBeNull();
    await expect(client.query(NoteEventsDocument as never)).rejects.toThrow(/NoteEvents is a subscription; query\(\) runs query operations only/);
  });
});

describe('coverage of the API', () => {
  const operations = readdirSync('sdk/operations')
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(join('sdk/operations', file), 'utf8')).definitions)
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const covered = new Set(
    operations.flatMap((op) => op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [`${op.operation}.${s.name.value}`] : []))),
  );

  it('has an operation for every root field (add one to sdk/operations and run npm run codegen)', () => {
    const schema = getSchema();
    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ] as const;
    const fields = roots.flatMap(([kind, type]) => Object.keys(type?.getFields() ?? {}).map((field) => `${kind}.${field}`));
    expect(fields.filter((field) => !covered.has(field))).toEqual([]);
  });

  it('covers the GraphiQL examples', () => {
    const exampleFields = GRAPHIQL_EXAMPLES.flatMap(({ query }) =>
      parse(query).definitions.flatMap((d) =>
        d.kind === Kind.OPERATION_DEFINITION
          ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [`${d.operation}.${s.name.value}`] : []))
          : [],
      ),
    );
    expect(exampleFields.length).toBeGreaterThan(0);
    expect(exampleFields.filter((field) => !covered.has(field))).toEqual([]);
  });
});

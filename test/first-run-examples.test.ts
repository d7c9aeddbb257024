// Issue 22, items 8 and 11: every example a newcomer is shown — the GraphQL blocks of README.md
// and docs/*.md, and GraphiQL's tabs — runs on a fresh `npm start` (embedded database, demo
// data, demo feed) without errors: queries return data, subscriptions an event within seconds.
// And GraphiQL's page links its bundle as separate, cacheable, compressed files.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { Kind, parse, print, validate, type DefinitionNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_EXAMPLES } from '../src/http/graphiql.ts';
import { getSchema } from '../src/schema/index.ts';
import { embeddedEnv, freePort, killGroup, noProcessUsing, npmStart, processesUsing, query, REPO, scratchDir, type AppProcess } from './helpers/app-process.ts';
import { collect, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';

const ADMIN_TOKEN = 'first-run-examples-admin';
const dataDir = scratchDir('examples-');
let app: (AppProcess & { url: string }) | undefined;

interface Example {
  where: string;
  kind: 'query' | 'mutation' | 'subscription';
  text: string;
  /** A template whose required variables the reader fills in (a URL of theirs, say): validated, not run. */
  template?: boolean;
}

function isTemplate(operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue);
}

/** Each operation of each ```graphql block, with the fragments of its block. */
function documentedExamples(): Example[] {
  const docsDir = join(REPO, 'docs');
  const docs = existsSync(docsDir) ? readdirSync(docsDir, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.md')) : [];
  const files = ['README.md', ...docs.map((f) => join('docs', f.name))];
  return files.flatMap((file) =>
    [...readFileSync(join(REPO, file), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].flatMap((block, n) => {
      const definitions = parse(block[1]!).definitions;
      const fragments = definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
      const operations = definitions.filter((d: DefinitionNode): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      return operations.map((d, i) => ({
        where: `${file} block ${n + 1}${operations.length > 1 ? ` operation ${i + 1}` : ''}`,
        kind: d.operation,
        text: [d, ...fragments].map((x) => print(x)).join('\n'),
        template: isTemplate(d),
      }));
    }),
  );
}

const graphiqlExamples: Example[] = GRAPHIQL_EXAMPLES.map((e) => ({
  where: `GraphiQL tab ${e.title}`,
  kind: /^subscription /m.test(e.query) ? 'subscription' : 'query',
  text: e.query,
}));
const examples = [...documentedExamples(), ...graphiqlExamples];

/** A GET that keeps the body as sent (fetch() would decompress it). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** Leaves that are not null, empty lists or zero: proof that an answer has data. */
function meaningfulLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + meaningfulLeaves(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + meaningfulLeaves(v), 0);
  return value === null || value === 0 || value === '' ? 0 : 1;
}

beforeAll(async () => {
  const env = embeddedEnv({ DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), ADMIN_TOKEN });
  delete env.DEMO_FEED; // the default a newcomer gets: demo data and feed on the embedded database
  app = await npmStart(env);
  // The demo data is written at start; examples read the warehouse once the processor has it.
  await eventually(
    async () => {
      const answer = await query(app!.url, '{ streamingStatus { queue { pending } } globalStats { opened } }');
      const data = answer.data as { streamingStatus: { queue: { pending: number } }; globalStats: { opened: number } } | undefined;
      return data && data.globalStats.opened >= 300 && data.streamingStatus.queue.pending < 5;
    },
    { timeoutMs: 60_000, intervalMs: 250, what: 'the demo data in the warehouse' },
  );
}, 120_000);

afterAll(async () => {
  if (app) {
    app.signalGroup('SIGINT');
    await app.exited;
    await noProcessUsing(dataDir).catch(() => undefined);
  }
  killGroup(app);
  for (const pid of processesUsing(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('every documented and GraphiQL example on a fresh npm start', () => {
  it('finds the examples (README blocks, GraphiQL tabs, a subscription among them)', () => {
    expect(examples.filter((e) => e.where.startsWith('README')).length).toBeGreaterThanOrEqual(2);
    expect(examples.filter((e) => e.kind === 'subscription').length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.filter((e) => e.template).map((e) => [e.where, e]))('%s is valid against the schema', (_where, example) => {
    expect(validate(getSchema(), parse(example.text)).map((error) => error.message)).toEqual([]);
  });

  it.each(examples.filter((e) => e.kind !== 'subscription' && !e.template).map((e) => [e.where, e]))('%s returns data', async (_where, example) => {
    const answer = await query(app!.url, example.text, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(answer.errors, example.text).toBeUndefined();
    expect(answer.data).toBeTruthy();
    // Queries: every field has data. A mutation's answer is a count that may well be zero.
    if (example.kind === 'query') {
      for (const [field, value] of Object.entries(answer.data!)) expect(meaningfulLeaves(value), `${field} in\n${example.text}`).toBeGreaterThan(0);
    }
  });

  it.each(examples.filter((e) => e.kind === 'subscription' && !e.template).map((e) => [e.where, e]))(
    '%s delivers an event within seconds',
    async (_where, example) => {
      const client = wsClient(app!.url);
      const events = collect(client, example.text);
      try {
        await eventually(() => events.items.length > 0 || events.errors.length > 0, { timeoutMs: 20_000, what: `an event of\n${example.text}` });
        expect(events.errors).toEqual([]);
        expect(meaningfulLeaves(events.items[0])).toBeGreaterThan(0);
      } finally {
        events.stop();
        await client.dispose();
      }
    },
  );
});

describe('the GraphiQL page', () => {
  it('is small and links its bundle as cacheable, compressed files', async () => {
    const page = await fetch(app!.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html.length).toBeLessThan(50_000);
    const assets = [...html.matchAll(/(?:href|src)="\.(\/graphiql\/[^"]+)"|new URL\("\.(\/graphiql\/[^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    expect(assets.map((a) => a.replace(/\.[0-9a-f]{12}\./, '.')).sort()).toEqual(
      ['/graphiql/editor.worker.js', '/graphiql/graphiql.css', '/graphiql/graphiql.js', '/graphiql/graphql.worker.js', '/graphiql/json.worker.js'],
    );
    const origin = new URL(app!.url).origin;
    let total = 0;
    for (const asset of assets) {
      for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
        const response = await rawGet(`${origin}${asset}`, { 'accept-encoding': encoding });
        expect(response.headers['content-encoding']).toBe(encoding);
        expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(decode(response.body).length).toBeGreaterThan(10_000);
        if (encoding === 'br') total += response.body.length;
        const again = await rawGet(`${origin}${asset}`, { 'if-none-match': String(response.headers.etag) });
        expect(again.status).toBe(304);
      }
    }
    // 8.9 MB inline before; now about 2 MB on the wire, once.
    expect(total).toBeLessThan(3_000_000);
  });
});

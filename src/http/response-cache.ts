// Answers of warehouse queries (facts, dimensions, datamarts, analytics) kept in memory until the
// warehouse changes. The warehouse changes only when a processor commits a batch or the
// datamarts are rebuilt. Each batch the stream hub reads starts a new generation, and so does
// each rebuild's datamart_updated notification; only answers of the current generation (and UTC
// day, for backlog and last-year activity) are served. Following the hub's reads rather than
// fact_processed keeps a cached answer's freshness (the hub's position, freshness.ts) equal to
// the current one: an answer computed between a batch's notification and the hub's read of it
// would otherwise be served with the older position until the next batch. A batch whose
// notification was lost is seen at the hub's next poll. While the LISTEN connection is down,
// a rebuild's notification may be missed, so nothing is served from the cache; a reconnect
// starts a new generation.
// Only queries are cached: a mutation always runs (and checks its token), a subscription
// streams. Keys carry the caller's access as well, so an answer is only ever replayed to a
// caller with the same tokens, and an ETag of one access class confirms nothing for another.
import { createHash, randomBytes } from 'node:crypto';
import { getOperationAST, parse } from 'graphql';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { PgPubSub } from '../streaming/realtime/pubsub.ts';
import type { StreamHub } from '../streaming/realtime/stream-hub.ts';
import { accessOf, presentedTokens } from './access.ts';
import { MAX_TOKENS } from './limits.ts';

/**
 * Fields whose answers are not warehouse reads: base-table notes (changed by writers, not by the
 * processor), the processor's live state, and this server's own state. An operation selecting
 * any of them is never cached.
 */
export const UNCACHED_FIELDS = [
  'Query.note',
  'Query.notes',
  'Fact.note',
  'Query.streamingStatus',
  'Query.alerts',
  'Query.streamCursor',
  'Query.etlIntegrity',
  'Query.deadLetters',
  'Query.serverInfo',
  // This server's samples, and a window that slides with the clock (src/dashboard/).
  'Query.pipelineHistory',
  'Query.rollingRankings',
  // Per owner (the cache keys by admin / subscriber access only) and changed by deliveries.
  'Query.webhooks',
  'Query.webhook',
  'Query.webhookOwners',
] as const;

/**
 * The process, generation and UTC day an answer belongs to. Keys carry them, so an answer
 * computed before a change can never be served after it, nor confirm an old ETag
 * (If-None-Match); the process part keeps an ETag of another instance behind the same load
 * balancer, or of this one before a restart, from ever matching.
 */
export class WarehouseGeneration {
  private readonly instance = randomBytes(6).toString('base64url');
  private generation = 0;
  private day = '';
  private dayEnds = 0;

  constructor(private readonly now: () => number = Date.now) {}

  advance(): void {
    this.generation++;
  }

  prefix(): string {
    const now = this.now();
    if (now >= this.dayEnds) {
      const date = new Date(now);
      this.day = date.toISOString().slice(0, 10);
      this.dayEnds = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
    }
    return `${this.instance}.${this.generation}.${this.day}.`;
  }
}

/**
 * An LRU of answers, bounded by their size as JSON, that holds the current generation only:
 * answers of an older one are dropped at once and late writes of one are refused. Entities are
 * not tracked: a new generation replaces them all.
 */
export class GenerationCache implements Cache {
  private readonly store: LRUCache<string, ExecutionResult>;
  private storedPrefix = '';

  constructor(
    private readonly generation: WarehouseGeneration,
    maxBytes: number,
    private readonly lookups?: Counter<'result'>,
  ) {
    // JSON length counts characters, near enough to bytes for a memory bound; an answer larger
    // than the whole cache is not kept.
    this.store = new LRUCache({ maxSize: maxBytes, sizeCalculation: (answer) => Math.max(1, JSON.stringify(answer).length) });
  }

  get(key: string): ExecutionResult | undefined {
    const found = key.startsWith(this.current()) ? this.store.get(key) : undefined;
    this.lookups?.inc({ result: found ? 'hit' : 'miss' });
    return found;
  }

  set(key: string, answer: ExecutionResult, _entities: Parameters<Cache['set']>[2], ttl: number): void {
    if (ttl > 0 && key.startsWith(this.current())) this.store.set(key, answer);
  }

  invalidate(): void {
    this.store.clear();
  }

  /** Bytes (JSON characters) held now. */
  get size(): number {
    return this.store.calculatedSize;
  }

  private current(): string {
    const prefix = this.generation.prefix();
    if (prefix !== this.storedPrefix) {
      this.store.clear();
      this.storedPrefix = prefix;
    }
    return prefix;
  }
}

export interface ResponseCacheOptions {
  pubsub: PgPubSub;
  /** The hub whose reads of batches start new generations (its position is the answers' freshness). */
  hub: Pick<StreamHub, 'onDatamartBatch'>;
  /** Most bytes of answers (as JSON) held at once. */
  maxBytes: number;
  metrics?: Registry;
  /** The tokens that decide a caller's access. */
  config: Pick<Config, 'ADMIN_TOKEN' | 'SUBSCRIPTION_TOKEN'>;
}

/** Characters of operation texts remembered with their kind (query or not). */
const OPERATION_KINDS_CHARS = 4 * 1024 * 1024;

/** The yoga plugin, and a stop function that lets go of the notifications. */
export function warehouseResponseCache({ pubsub, hub, maxBytes, metrics, config }: ResponseCacheOptions): { plugin: Plugin; stop: () => void } {
  const generation = new WarehouseGeneration();
  const lookups = metrics
    ? new Counter({
        name: 'notes_stream_response_cache_lookups_total',
        help: 'Read-API answers looked up in the response cache, by result (hit, miss).',
        labelNames: ['result'] as const,
        registers: [metrics],
      })
    : undefined;
  const cache = new GenerationCache(generation, maxBytes, lookups);
  if (metrics) {
    new Gauge({
      name: 'notes_stream_response_cache_bytes',
      help: 'Size of the answers held in the response cache (as JSON).',
      registers: [metrics],
      collect() {
        this.set(cache.size);
      },
    });
  }
  const advance = () => generation.advance();
  hub.onDatamartBatch({ batch: advance });
  // Batch 0 is a rebuild's (admin.ts); a batch's own datamart_updated comes with its read.
  const offs = [pubsub.subscribe('datamart_updated', ({ batch }) => batch === 0 && advance()), pubsub.onReconnect(advance)];

  // Per request: its access class (a short tag in its keys) and whether its operation is a query.
  const accessTags = new WeakMap<Request, string>();
  const accessTag = (request: Request) => {
    let tag = accessTags.get(request);
    if (tag === undefined) {
      const access = accessOf(config, presentedTokens({ request }));
      accessTags.set(request, (tag = `${access.admin ? 'a' : 'p'}${access.subscriber ? 's' : 'n'}`));
    }
    return tag;
  };
  const queries = new WeakMap<Request, boolean>();
  const kinds = new LRUCache<string, boolean>({ maxSize: OPERATION_KINDS_CHARS, sizeCalculation: (_kind, key) => key.length });
  const isQuery = (query: string, operationName: string | undefined) => {
    const memo = `${operationName ?? ''}\u0000${query}`;
    let known = kinds.get(memo);
    if (known === undefined) {
      try {
        // As yoga will parse it: a document over the token limit is refused, not read to the end.
        known = getOperationAST(parse(query, { maxTokens: MAX_TOKENS }), operationName)?.operation === 'query';
      } catch {
        known = false; // yoga answers the syntax error
      }
      kinds.set(memo, known);
    }
    return known;
  };
  const classify: Plugin = {
    onParams({ params, request }) {
      queries.set(request, typeof params.query === 'string' && isQuery(params.query, params.operationName ?? undefined));
    },
  };

  const responseCache = useResponseCache({
    cache,
    session: (request) => accessTag(request),
    // HTTP queries only. Queries sent over the WebSocket are executed (the plugin keys its
    // entries by the HTTP request, which they do not have). Before its parameters are read a
    // request is undecided: only an If-None-Match can be answered then, and only queries are stored.
    enabled: (request) =>
      request !== undefined && pubsub.connected && queries.get(request) !== false && etagOfSameAccess(request, accessTag),
    ttlPerSchemaCoordinate: Object.fromEntries(UNCACHED_FIELDS.map((field) => [field, 0])),
    // Keys name their generation; a mutation's result says nothing about which answers it changes.
    invalidateViaMutation: false,
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) =>
      `${generation.prefix()}${sessionId ?? 'p'}.${hashKey(documentString, operationName, variableValues)}`,
  });
  const plugin: Plugin = {
    onPluginInit({ addPlugin }) {
      addPlugin(classify);
      addPlugin(responseCache);
    },
  };
  return { plugin, stop: () => offs.forEach((off) => off()) };
}

/** False when the request's If-None-Match names another access class than its own. */
function etagOfSameAccess(request: Request, accessTag: (request: Request) => string): boolean {
  const etag = request.headers.get('if-none-match');
  if (!etag) return true;
  return etag.split('.')[3] === accessTag(request);
}

function hashKey(document: string, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(`${operationName ?? ''}\u0000${document}\u0000${JSON.stringify(variables ?? {})}`)
    .digest('base64url');
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { Gauge, type Registry } from 'prom-client';
import { AlertEvaluator } from './alerts/evaluator.ts';
import { registerAlertMetrics } from './alerts/metrics.ts';
import type { Config } from './config.ts';
import { dashboardFeeds } from './dashboard/feeds.ts';
import type { Database } from './db/client.ts';
import { ForbiddenError, UnauthorizedError, UserInputError } from './errors.ts';
import { DASHBOARD_PATH, serveDashboard } from './http/dashboard.ts';
import { graphiqlOptions } from './http/graphiql.ts';
import { ASSET_PREFIX, renderGraphiQLPage, serveGraphiqlAsset } from './http/graphiql-assets.ts';
import { readApiLimits } from './http/limits.ts';
import { EXPORT_PREFIX, handleExport } from './http/export.ts';
import { freshnessPlugin, freshnessSource } from './http/freshness.ts';
import { rateLimiter } from './http/rate-limit.ts';
import { readiness, type ReadinessCheck } from './http/readiness.ts';
import { sendMetrics } from './http/send.ts';
import type { Logger } from './log.ts';
import type { GraphQLContext } from './schema/context.ts';
import { sharedStreamingStatus } from './streaming/processor/status.ts';
import type { Realtime } from './streaming/realtime/realtime.ts';
import { SlowConsumerError } from './streaming/realtime/streams.ts';
import { accessOf, clientAddress, presentedTokens, type Access } from './http/access.ts';
import { multiplexedSubscribe, type EnvelopedRoot } from './streaming/realtime/websocket/multiplex.ts';
import { serveWebSocket } from './streaming/realtime/websocket/transport.ts';
import { warehouseResponseCache } from './http/response-cache.ts';
import { getSchema } from './schema/index.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';

export interface ServerDeps {
  config: Config;
  log: Logger;
  database: Database;
  /** Analytics reads; defaults to `database`. */
  readDatabase?: Database;
  metrics: Registry;
  /** Extra readiness checks (listener connections, …) besides database and migrations. */
  readinessChecks?: ReadinessCheck[];
  /** Yoga plugins added by other parts (subscriptions, limits). */
  plugins?: Plugin[];
  /** The event stream and LISTEN connection for subscriptions (absent: subscriptions refused). */
  realtime?: Realtime;
  /** Ping interval of WebSocket connections; one that misses a pong by the next ping is cut (default 10 s). */
  keepAliveMs?: number;
}

export interface RunningServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export function buildServer(deps: ServerDeps) {
  const { config, log, database } = deps;
  const analyticsDb = deps.readDatabase ?? database;
  const recentStreamingStatus = sharedStreamingStatus(database.pool, config);
  const startedAt = new Date();
  // Cached answers need the notifications that say when the warehouse changed.
  const responseCache =
    deps.realtime && config.RESPONSE_CACHE_MB > 0
      ? warehouseResponseCache({
          pubsub: deps.realtime.pubsub,
          hub: deps.realtime.stream,
          maxBytes: config.RESPONSE_CACHE_MB * 1024 * 1024,
          metrics: deps.metrics,
          config,
        })
      : undefined;
  // The alert rules, evaluated here so that GraphQL `alerts` and /metrics show the same states.
  const alerts = new AlertEvaluator({ pool: database.pool, config, log, pubsub: deps.realtime?.pubsub ?? null });
  registerAlertMetrics(deps.metrics, alerts);
  const dashboard = dashboardFeeds({
    alerts,
    database,
    analyticsDb,
    realtime: deps.realtime,
    evaluationSeconds: config.ALERT_EVALUATION_SECONDS,
    log,
  });

  const checks: ReadinessCheck[] = [...readiness.databaseChecks(database), ...(deps.readinessChecks ?? [])];
  const realtime = deps.realtime;
  if (realtime) {
    checks.push({ name: 'pubsub', check: async () => (realtime.pubsub.connected ? null : 'LISTEN connection down; reconnecting') });
    registerSubscriptionGauges(deps.metrics, realtime);
  }

  const limits = readApiLimits(config, log);
  const freshness = freshnessSource(deps.realtime?.stream, database.pool);
  const exports = { schema: getSchema(), db: analyticsDb, config, log, freshness };
  // Webhooks run subscriptions through the same schema and stream hub as WebSocket clients.
  const webhooks = deps.realtime
    ? new WebhookDispatcher({
        pool: database.pool,
        pubsub: deps.realtime.pubsub,
        schema: getSchema(),
        context: () => context({ admin: false, subscriber: true }, [], undefined),
        config,
        log,
        registry: deps.metrics,
        maskError: (error) => withoutHttp(maskError(error, 'Unexpected error.', log)),
      })
    : null;
  const context = (access: Access, tokens: readonly string[], client: string | undefined): GraphQLContext => ({
    db: database,
    analyticsDb,
    recentStreamingStatus,
    config,
    log,
    access,
    tokens,
    clientAddress: client,
    startedAt,
    stream: deps.realtime?.stream ?? null,
    pubsub: deps.realtime?.pubsub ?? null,
    alerts,
    dashboard,
    webhooks,
  });
  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema: getSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    // Larger bodies are answered 413 before they are parsed (Content-Length, or counted as read).
    maxRequestBodySize: config.MAX_REQUEST_BYTES,
    graphiql: graphiqlOptions(),
    renderGraphiQL: renderGraphiQLPage,
    // Liveness: 200 while the process answers at all.
    healthCheckEndpoint: '/healthz',
    plugins: [
      readiness.plugin('/readyz', checks, { log, config }),
      ...limits.plugins,
      // Before the cache, so that cached answers keep the freshness they were computed with.
      freshnessPlugin(freshness),
      ...(responseCache ? [responseCache.plugin] : []),
      ...(deps.plugins ?? []),
    ],
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      // Yoga logs each error it masks; maskError has logged those already, at their level.
      error: (...args) => (args[0] instanceof GraphQLError ? log.debug({ args }, 'yoga') : log.error({ args }, 'yoga')),
    },
    maskedErrors: { maskError: (error, message) => maskError(error, message, log) },
    context: (initial): GraphQLContext => {
      const tokens = presentedTokens(initial);
      return context(accessOf(config, tokens), tokens, clientAddress(initial));
    },
  });

  // Probes and scrapes are not clients of the API: they are never limited.
  const limiter = rateLimiter(config, deps.metrics);
  const unlimited = new Set(['/metrics', '/healthz', '/readyz']);

  const httpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (limiter && !unlimited.has(path) && !limiter.admitRequest(req, res)) return;
    if (path === '/metrics') return void sendMetrics(res, deps.metrics);
    if (path.startsWith(EXPORT_PREFIX)) return void handleExport(exports, req, res);
    if (path.startsWith(ASSET_PREFIX) && serveGraphiqlAsset(req, res, path)) return;
    if (path === `${DASHBOARD_PATH}/`) {
      res.writeHead(301, { location: DASHBOARD_PATH }).end();
      return;
    }
    if (serveDashboard(req, res, path, { graphqlPath: GRAPHQL_PATH, log })) return;
    if (path === '/') {
      res.writeHead(302, { location: GRAPHQL_PATH }).end();
      return;
    }
    void yoga.handle(req, res);
  });

  const webSocket = serveWebSocket(
    httpServer,
    {
      connectionInitWaitTimeout: 5_000,
      // Returning false closes the socket with 4403 Forbidden. (Each subscription checks again.)
      onConnect: (ctx) =>
        accessOf(config, presentedTokens({ connectionParams: ctx.connectionParams, req: ctx.extra.request })).subscriber,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => multiplexedSubscribe(args, (error) => withoutHttp(maskError(error, 'Unexpected error.', log))),
      onSubscribe: async (ctx, id, params) => {
        const verdict = limiter?.takeOperation(ctx.extra.request);
        if (verdict && !verdict.allowed) {
          return [
            new GraphQLError(`rate limit exceeded; retry in ${verdict.retryAfterSeconds} s`, {
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: verdict.retryAfterSeconds },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe, query: params.query, target: { frames: ctx.extra.frames, id } } satisfies EnvelopedRoot,
        };
        // Subscriptions here skip yoga's onSubscribe hooks (multiplexedSubscribe runs them): limits first.
        const refused = limits.check(args);
        if (refused.length > 0) return refused.map(withoutHttp);
        return args;
      },
    },
    {
      path: GRAPHQL_PATH,
      keepAliveMs: deps.keepAliveMs ?? 10_000,
      maxPayload: config.MAX_REQUEST_BYTES,
      log,
      admit: limiter && ((request, socket) => limiter.admitUpgrade(request, socket)),
    },
  );

  async function start(): Promise<RunningServer> {
    await alerts.start();
    dashboard.start();
    await webhooks?.start();
    try {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.PORT, config.HOST, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await webhooks?.stop();
      await dashboard.stop();
      await alerts.stop();
      throw error;
    }
    const port = (httpServer.address() as AddressInfo).port;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    const url = `http://${host}:${port}${GRAPHQL_PATH}`;
    log.info({ url, dashboard: new URL(DASHBOARD_PATH, url).href }, 'GraphQL server listening');
    return { port, url, stop };
  }

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    return (stopping ??= (async () => {
      // First: deliveries stop and their progress is written while the database is still there.
      await webhooks?.stop();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await webSocket.close();
      httpServer.closeIdleConnections();
      // Requests still running (long SSE streams) get a moment, then their sockets are cut.
      const forced = setTimeout(() => httpServer.closeAllConnections(), 1_000);
      await closed;
      clearTimeout(forced);
      await yoga.dispose();
      responseCache?.stop();
      await dashboard.stop();
      await alerts.stop();
    })());
  }

  return { start, stop, yoga, httpServer, alerts, webhooks };
}

/**
 * Shows what the client did wrong; hides everything else (details go to the log). The client's
 * mistakes are logged at debug with their code (a refused token at warn, with the address);
 * error level is kept for the server's own faults.
 */
function maskError(error: unknown, message: string, log: Logger): GraphQLError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const path = error instanceof GraphQLError ? error.path : undefined;
  if (original instanceof UserInputError) {
    log.debug({ code: 'BAD_USER_INPUT', argument: original.argument, path }, `client error: ${original.message}`);
    return new GraphQLError(original.message, {
      extensions: { code: 'BAD_USER_INPUT', argument: original.argument, value: original.value },
    });
  }
  if (original instanceof SlowConsumerError) {
    log.debug({ code: 'SLOW_CONSUMER', path }, original.message);
    return new GraphQLError(original.message, { extensions: { code: 'SLOW_CONSUMER' } });
  }
  if (original instanceof ForbiddenError) {
    const code = original instanceof UnauthorizedError ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    log.warn({ code, client: original.client, path }, `refused: ${original.message}`);
    if (code === 'FORBIDDEN') return new GraphQLError(original.message, { extensions: { code } });
    return new GraphQLError(original.message, {
      extensions: { code, http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
    });
  }
  if (error instanceof GraphQLError && !error.originalError) {
    log.debug({ code: error.extensions.code, path }, `client error: ${error.message}`);
    return error;
  }
  log.error({ err: original, path }, 'internal error while executing an operation');
  return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** The error without its HTTP status and headers, which mean nothing on a WebSocket. */
function withoutHttp(error: GraphQLError): GraphQLError {
  if (!error.extensions.http) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions });
}

function registerSubscriptionGauges(registry: Registry, realtime: Realtime): void {
  new Gauge({
    name: 'notes_stream_subscriptions',
    help: 'Open subscriptions of this API process, by kind (events: noteEvent and factProcessed).',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const counts = realtime.stream.counts();
      this.set({ kind: 'events' }, counts.events);
      this.set({ kind: 'datamart' }, counts.datamart);
    },
  });
  new Gauge({
    name: 'notes_stream_subscriptions_replaying',
    help: 'Event subscriptions catching up from the database (resuming, or too slow for live dispatch).',
    registers: [registry],
    collect() {
      this.set(realtime.stream.counts().replaying);
    },
  });
}

// GET /export/notes.geojson, /export/notes.csv, /export/facts.geojson, /export/facts.csv: the
// notes or facts a filter selects, as a file, beside GraphQL (docs/api.md). The query string
// mirrors the GraphQL arguments (export-params.ts). Rows are read in keyset pages through the
// list resolvers, each page under the analytics statement timeout and written as soon as it is
// read, waiting for the client to drain: memory stays at one page whatever the export's size,
// and no connection or transaction is held between pages. At most `limit` rows (EXPORT_MAX_ROWS
// by default and at most); a cut export says so and where to continue.
//
// Problems found before the first row (bad parameters, a statement timeout on the first page)
// are answered 400 with a GraphQL-shaped error. A failure after the first bytes cannot change
// the status any more: the connection is then cut before the end of the chunked body, so no
// client can take a partial file for a whole one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { UserInputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { factsExportPage, notesExportPage, type ExportPage, type ExportPageArgs } from '../resolvers/exports.ts';
import { QueryTimeoutError } from '../resolvers/read-transaction.ts';
import { csv, FACT_COLUMNS, factItem, geojson, NOTE_COLUMNS, noteItem, type ExportItem, type ExportWriter } from './export-formats.ts';
import { parseExportParams } from './export-params.ts';
import type { Freshness } from './freshness.ts';

export const EXPORT_PREFIX = '/export/';

/** Rows per statement. */
const PAGE_ROWS = 1_000;

interface Route {
  filterType: 'NoteFilter' | 'FactFilter';
  writer: ExportWriter;
  read: (db: Database, args: ExportPageArgs<never>) => Promise<ExportPage<ExportItem>>;
}

const notes = async (db: Database, args: ExportPageArgs<never>) => {
  const page = await notesExportPage(db, args);
  return { ...page, rows: page.rows.map(noteItem) };
};
const facts = async (db: Database, args: ExportPageArgs<never>) => {
  const page = await factsExportPage(db, args);
  return { ...page, rows: page.rows.map(factItem) };
};

const ROUTES: Record<string, Route> = {
  'notes.geojson': { filterType: 'NoteFilter', writer: geojson, read: notes },
  'notes.csv': { filterType: 'NoteFilter', writer: csv(NOTE_COLUMNS), read: notes },
  'facts.geojson': { filterType: 'FactFilter', writer: geojson, read: facts },
  'facts.csv': { filterType: 'FactFilter', writer: csv(FACT_COLUMNS), read: facts },
};

export interface ExportDeps {
  schema: GraphQLSchema;
  /** The lists and analytics database (statement timeout, replica when configured). */
  db: Database;
  config: Pick<Config, 'EXPORT_MAX_ROWS' | 'ANALYTICS_TIMEOUT_MS'>;
  log: Logger;
  freshness: () => Freshness | Promise<Freshness>;
}

/** Answers a request under EXPORT_PREFIX. */
export async function handleExport(deps: ExportDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const name = url.pathname.slice(EXPORT_PREFIX.length);
  const route = ROUTES[name];
  if (!route) {
    const known = Object.keys(ROUTES).map((file) => EXPORT_PREFIX + file).join(', ');
    return sendError(response, 404, `no export at ${url.pathname}; there are ${known}`, 'NOT_FOUND');
  }
  if (request.method !== 'GET') {
    response.setHeader('allow', 'GET');
    return sendError(response, 405, `exports are read with GET, not ${request.method}`, 'METHOD_NOT_ALLOWED');
  }
  let first: ExportPage<ExportItem>;
  let freshness: Freshness;
  let params: ReturnType<typeof parseExportParams>;
  const read = (after: string | null, written: number) =>
    route.read(deps.db, {
      filter: params.filter as never,
      range: params.range,
      after,
      size: Math.min(PAGE_ROWS, params.limit - written),
      timeoutMs: deps.config.ANALYTICS_TIMEOUT_MS,
    });
  try {
    params = parseExportParams(url.searchParams, deps.schema, route.filterType, deps.config.EXPORT_MAX_ROWS);
    freshness = await deps.freshness();
    first = await read(params.after, 0);
  } catch (error) {
    if (error instanceof UserInputError) return sendError(response, 400, error.message, 'BAD_USER_INPUT', { argument: error.argument });
    if (error instanceof QueryTimeoutError) return sendError(response, 400, error.message, 'ANALYTICS_TIMEOUT', { timeoutMs: error.timeoutMs });
    deps.log.error({ err: error, url: request.url }, 'export failed before its first row');
    return sendError(response, 500, 'Unexpected error.', 'INTERNAL_SERVER_ERROR');
  }

  const { writer } = route;
  const day = new Date().toISOString().slice(0, 10);
  response.writeHead(200, {
    'content-type': writer.contentType,
    'content-disposition': `attachment; filename="${name.split('.')[0]}-${day}.${writer.extension}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    trailer: 'Export-Truncated, Export-Next',
  });
  try {
    let page = first;
    let written = 0;
    if (!(await send(response, writer.begin(freshness)))) return;
    for (;;) {
      if (!(await send(response, writer.page(page.rows, written === 0)))) return;
      written += page.rows.length;
      if (!page.hasNextPage || written >= params.limit) break;
      page = await read(page.endCursor, written);
    }
    const truncated = page.hasNextPage;
    const next = truncated && page.endCursor ? nextUrl(url, page.endCursor) : null;
    await send(response, writer.end({ truncated, next }));
    response.addTrailers({ 'Export-Truncated': String(truncated), ...(next ? { 'Export-Next': next } : {}) });
    response.end();
  } catch (error) {
    deps.log.error({ err: error, url: request.url }, 'export failed while streaming; connection cut');
    response.destroy();
  }
}

/** The same export from after `cursor`, as a path and query. */
function nextUrl(url: URL, cursor: string): string {
  const next = new URL(url);
  next.searchParams.set('after', cursor);
  return next.pathname + next.search;
}

/** Writes a chunk and waits for the client to take it; false when the client has gone. */
async function send(response: ServerResponse, chunk: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (chunk === '' || response.write(chunk)) return !response.destroyed;
  return new Promise((resolve) => {
    const done = (drained: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}

function sendError(response: ServerResponse, status: number, message: string, code: string, extensions: Record<string, unknown> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}

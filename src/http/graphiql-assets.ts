// GraphiQL as a small page plus separate asset files. @graphql-yoga/render-graphiql inlines its
// whole bundle (script, styles, three editor workers: 8.9 MB) into the HTML of every load; here
// the page links them instead, under names that carry a hash of their content, so a browser
// keeps them (immutable, a year), and sends them compressed (static-assets.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { css, editorWorkerService, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { hashedAsset, sendAsset, type Compression, type StaticAsset } from './static-assets.ts';

export const ASSET_PREFIX = '/graphiql/';

const JS = 'text/javascript; charset=utf-8';
const sources = {
  'graphiql.js': [js, JS],
  'graphiql.css': [css, 'text/css; charset=utf-8'],
  'editor.worker.js': [editorWorkerService, JS],
  'json.worker.js': [jsonWorker, JS],
  'graphql.worker.js': [graphqlWorker, JS],
} as const;
type AssetName = keyof typeof sources;

// Brotli quality 5: 8.9 MB become 2.2 MB in about 0.3 s (quality 11 saves 10 % more in 25 s).
const LARGE_FILES: Compression = { brotliQuality: 5, gzipLevel: 6 };

let built: { byPath: Map<string, StaticAsset>; urls: Record<AssetName, string> } | undefined;

function assets() {
  if (built) return built;
  const byPath = new Map<string, StaticAsset>();
  const urls = {} as Record<AssetName, string>;
  for (const [name, [text, type]] of Object.entries(sources) as [AssetName, readonly [string, string]][]) {
    const asset = hashedAsset(ASSET_PREFIX, name, text, type, LARGE_FILES);
    byPath.set(asset.path, asset);
    urls[name] = asset.path;
  }
  return (built = { byPath, urls });
}

/** Serves /graphiql/<name>.<hash>.<ext>; false when the path is none of ours. */
export function serveGraphiqlAsset(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const asset = assets().byPath.get(path);
  if (!asset) return false;
  sendAsset(req, res, asset);
  return true;
}

const escapeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The GraphiQL page: yoga's own renderer, with its bundle linked instead of inlined. */
export function renderGraphiQLPage(options?: GraphiQLOptions): string {
  const { urls } = assets();
  // Relative URLs: they also work behind a proxy that serves the API under a path prefix.
  const url = (name: AssetName) => `.${urls[name]}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options?.title ?? 'GraphiQL')}</title>
    ${options?.favicon ? `<link rel="icon" href="${escapeHtml(options.favicon)}" />` : ''}
    <link rel="stylesheet" href="${url('graphiql.css')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <a href="./dashboard" style="position:fixed;right:12px;bottom:8px;z-index:10;padding:2px 8px;border-radius:4px;background:#24412a;color:#fff;font:13px system-ui,sans-serif">Live dashboard</a>
    <script>
      const workers = {
        editorWorkerService: new URL(${escapeJson(url('editor.worker.js'))}, document.baseURI).href,
        json: new URL(${escapeJson(url('json.worker.js'))}, document.baseURI).href,
        graphql: new URL(${escapeJson(url('graphql.worker.js'))}, document.baseURI).href,
      };
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${url('graphiql.js')}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${escapeJson(options ?? {})});
    </script>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

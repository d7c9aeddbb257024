// GET /dashboard: the live dashboard, one page whose script is bundled from npm packages (the
// SDK's browser build, uPlot) and src/dashboard/page/ by esbuild on the first request, and
// whose map is the country outlines of @rapideditor/country-coder (src/dashboard/world-outlines.ts).
// Nothing comes from another host; the page reads the public GraphQL API only (docs/dashboard.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MAP_SCALE, MAP_VIEWBOX, worldSvg } from '../dashboard/world-outlines.ts';
import type { Logger } from '../log.ts';
import { hashedAsset, sendAsset, type StaticAsset } from './static-assets.ts';

export const DASHBOARD_PATH = '/dashboard';
const ASSETS = `${DASHBOARD_PATH}/assets/`;
const ENTRY = fileURLToPath(new URL('../dashboard/page/main.ts', import.meta.url));

interface Built {
  page: StaticAsset;
  byPath: Map<string, StaticAsset>;
}

let building: Promise<Built> | undefined;

/** esbuild's browser bundle of the page (ES modules, minified), its CSS, and the map. */
async function bundle(graphqlPath: string): Promise<Built> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: 'out',
    // Licence comments of the bundled packages (uPlot, graphql-ws) go with the code.
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!;
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  const script = hashedAsset(ASSETS, 'dashboard.js', Buffer.from(js.contents), 'text/javascript; charset=utf-8');
  const style = css && hashedAsset(ASSETS, 'dashboard.css', Buffer.from(css.contents), 'text/css; charset=utf-8');
  const map = hashedAsset(ASSETS, 'world.svg', worldSvg(), 'image/svg+xml');
  const html = renderPage({ script: script.path, style: style?.path, map: map.path, graphqlPath });
  const page = hashedAsset(DASHBOARD_PATH, '.html', html, 'text/html; charset=utf-8');
  const byPath = new Map([script, map, ...(style ? [style] : [])].map((asset) => [asset.path, asset]));
  return { page, byPath };
}

/** Serves /dashboard and its assets; false when the path is none of ours. */
export function serveDashboard(req: IncomingMessage, res: ServerResponse, path: string, options: { graphqlPath: string; log: Logger }): boolean {
  if (path !== DASHBOARD_PATH && path !== `${DASHBOARD_PATH}/` && !path.startsWith(ASSETS)) return false;
  building ??= bundle(options.graphqlPath).catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  building.then(
    (built) => {
      if (path.startsWith(ASSETS)) {
        const asset = built.byPath.get(path);
        if (asset) sendAsset(req, res, asset);
        else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      } else {
        // The page names the current assets: revalidated each time (a cheap 304), never stale.
        sendAsset(req, res, built.page, 'no-cache');
      }
    },
    (error: unknown) => {
      options.log.error({ err: error }, 'the dashboard could not be bundled');
      res.writeHead(500, { 'content-type': 'text/plain' }).end('the dashboard could not be bundled; see the server log\n');
    },
  );
  return true;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function renderPage(urls: { script: string; style?: string; map: string; graphqlPath: string }): string {
  // Relative URLs (./dashboard/…): the page also works behind a proxy that adds a path prefix.
  const rel = (path: string) => escapeHtml(`.${path}`);
  const { x, y, width, height } = MAP_VIEWBOX;
  const config = { graphql: `.${urls.graphqlPath}`, mapScale: MAP_SCALE };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>notes-stream live dashboard</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%237ebc6f'/%3E%3C/svg%3E">
${urls.style ? `<link rel="stylesheet" href="${rel(urls.style)}">` : ''}
<script type="module" src="${rel(urls.script)}"></script>
</head>
<body>
<a class="skip" href="#ticker-heading">Skip to the live notes</a>
<header>
  <h1>notes-stream <span>live</span></h1>
  <p id="connection" role="status" aria-live="polite" data-state="connecting">Connecting…</p>
  <nav><a href="${rel(urls.graphqlPath)}">GraphiQL</a> · <a href="https://www.openstreetmap.org/">OpenStreetMap</a></nav>
</header>
<main id="dashboard" data-config="${escapeHtml(JSON.stringify(config))}">
  <section class="panel ticker" aria-labelledby="ticker-heading">
    <h2 id="ticker-heading">Note events <small>(UTC)</small></h2>
    <ol id="ticker" aria-live="polite" aria-relevant="additions"></ol>
    <p class="empty" id="ticker-empty">Waiting for the next note action…</p>
  </section>
  <section class="panel map" aria-labelledby="map-heading">
    <h2 id="map-heading">Where</h2>
    <svg id="map" viewBox="${x} ${y} ${width} ${height}" role="img" aria-label="Map of recent note events: none yet">
      <image href="${rel(urls.map)}" x="${x}" y="${y}" width="${width}" height="${height}"/>
      <g id="map-dots"></g>
    </svg>
  </section>
  <section class="panel rankings" aria-labelledby="rankings-heading">
    <h2 id="rankings-heading">Most active</h2>
    <fieldset class="window"><legend>Window</legend>
      <label><input type="radio" name="window" value="LAST_10_MINUTES" checked> last 10 minutes</label>
      <label><input type="radio" name="window" value="LAST_HOUR"> last hour</label>
    </fieldset>
    <p id="rankings-total"></p>
    <div id="rankings" class="rank-grid"></div>
  </section>
  <section class="panel health" aria-labelledby="health-heading">
    <h2 id="health-heading">Pipeline health</h2>
    <div id="health" class="charts"></div>
    <details><summary>All alert rules</summary><ul id="alerts"></ul></details>
  </section>
  <section class="panel activity" aria-labelledby="activity-heading">
    <h2 id="activity-heading">Activity</h2>
    <form id="scope">
      <label for="scope-kind">Of</label>
      <select id="scope-kind"><option value="world">the world</option><option value="country">a country (code)</option><option value="user">a user (name)</option></select>
      <label for="scope-value" class="visually-hidden">Country code or username</label>
      <input id="scope-value" placeholder="DE or a username" size="14">
      <button type="submit">Show</button>
      <span id="scope-status" role="status"></span>
    </form>
    <h3 id="calendar-heading">Actions per day, last 53 weeks</h3>
    <div id="calendar"></div>
    <h3 id="hours-heading">Actions per hour of the week (UTC)</h3>
    <div id="hours"></div>
  </section>
</main>
</body>
</html>
`;
}

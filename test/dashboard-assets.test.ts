// The dashboard page as the server sends it: one HTML page, its bundle (the SDK package's
// browser build, uPlot, src/dashboard/page), its stylesheet and the offline world map; all
// from this server, cacheable, compressed, and within the size budget of docs/dashboard.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startTestServer } from './helpers/server.ts';

/** The page's budget: everything a first visit downloads, uncompressed and as sent (brotli). */
const BUDGET_BYTES = 250_000;
const BUDGET_COMPRESSED_BYTES = 70_000;

const testDb = useTestDatabase();
let server: RunningServer;
let origin: string;

beforeAll(async () => {
  server = await startTestServer(testDb);
  origin = new URL(server.url).origin;
});

afterAll(async () => {
  await server.stop();
});

async function pageAssets(): Promise<{ html: string; assets: string[] }> {
  const response = await fetch(`${origin}/dashboard`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  const assets = [...html.matchAll(/(?:src|href)="\.(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  return { html, assets };
}

describe('the dashboard page', () => {
  it('links a script, a stylesheet and a map, all on this server under hashed names', async () => {
    const { html, assets } = await pageAssets();
    expect(assets.map((a) => a.replace(/\.[0-9a-f]{12}\./, '.*.')).sort()).toEqual([
      '/dashboard/assets/dashboard.*.css',
      '/dashboard/assets/dashboard.*.js',
      '/dashboard/assets/world.*.svg',
    ]);
    // Links to other hosts are only those a person follows (openstreetmap.org), never loaded.
    const external = [...html.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1]);
    expect(external).toEqual(['https://www.openstreetmap.org/']);
    for (const path of assets) {
      const response = await fetch(origin + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const again = await fetch(origin + path, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    const missing = await fetch(`${origin}/dashboard/assets/dashboard.000000000000.js`);
    expect(missing.status).toBe(404);
  });

  it(`stays under ${BUDGET_BYTES / 1000} kB, and ${BUDGET_COMPRESSED_BYTES / 1000} kB as sent with brotli`, async () => {
    const { html, assets } = await pageAssets();
    let raw = Buffer.byteLength(html);
    let sent = raw;
    const sizes: Record<string, [number, number]> = {};
    for (const path of assets) {
      const plain = Buffer.from(await (await fetch(origin + path, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
      // fetch() decodes brotli itself; the header tells the size on the wire.
      const compressed = await fetch(origin + path, { headers: { 'accept-encoding': 'br' } });
      expect(compressed.headers.get('content-encoding')).toBe('br');
      const wire = Number(compressed.headers.get('content-length'));
      await compressed.arrayBuffer();
      sizes[path.replace(/\.[0-9a-f]{12}\./, '.')] = [plain.length, wire];
      raw += plain.length;
      sent += wire;
    }
    console.info('dashboard sizes (bytes, raw and brotli):', sizes, { raw, sent });
    expect(raw).toBeLessThan(BUDGET_BYTES);
    expect(sent).toBeLessThan(BUDGET_COMPRESSED_BYTES);
  });

  it('redirects /dashboard/ to /dashboard, whose relative links need no trailing slash', async () => {
    const response = await fetch(`${origin}/dashboard/`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/dashboard');
  });

  it('is linked from GraphiQL', async () => {
    const graphiql = await (await fetch(server.url, { headers: { accept: 'text/html' } })).text();
    expect(graphiql).toMatch(/<a href="\.\/dashboard"[^>]*>Live dashboard<\/a>/);
  });

  it('imports the SDK by its package name (the browser build), never sdk/ sources by path', () => {
    const folder = join(import.meta.dirname, '..', 'src', 'dashboard', 'page');
    const imports = readdirSync(folder)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!));
    expect(imports).toContain('@notes-stream/sdk');
    expect(imports.filter((i) => i.includes('sdk/'))).toEqual([]);
  });
});

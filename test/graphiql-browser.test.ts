// A real browser opens GraphiQL, runs the first example tab and sees data in the result pane,
// without asking any host but the test server for anything.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { loadNotes } from './helpers/read-api.ts';
import { startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-artifacts/graphiql-browser.png';

const testDb = useTestDatabase();
let server: RunningServer;
let context: BrowserContext | undefined;
let profile: string;

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  server = await startTestServer(testDb);
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await server.stop();
});

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in headless Chromium', () => {
  it('runs an example query and shows its data, with no request to any other host', async () => {
    profile = await mkdtemp(join(tmpdir(), 'notes-stream-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1400, height: 900 },
    });
    const origin = new URL(server.url).origin;
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url, { waitUntil: 'load' });

    // The first tab is the global-stats example; run it with GraphiQL's own button.
    await page.locator('.graphiql-execute-button').click({ timeout: 15_000 });
    const result = await eventually(
      async () => {
        const text = (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
        return /"globalStats": \{/.test(text) && /"opened": 12,/.test(text) ? text : undefined;
      },
      { timeoutMs: 15_000, what: 'the global stats in the result pane' },
    );
    expect(result).not.toMatch(/"errors"/);

    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(elsewhere).toEqual([]);
  });
});

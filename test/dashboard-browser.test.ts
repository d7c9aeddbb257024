// The live dashboard in headless Chromium (issues 24 and 27): the page, bundled with the SDK
// package's browser build, shows note actions inserted through the normal ingest path (base
// tables → outbox → processor → stream) in its ticker and the server's rolling rankings within
// seconds; across a server restart it says it is disconnected, comes back, and resumes the
// ticker from its last cursor with no event lost or repeated; it asks no other host for
// anything and logs no error. With UPDATE_DASHBOARD_SCREENSHOT=1 it also writes docs/dashboard.png.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type FixtureNote } from './helpers/notes.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-artifacts/dashboard.png';
const ENV = { ALERT_EVALUATION_SECONDS: '1' };

const testDb = useTestDatabase();
let server: RunningServer;
let processor: Processor;
let port: number;
let context: BrowserContext | undefined;
let profile: string | undefined;
let page: Page;
const elsewhere: string[] = [];
const consoleErrors: { text: string; at: number }[] = [];
const pageErrors: string[] = [];
let restartWindow: [number, number] = [0, 0];
/** The test servers' origins: the only ones the page may ask anything of. */
const allowedOrigins = new Set<string>();

const now = (secondsAgo = 0) => new Date(Date.now() - secondsAgo * 1000).toISOString();
const PLACES = {
  lisbon: { lat: 38.72, lon: -9.14 },
  berlin: { lat: 52.52, lon: 13.4 },
  tokyo: { lat: 35.68, lon: 139.69 },
  lima: { lat: -12.05, lon: -77.04 },
  nairobi: { lat: -1.29, lon: 36.82 },
};

let nextNote = 7_000_001;
function note(place: keyof typeof PLACES, uid: number, user: string, text: string, more: FixtureNote['comments'] = []): FixtureNote {
  return { id: nextNote++, ...PLACES[place], comments: [{ action: 'opened', at: now(1), uid, user, text }, ...more] };
}

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true, env: ENV });
  port = Number(new URL(server.url).port);
  // Some activity of the last hour, so the panels have something to show from the start.
  await insertNotes(testDb.database.pool, [
    note('berlin', 501, 'mapper_berlin', 'Bench missing near the park #mapathon via StreetComplete 57.1'),
    note('tokyo', 502, 'tokyo_surveyor', 'Shop has closed #survey'),
    note('lima', 503, 'lima_notes', 'New crossing here #OsmAnd/4.6.10', [{ action: 'closed', at: now(), uid: 501, user: 'mapper_berlin', text: 'Added, thanks' }]),
  ]);
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await server.stop();
  await processor.stop();
});

async function openDashboard(): Promise<Page> {
  profile = await mkdtemp(join(tmpdir(), 'notes-stream-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
  });
  const origin = `http://127.0.0.1:${port}`;
  allowedOrigins.add(origin);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if ([...allowedOrigins].some((allowed) => url.startsWith(`${allowed}/`))) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const opened = context.pages()[0] ?? (await context.newPage());
  opened.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({ text: message.text(), at: Date.now() });
  });
  opened.on('pageerror', (error) => pageErrors.push(String(error)));
  await opened.goto(`${origin}/dashboard`, { waitUntil: 'load' });
  return opened;
}

const tickerKeys = () => page.locator('#ticker li').evaluateAll((items) => items.map((li) => li.getAttribute('data-key')!));
const connectionState = () => page.locator('#connection').getAttribute('data-state');

describe.skipIf(!existsSync(CHROMIUM))('the live dashboard in headless Chromium', () => {
  it('shows inserted note actions in the ticker and the rolling rankings within seconds', async () => {
    page = await openDashboard();
    await eventually(async () => (await connectionState()) === 'connected', { timeoutMs: 20_000, what: 'the page to connect' });
    // The rankings of the last 10 minutes already count the notes inserted before the page opened.
    await eventually(async () => (await page.locator('#ranking-users').innerText()).includes('mapper_berlin'), {
      timeoutMs: 15_000,
      what: 'the first rankings',
    });

    const live = [
      note('lisbon', 601, 'lisboa_mapper', 'Footpath blocked by works #cleanup #lisbon'),
      note('lisbon', 601, 'lisboa_mapper', 'Cafe renamed #cleanup via StreetComplete 58.0'),
      note('nairobi', 602, 'nairobi_notes', 'Road surface is gravel'),
    ];
    await insertNotes(testDb.database.pool, live);
    const expected = live.map((n) => `${n.id}:1`);
    await eventually(async () => (await tickerKeys()).filter((k) => expected.includes(k)).length === 3, {
      timeoutMs: 10_000,
      what: 'the three actions in the ticker',
    });
    const first = page.locator(`#ticker li[data-key="${live[0]!.id}:1"]`);
    const text = await first.innerText();
    expect(text).toContain('opened');
    expect(text).toContain('PT');
    expect(text).toContain('lisboa_mapper');
    expect(text).toContain('Footpath blocked by works');
    expect(await first.locator('a').getAttribute('href')).toBe(`https://www.openstreetmap.org/note/${live[0]!.id}`);

    await eventually(
      async () => {
        const countries = await page.locator('#ranking-countries').innerText();
        const users = await page.locator('#ranking-users').innerText();
        const hashtags = await page.locator('#ranking-hashtags').innerText();
        return countries.includes('Portugal') && users.includes('lisboa_mapper') && hashtags.includes('#cleanup');
      },
      { timeoutMs: 10_000, what: 'Portugal, lisboa_mapper and #cleanup in the rankings' },
    );
    const cleanup = await page.locator('#ranking-hashtags tr[data-key="cleanup"] td.number').innerText();
    expect(cleanup).toBe('2');
    // The last hour's window shows the same actions (all are minutes old).
    await page.locator('input[value="LAST_HOUR"]').check();
    expect(await page.locator('#rankings-total').innerText()).toMatch(/in the last hour/);
    await page.locator('input[value="LAST_10_MINUTES"]').check();

    // The map has a dot per event with a position, and says so in words.
    await eventually(async () => (await page.locator('#map-dots circle').count()) >= 3, { what: 'dots on the map' });
    expect(await page.locator('#map').getAttribute('aria-label')).toMatch(/most recent note events; most in PT 2/);
    // Health charts come from the server's history at once, with words for screen readers.
    await eventually(async () => /backlog|waiting now \d/.test((await page.locator('#chart-backlog .chart').getAttribute('aria-label')) ?? ''), {
      timeoutMs: 10_000,
      what: 'the backlog chart',
    });
    expect(await page.locator('#health .chart-card').count()).toBe(6);
    expect(await page.locator('#chart-lag .alert-badge').innerText()).toBe('ok');
    // The calendar heatmap: 371 days; the hours of the week: 168.
    await eventually(async () => (await page.locator('#calendar rect').count()) === 371, { what: 'the calendar heatmap' });
    expect(await page.locator('#hours rect').count()).toBe(168);
    expect(await page.locator('#calendar svg').getAttribute('aria-label')).toMatch(/Actions per day of the world over 371 days: \d+ in all/);

    // A country's heatmaps, chosen with the keyboard.
    await page.locator('#scope-kind').focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('#scope-value').fill('PT');
    await page.locator('#scope-value').press('Enter');
    await eventually(async () => /of Portugal/.test((await page.locator('#calendar svg').getAttribute('aria-label')) ?? ''), {
      what: "Portugal's heatmaps",
    });
    expect(await page.locator('#calendar svg').getAttribute('aria-label')).toMatch(/: 2 in all/);

    // A few more actions around the world, so that the screenshot shows a busy minute.
    const more = (['berlin', 'tokyo', 'lima', 'nairobi', 'lisbon', 'berlin'] as const).map((place, i) =>
      note(place, 610 + (i % 3), ['ana_maps', 'bo_survey', 'kiri'][i % 3]!, ['Hydrant moved #mapathon', 'Opening hours changed', 'Path is private #survey'][i % 3]!),
    );
    await insertNotes(testDb.database.pool, more);
    await eventually(async () => (await tickerKeys()).length >= 9, { what: 'the further actions in the ticker' });
    await page.locator('#scope-kind').selectOption('world');
    await page.locator('#scope-value').fill('');
    await page.locator('#scope button').click();
    await eventually(async () => /of the world/.test((await page.locator('#calendar svg').getAttribute('aria-label')) ?? ''), { what: 'the world heatmaps again' });
    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.UPDATE_DASHBOARD_SCREENSHOT === '1') await copyFile(SCREENSHOT, 'docs/dashboard.png');
  });

  it('says when the server is gone, recovers after its restart and resumes the ticker without loss or duplicate', async () => {
    const before = await tickerKeys();
    // The count to add to: once the earlier actions are processed, what the server counts and the page shows.
    await waitForDrained(testDb.database.pool);
    const { data } = await graphql<{ rollingRankings: { actions: number } }>(server.url, '{ rollingRankings(window: LAST_10_MINUTES) { actions } }');
    const actionsBefore = data!.rollingRankings.actions;
    await eventually(async () => (await page.locator('#rankings-total').innerText()).startsWith(`${actionsBefore} actions`), {
      timeoutMs: 10_000,
      what: 'the rankings to count every earlier action',
    });
    restartWindow = [Date.now(), Infinity];
    await server.stop();
    await eventually(async () => (await connectionState()) === 'disconnected', { timeoutMs: 10_000, what: 'the page to say it is disconnected' });
    expect(await page.locator('#connection').innerText()).toMatch(/Disconnected/);

    // Written while no server runs: the processor still turns it into facts and stream events.
    const whileDown = note('tokyo', 701, 'written_while_down', 'Stairs missing at the station');
    await insertNotes(testDb.database.pool, [whileDown]);

    server = await startTestServer(testDb, { realtime: true, env: { ...ENV, PORT: String(port) } });
    await eventually(async () => (await connectionState()) === 'connected', { timeoutMs: 30_000, what: 'the page to reconnect' });
    const afterRestart = note('berlin', 702, 'after_restart', 'Traffic light is new');
    await insertNotes(testDb.database.pool, [afterRestart]);
    await eventually(async () => (await tickerKeys()).includes(`${afterRestart.id}:1`), { timeoutMs: 15_000, what: 'the event after the restart' });
    restartWindow[1] = Date.now();

    const keys = await tickerKeys();
    // Newest first: the event after the restart, the one written while down, then what was there.
    expect(keys.slice(0, 2)).toEqual([`${afterRestart.id}:1`, `${whileDown.id}:1`]);
    expect(keys.slice(2, 2 + before.length)).toEqual(before);
    expect(new Set(keys).size).toBe(keys.length);
    // The rankings came back with the new server and count the two new actions.
    await eventually(async () => (await page.locator('#rankings-total').innerText()).startsWith(`${actionsBefore + 2} actions`), {
      timeoutMs: 10_000,
      what: 'the rankings after the restart',
    });
  });

  it('passes the token of #token=… to a server with SUBSCRIPTION_TOKEN, and says it was refused without it', async () => {
    const guarded = await startTestServer(testDb, { realtime: true, env: { ...ENV, SUBSCRIPTION_TOKEN: 'dashboard-secret-token' } });
    const origin = new URL(guarded.url).origin;
    allowedOrigins.add(origin);
    const other = await context!.newPage();
    try {
      await other.goto(`${origin}/dashboard#token=dashboard-secret-token`, { waitUntil: 'load' });
      await eventually(async () => (await other.locator('#connection').getAttribute('data-state')) === 'connected', { what: 'the page with the token to connect' });
      await eventually(async () => (await other.locator('#rankings-total').innerText()).includes('actions'), { what: 'rankings with the token' });
      await other.goto(`${origin}/dashboard`, { waitUntil: 'load' });
      await eventually(async () => /Refused/.test(await other.locator('#connection').innerText()), { what: 'the page without the token to say it was refused' });
    } finally {
      await other.close();
      await guarded.stop();
    }
  });

  it('asked no other host for anything and logged no error', () => {
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
    // While the server is down, Chromium itself reports each refused WebSocket connection.
    const refusedWhileDown = (e: { text: string; at: number }) =>
      e.at >= restartWindow[0] && e.at <= restartWindow[1] && /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(e.text);
    expect(consoleErrors.filter((e) => !refusedWhileDown(e)).map((e) => e.text)).toEqual([]);
  });
});


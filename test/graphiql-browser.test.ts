// A real browser opens GraphiQL, runs the first example tab and sees data in the result pane,
// without asking any host but the test server for anything; and its own WebSocket reads the
// subscription frames the server writes itself (src/streaming/realtime/websocket/frame-batching.ts).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, streamOrder } from './helpers/notes.ts';
import { startProcessor } from './helpers/processor.ts';
import { loadNotes } from './helpers/read-api.ts';
import { startTestServer } from './helpers/server.ts';
import { eventually } from './helpers/wait.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-artifacts/graphiql-browser.png';

const testDb = useTestDatabase();
let server: RunningServer;
let processor: Processor;
let context: BrowserContext | undefined;
let profile: string;

beforeAll(async () => {
  await loadNotes(testDb, FIXTURE_NOTES);
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { realtime: true });
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await server.stop();
  await processor.stop();
});

/** A page of headless Chromium that may ask the test server, and nothing else, for anything. */
async function openPage(elsewhere: string[]) {
  profile = await mkdtemp(join(tmpdir(), 'notes-stream-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport: { width: 1400, height: 900 },
  });
  const origin = new URL(server.url).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  return context.pages()[0] ?? (await context.newPage());
}

describe.skipIf(!existsSync(CHROMIUM))('GraphiQL in headless Chromium', () => {
  it('runs an example query and shows its data, with no request to any other host', async () => {
    const elsewhere: string[] = [];
    const page = await openPage(elsewhere);
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

  it('runs the Live tab: a subscription whose events appear in the result pane', async () => {
    const page = context?.pages()[0] ?? (await openPage([]));
    await page.goto(server.url, { waitUntil: 'load' });
    // The tabs can be dragged to reorder them, which swallows a pointer click: send the click alone.
    await page.locator('.graphiql-tab-button', { hasText: 'LiveNoteEvents' }).dispatchEvent('click', undefined, { timeout: 15_000 });
    await page.locator('.graphiql-tab-active', { hasText: 'LiveNoteEvents' }).waitFor({ timeout: 15_000 });
    await page.locator('.graphiql-execute-button').click();
    const realtime = (server as RunningServer & { realtime: { stream: { liveSubscribers: number } } }).realtime;
    await eventually(() => realtime.stream.liveSubscribers >= 1, { what: 'the Live tab to subscribe' });
    const lisbon = { id: 990_101, lat: 38.72, lon: -9.14, comments: [{ action: 'opened' as const, at: '2025-05-01T09:00:00Z', text: 'seen live in GraphiQL' }] };
    await insertNotes(testDb.database.pool, [lisbon]);
    const shown = await eventually(
      async () => {
        const text = (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
        return text.includes('seen live in GraphiQL') ? text : undefined;
      },
      { timeoutMs: 15_000, what: 'the live event in the result pane' },
    );
    expect(shown).toContain('"noteId": 990101');
    await page.locator('.graphiql-execute-button').click(); // stops the subscription
    await eventually(() => realtime.stream.liveSubscribers === 0, { what: 'the Live tab to unsubscribe' });
  });

  it("reads the server's subscription frames with the browser's own WebSocket, whatever their length", async () => {
    const page = context?.pages()[0] ?? (await openPage([]));
    // graphql-transport-ws by hand in the page: two identical operations (their results are
    // shared) and texts whose frames need 7-, 16- and 64-bit payload lengths.
    await page.evaluate(async (url) => {
      const frames: { id?: string; type: string; payload?: unknown }[] = [];
      (window as unknown as { frames_: typeof frames }).frames_ = frames;
      const socket = new WebSocket(url, 'graphql-transport-ws');
      // Subscribing before the acknowledgement would close the socket (4401).
      const acknowledged = new Promise((resolve) => {
        socket.onmessage = (message) => {
          const frame = JSON.parse(message.data as string) as (typeof frames)[number];
          frames.push(frame);
          if (frame.type === 'connection_ack') resolve(frame);
        };
      });
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await acknowledged;
      const query = 'subscription { noteEvent(filter: { countries: ["JP"] }) { noteId sequenceAction text } }';
      for (const id of ['a', 'b']) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    }, server.url.replace(/^http/, 'ws'));
    const realtime = (server as RunningServer & { realtime: { stream: { liveSubscribers: number } } }).realtime;
    await eventually(() => realtime.stream.liveSubscribers >= 2, { what: 'the page to subscribe' });

    const texts = ['short', 'ü'.repeat(200), 'long '.repeat(14_000)];
    const tokyo = { id: 990_001, lat: 35.68, lon: 139.69, comments: texts.map((text, i) => ({ action: i === 0 ? 'opened' as const : 'commented' as const, at: `2025-05-0${i + 1}T09:00:00Z`, text })) };
    await insertNotes(testDb.database.pool, [tokyo]);
    const frames = await eventually(
      async () => {
        const all = await page.evaluate(() => (window as unknown as { frames_: { id?: string; type: string; payload?: unknown }[] }).frames_);
        return all.filter((f) => f.type === 'next').length === 6 ? all : undefined;
      },
      { timeoutMs: 15_000, what: 'six next frames in the page' },
    );
    // In stream order (a note's actions can be reordered only by a failed and retried event).
    const expected = (await streamOrder(testDb.database.pool, [tokyo])).map(([noteId, sequenceAction]) => ({
      data: { noteEvent: { noteId, sequenceAction, text: texts[sequenceAction - 1] } },
    }));
    expect(expected).toHaveLength(3);
    for (const id of ['a', 'b']) {
      expect(frames.filter((f) => f.id === id && f.type === 'next').map((f) => f.payload)).toEqual(expected);
    }
    expect(frames.filter((f) => f.type === 'error')).toEqual([]);
  });
});

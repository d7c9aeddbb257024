// The ingestion commands as users run them (node --import tsx src/cli.ts …): exit codes, the
// summary, and for bad input a message naming file, line, column and problem, with the
// database left as it was.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDump } from '../src/ingest/import-dump.ts';
import { readPollHealth } from '../src/ingest/poll-health.ts';
import { FakeApi } from './fixtures/ingest/api-server.ts';
import { snapshot, type Snapshot } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase();
const SAMPLE = fileURLToPath(new URL('./fixtures/ingest/planet-sample.osn.xml', import.meta.url));
const sampleXml = readFileSync(SAMPLE, 'utf8');
const work = mkdtempSync(join(tmpdir(), 'notes-stream-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: testDb.url, LOG_LEVEL: 'error', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function variant(name: string, xml: string): string {
  const file = join(work, name);
  writeFileSync(file, xml);
  return file;
}

describe('import command', () => {
  const badInputs: [string, string, RegExp][] = [
    ['truncated.osn.xml', sampleXml.slice(0, sampleXml.indexOf('<note id="104"') + 120), /:\d+:\d+: the input ends early \(truncated\?\): unclosed tag: \w+/],
    ['no-id.osn.xml', sampleXml.replace('<note id="103" ', '<note '), /:\d+:\d+: note id is missing/],
    ['bad-action.osn.xml', sampleXml.replace('action="commented" timestamp="2024-01-14T06:00:00Z"', 'action="edited" timestamp="2024-01-14T06:00:00Z"'), /:\d+:\d+: note 103: unknown action "edited"/],
    ['bad-time.osn.xml', sampleXml.replace('timestamp="2024-01-17T03:00:00Z"', 'timestamp="17/01/2024 03:00"'), /:\d+:\d+: note 104: comment timestamp "17\/01\/2024 03:00" is not an ISO 8601 UTC timestamp/],
    ['not-xml.osn.xml', 'note_id,lat,lon\n1,2,3\n', /:\d+:\d+: not an XML document: text data outside of root node/],
  ];
  let stored: Snapshot;
  /** The bad inputs run concurrently (each CLI start costs seconds), all after the good import. */
  let badRuns: Promise<Run[]>;

  beforeAll(async () => {
    const run = await cli(['import', SAMPLE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^imported .*planet-sample\.osn\.xml: 6 notes stored \(6 new, 0 updated\), 13 new comments of 13; .* bulk mode off\n$/);
    stored = await snapshot(testDb.database.pool);
    expect(stored.comments).toHaveLength(13);
    badRuns = Promise.all(badInputs.map(([name, xml]) => cli(['import', variant(name, xml)])));
  });

  it.each(badInputs.map((input, i) => [...input, i] as const))(
    'rejects %s naming the file, line and problem, and changes nothing',
    async (name, _xml, problem, i) => {
      const run = (await badRuns)[i]!;
      expect(run.code).toBe(1);
      const line = run.stderr.trim();
      expect(line.startsWith(`notes-stream import: ${join(work, name)}:`)).toBe(true);
      expect(line).toMatch(problem);
      expect(run.stdout).toMatch(/nothing was stored: the database is as before/);
      expect(await snapshot(testDb.database.pool)).toEqual(stored);
    },
  );

  it('keeps the batches before the error of a long import and says where it stopped', async () => {
    await badRuns;
    const xml = sampleXml
      .replaceAll('<note id="10', '<note id="30')
      .replace('</osm-notes>', '<note id="308" lat="1" lon="1" created_at="2024-13-01T00:00:00Z"></note>\n</osm-notes>');
    const [run, missing] = await Promise.all([
      cli(['import', variant('long.osn.xml', xml), '--batch-notes', '2', '--connections', '1']),
      cli(['import', join(work, 'missing.osn.xml')]),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/long\.osn\.xml:\d+:\d+: note 308: created_at "2024-13-01T00:00:00Z" is not a valid date and time/);
    expect(run.stdout).toMatch(/^stopped importing .*: 6 notes stored \(6 new, 0 updated\)/);
    expect(run.stdout).toMatch(/every note up to note 306 \(line \d+\) is stored/);
    const { notes } = await snapshot(testDb.database.pool);
    expect(notes.filter((n) => n.note_id >= 300).map((n) => n.note_id)).toEqual([301, 302, 303, 304, 305, 306]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.osn\.xml/);
  });
});

describe('poll and generate commands', () => {
  it('poll --once stores an answer from OSM_API_URL', async () => {
    const api = await FakeApi.start();
    try {
      api.queue = [{ body: readFileSync(new URL('./fixtures/ingest/api-page-1.xml', import.meta.url), 'utf8') }];
      const run = await cli(['poll', '--once', '--since', '2024-01-01T00:00:00Z'], { OSM_API_URL: api.url });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/polled .*: 2 notes \(2 new, 0 updated\), 4 new comments; next from 2024-03-03T08:00:00Z/);
      // The outcome is recorded for /metrics and the alert rules; a one-off poll promises no next one.
      expect(await readPollHealth(testDb.database.pool)).toMatchObject({ totals: { ok: 1 }, nextPollAt: null, recent: [[expect.any(Number), 'ok']] });

      api.queue = [{ status: 503, body: 'down' }];
      const failed = await cli(['poll', '--once'], { OSM_API_URL: api.url });
      expect(failed.code).toBe(1);
      expect((await readPollHealth(testDb.database.pool))?.totals).toEqual({ ok: 1, server_error: 1 });
    } finally {
      await api.close();
    }
  });

  it('generate --dump writes a dump that import reads', async () => {
    const file = join(work, 'generated.osn.xml');
    const run = await cli(['generate', '--dump', file, '--comments', '50', '--seed', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wrote .*generated\.osn\.xml: \d+ notes, 50 comments/);
    expect(await importDump({ pool: testDb.database.pool, file })).toMatchObject({ complete: true, commentsInserted: 50 });
  });
});

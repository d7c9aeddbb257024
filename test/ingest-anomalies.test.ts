// What a dump holds that cannot be stored as it is, stored as well as it can be and reported:
// comments longer than MAX_COMMENT_LENGTH (cut, characters counted), invalid UTF-8 (replaced
// by U+FFFD, counted) and a note id that appears twice in one file (merged, counted).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importDump } from '../src/ingest/import-dump.ts';
import { formatSummary } from '../src/ingest/import-report.ts';
import { clearBaseTables } from './fixtures/ingest/base-tables.ts';
import { useTestDatabase } from './helpers/database.ts';

const testDb = useTestDatabase();
const work = mkdtempSync(join(tmpdir(), 'notes-stream-anomalies-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeEach(() => clearBaseTables(testDb.database.pool));

const note = (id: number, comments: string[]) =>
  `<note id="${id}" lat="48.85" lon="2.35" created_at="2024-01-10T08:00:00Z">\n` +
  comments.map((text, i) => `<comment action="${i === 0 ? 'opened' : 'commented'}" timestamp="2024-01-1${i}T08:00:00Z">${text}</comment>\n`).join('') +
  '</note>\n';

function dump(name: string, ...parts: (string | Buffer)[]): string {
  const file = join(work, name);
  const buffers = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm-notes>\n', ...parts, '</osm-notes>\n'].map((p) =>
    typeof p === 'string' ? Buffer.from(p) : p,
  );
  writeFileSync(file, Buffer.concat(buffers));
  return file;
}

async function bodies(): Promise<Map<string, string>> {
  const { rows } = await testDb.database.pool.query<{ key: string; body: string }>(
    `SELECT note_id || '/' || sequence_action AS key, body FROM note_comments_text ORDER BY 1`,
  );
  return new Map(rows.map((r) => [r.key, r.body]));
}

describe('import anomalies', () => {
  it('cuts comments to MAX_COMMENT_LENGTH characters and counts what it cut', async () => {
    const long = '🗺'.repeat(1_500) + 'x'.repeat(500_000);
    const file = dump('long.osn.xml', note(1, ['short', long]), note(2, ['é'.repeat(1_000)]));
    const summary = await importDump({ pool: testDb.database.pool, file, maxCommentLength: 1_000 });
    expect(summary).toMatchObject({ complete: true, commentsTruncated: 1, charactersCut: 501_500 - 1_000 });
    const stored = await bodies();
    expect(stored.get('1/1')).toBe('short');
    expect(stored.get('1/2')).toBe('🗺'.repeat(1_000));
    expect(stored.get('2/1')).toBe('é'.repeat(1_000));
    expect(formatSummary(summary)[1]).toBe('warnings: 1 comment cut to MAX_COMMENT_LENGTH (500,500 characters dropped)');
  });

  it('counts invalid UTF-8 sequences, and not a U+FFFD the file itself holds', async () => {
    // Puts the real U+FFFD below at bytes 65,535-65,537.
    const pad = 'p'.repeat((1 << 16) - 347);
    const file = dump(
      'utf8.osn.xml',
      note(3, ['ok']),
      Buffer.from('<note id="4" lat="48.85" lon="2.35" created_at="2024-01-10T08:00:00Z"><comment action="opened" timestamp="2024-01-10T08:00:00Z">'),
      Buffer.from(`bad \xff and \xfe here ${pad}`, 'latin1'),
      // A real U+FFFD (EF BF BD) straddling the first 64 KiB chunk boundary is not counted.
      Buffer.from('\uFFFD real</comment></note>\n'),
    );
    const summary = await importDump({ pool: testDb.database.pool, file });
    expect(summary).toMatchObject({ complete: true, replacedCharacters: 2 });
    expect((await bodies()).get('4/1')).toMatch(/^bad \uFFFD and \uFFFD here p+\uFFFD real$/);
    expect(formatSummary(summary)[1]).toBe('warnings: 2 invalid UTF-8 sequences stored as U+FFFD');
  });

  it('reports a note id that appears twice in the file', async () => {
    const file = dump('twice.osn.xml', note(5, ['first']), note(6, ['other']), note(5, ['again', 'and more']));
    const summary = await importDump({ pool: testDb.database.pool, file });
    expect(summary).toMatchObject({ complete: true, duplicateNotes: 1, duplicateNoteIds: [5] });
    expect(formatSummary(summary)[1]).toBe('warnings: 1 note appeared again later in the file and was merged with the first (5)');
  });

  it('reports nothing for a clean file', async () => {
    const summary = await importDump({ pool: testDb.database.pool, file: dump('clean.osn.xml', note(7, ['fine'])), maxCommentLength: 10 });
    expect(summary).toMatchObject({ duplicateNotes: 0, commentsTruncated: 0, charactersCut: 0, replacedCharacters: 0 });
    expect(formatSummary(summary)).toHaveLength(1);
  });
});

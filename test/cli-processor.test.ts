import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOTES } from './fixtures/notes.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes } from './helpers/notes.ts';

const testDb = useTestDatabase();

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reprocess and rebuild-datamarts commands', () => {
  it('reprocess a range, running the micro-ETL itself when no processor runs', async () => {
    await insertNotes(testDb.database.pool, FIXTURE_NOTES);
    const result = await cli(['reprocess', '--from', '1001', '--to', '1005']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('queued 5 note(s) for reprocessing\nreprocessed 5 note(s)\n');
    expect(result.code).toBe(0);
    const { rows } = await testDb.database.pool.query(
      'SELECT count(DISTINCT id_note)::int AS notes FROM dwh.facts WHERE id_note BETWEEN 1001 AND 1005',
    );
    expect(rows[0].notes).toBe(5);
  });

  it('rebuild the datamarts from facts', async () => {
    const result = await cli(['rebuild-datamarts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^datamarts rebuilt from facts in \d+ ms\n$/);
  });

  it('explain their arguments when they are wrong', async () => {
    const missing = await cli(['reprocess']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/usage: npm run cli -- reprocess/);
    const backwards = await cli(['reprocess', '--from', '9', '--to', '1']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toBe('notes-stream reprocess: --from (9) is after --to (1)\n');
  });
});

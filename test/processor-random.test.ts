// Randomised changes (seeded, so reproducible): new notes, more actions on existing ones, late
// and edited texts, deleted actions, reprocessing. After each round the facts equal the
// reference model and the incrementally kept datamarts equal a rebuild from facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDatamarts, reprocessNotes } from '../src/streaming/processor/admin.ts';
import type { Processor } from '../src/streaming/processor/processor.ts';
import { useTestDatabase } from './helpers/database.ts';
import { insertNotes, type Action, type FixtureNote } from './helpers/notes.ts';
import { datamartSnapshot, readDatamarts, readFacts, startProcessor, waitForDrained } from './helpers/processor.ts';
import { modelDatamarts, modelFacts } from './helpers/warehouse-model.ts';

const testDb = useTestDatabase();
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor(testDb, { PROCESSOR_BATCH_SIZE: '7', PROCESSOR_BACKLOG_BATCH_SIZE: '7' });
});
afterAll(async () => {
  await processor.stop();
});

function prng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const PLACES: [number, number][] = [[48.85, 2.35], [52.52, 13.4], [40.71, -74.0], [35.68, 139.65], [0, -30]];
const TEXTS = ['', 'ok', 'see https://x.org', '@bob #Fix', '#fix again #Other', 'via StreetComplete 58.1', 'long '.repeat(40)];
const USERS = [undefined, { uid: 1, user: 'ann' }, { uid: 2, user: 'ben' }, { uid: 3, user: 'cy' }];

describe('random changes', () => {
  it('keep facts equal to the model and datamarts equal to a rebuild', async () => {
    const random = prng(Number(process.env.RANDOM_SEED ?? 20_261_123));
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const notes = new Map<number, FixtureNote>();
    let day = 0;
    const at = () => new Date(Date.UTC(2024, 0, 1) + (day += 1 + Math.floor(random() * 40)) * 3_600_000 * 6).toISOString();
    const pool = testDb.database.pool;

    for (let round = 0; round < 6; round++) {
      const touched: FixtureNote[] = [];
      for (let i = 0; i < 8; i++) {
        const existing = [...notes.values()];
        if (existing.length === 0 || random() < 0.4) {
          const [lat, lon] = pick(PLACES);
          const note: FixtureNote = { id: 10_000 + notes.size, lat, lon, comments: [{ action: 'opened', at: at(), text: pick(TEXTS), ...pick(USERS) }] };
          notes.set(note.id, note);
          touched.push(note);
        } else {
          const note = pick(existing);
          const action: Action = pick(['commented', 'closed', 'reopened', 'commented', 'hidden']);
          note.comments.push({ action, at: at(), text: pick(TEXTS), ...pick(USERS) });
          touched.push(note);
        }
      }
      await insertNotes(pool, [...new Set(touched)]);
      // Some texts change after the fact, and some last actions disappear (then reprocess).
      const victim = pick([...notes.values()]);
      const seq = victim.comments.length;
      const text = pick(TEXTS);
      await pool.query(
        `INSERT INTO note_comments_text (note_id, sequence_action, body) VALUES ($1, $2, $3)
         ON CONFLICT (note_id, sequence_action) DO UPDATE SET body = EXCLUDED.body`,
        [victim.id, seq, text],
      );
      victim.comments[seq - 1] = { ...victim.comments[seq - 1]!, text };
      if (round % 2 === 1) {
        const cut = pick([...notes.values()].filter((n) => n.comments.length > 1));
        await pool.query('DELETE FROM note_comments_text WHERE note_id = $1 AND sequence_action = $2', [cut.id, cut.comments.length]);
        await pool.query('DELETE FROM note_comments WHERE note_id = $1 AND sequence_action = $2', [cut.id, cut.comments.length]);
        cut.comments.pop();
        await reprocessNotes(pool, [cut.id]);
      }
      await waitForDrained(pool);

      const all = [...notes.values()].sort((a, b) => a.id - b.id);
      const lower = <T extends { hashtags: string[] }>(f: T) => ({ ...f, hashtags: f.hashtags.map((h) => h.toLowerCase()) });
      expect((await readFacts(pool)).map(({ hashtagNumber: _h, ...f }) => lower(f)), `facts after round ${round}`).toEqual(
        modelFacts(all).map(lower),
      );
      expect((await readDatamarts(pool)).global, `global datamart after round ${round}`).toEqual(modelDatamarts(all).global);
      const incremental = await datamartSnapshot(pool);
      await rebuildDatamarts(pool);
      expect(await datamartSnapshot(pool), `rebuild after round ${round}`).toEqual(incremental);
    }
  });
});

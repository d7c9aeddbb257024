// Where an import batch's time goes inside PostgreSQL: runs the writer's statements for one
// batch of new notes under EXPLAIN ANALYZE (in a transaction that is rolled back) and collects
// each statement's time and the time of every trigger and foreign-key check it fired.
import type pg from 'pg';
import type { CountryIdAt } from '../src/ingest/country-ids.ts';
import type { IncomingNote } from '../src/ingest/model.ts';
import { beginIngestTransaction, writeNotes } from '../src/ingest/note-writer.ts';

export interface StatementCost {
  statement: string;
  ms: number;
  /** Trigger (and FK check) name → ms, included in `ms`. */
  triggers: Record<string, number>;
}

interface Plan {
  'Execution Time': number;
  Triggers?: { 'Trigger Name': string; 'Constraint Name'?: string; Time: number }[];
}

export async function explainBatch(pool: pg.Pool, notes: IncomingNote[], countryIdAt: CountryIdAt): Promise<StatementCost[]> {
  const client = await pool.connect();
  const costs: StatementCost[] = [];
  const explaining = {
    query: async (config: { name?: string; text: string; values?: unknown[] }) => {
      const { rows } = await client.query<{ 'QUERY PLAN': Plan[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${config.text}`, config.values);
      const plan = rows[0]!['QUERY PLAN'][0]!;
      const triggers: Record<string, number> = {};
      for (const t of plan.Triggers ?? []) triggers[t['Constraint Name'] ?? t['Trigger Name']] = Math.round(t.Time * 10) / 10;
      costs.push({ statement: config.name ?? config.text.slice(0, 40), ms: Math.round(plan['Execution Time'] * 10) / 10, triggers });
      // The writer reads these results: every note of the batch is new, nothing was updated.
      const ids = String(config.values?.[0] ?? '{}').slice(1, -1).split(',').filter(Boolean).map(Number);
      return { rows: [{ inserted: ids, updated: 0 }] };
    },
  };
  try {
    await beginIngestTransaction(client, { bulk: true });
    await writeNotes(explaining as unknown as pg.PoolClient, notes, countryIdAt);
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
  return costs;
}

// bench/results/history.md: one line per full run with its headline figures, so that runs can
// be compared without keeping every result file (git keeps those: each line says where).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './report.ts';

export const HISTORY_FILE = new URL('../results/history.md', import.meta.url);

/** One table of the history file: the lines before it, its header row and its separator. */
export interface HistoryTable {
  intro: string[];
  header: string;
  separator: string;
}

export const FULL_RUNS: HistoryTable = {
  intro: [
    '## Full runs (`npm run bench`)',
    '',
    'One line per full `npm run bench` run, oldest first, appended by bench/run.ts. Latencies are the',
    "probe's comment commit → `factProcessed` at 1,000 events/s in 10-event commits; `raw` is a plain",
    'LISTEN client on the same load in the same run (the machine is shared: compare a run with its',
    'own raw figure). Catch-up drains a 100,000-event backlog; batched is the processing rate beside',
    'writers inserting 1,000-comment transactions (their rate in parentheses); reads are the',
    "requests/s of `country` and `facts` as a share of `{ __typename }`'s, response cache off. A",
    "run's full report: `git show <report>`; for lines bench/run.ts added, the report file as of the",
    'commit that added the line.',
  ],
  header:
    '| date (UTC) | run | raw p99 | 100 subscribers p50 / p99 (processing p99) | 10,000 subscribers p50 / p99 | catch-up | batched (writers) | import | reads country / facts | problems | report |',
  separator: '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
};

const n = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toLocaleString('en-US'));

interface ReadRun {
  mode?: string;
  name: string;
  ratioToTrivial: number;
}

/** The history line of a run; `run` names it (a label, a commit), `report` says where its files are. */
export function historyLine(result: BenchResult, run: string, report: string): string {
  const grouped = (subscribers: number) =>
    result.endToEnd.find((e) => e.rate === 1000 && (e.commitSize ?? 1) === 10 && e.subscribers === subscribers);
  const raw = result.raw.find((r) => r.rate === 1000 && (r.commitSize ?? 1) === 10);
  const hundred = grouped(100);
  const tenThousand = grouped(10_000);
  const batched = result.sustained.find((s) => s.mode === 'batched');
  const reads = ((result.read as { runs?: ReadRun[] } | null)?.runs ?? []).filter((r) => (r.mode ?? 'uncached') === 'uncached');
  const ratio = (name: string) => reads.find((r) => r.name === name)?.ratioToTrivial;
  const imported = (result.import as { commentsPerSecond?: number } | null)?.commentsPerSecond;
  const cells = [
    result.date.slice(0, 16).replace('T', ' '),
    run,
    raw ? `${n(raw.latency.p99)} ms` : '–',
    hundred ? `${n(hundred.latency.p50)} / ${n(hundred.latency.p99)} ms (${n(hundred.processing?.p99)})` : '–',
    tenThousand ? `${n(tenThousand.latency.p50)} / ${n(tenThousand.latency.p99)} ms` : '–',
    result.backlog ? `${n(result.backlog.rate)}/s` : '–',
    batched ? `${n(batched.processedRate)}/s (${n(batched.insertRate)})` : '–',
    imported ? `${n(imported)}/s` : '–',
    reads.length ? `${ratio('country')?.toFixed(2) ?? '–'} / ${ratio('facts')?.toFixed(2) ?? '–'}` : '–',
    String(result.problems.length),
    report,
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Appends a full run's line to the full runs' table. */
export function appendHistory(result: BenchResult, run: string, report: string): void {
  addHistoryRow(FULL_RUNS, historyLine(result, run, report));
}

/**
 * Adds a row after the last row of `table` in the history file. A table the file does not have
 * yet is added at its end (and the file is created when missing), so every benchmark keeps its
 * lines in the one file.
 */
export function addHistoryRow(table: HistoryTable, row: string, file: URL | string = HISTORY_FILE): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark history\n';
  const lines = text.replace(/\n+$/, '').split('\n');
  let last = lines.indexOf(table.header);
  if (last < 0) {
    lines.push('', ...table.intro, '', table.header, table.separator);
    last = lines.length - 1;
  }
  while (lines[last + 1]?.startsWith('|')) last++;
  lines.splice(last + 1, 0, row);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

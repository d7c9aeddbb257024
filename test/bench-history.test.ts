// bench/results/history.md keeps one line per full benchmark run: the line must carry the run's
// headline figures from the scenarios they belong to.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { addHistoryRow, FULL_RUNS, historyLine, type HistoryTable } from '../bench/streaming/history.ts';
import type { BenchResult } from '../bench/streaming/report.ts';

const latency = (p50: number, p99: number) => ({ count: 8000, p50, p95: p99, p99, max: p99 });
const endToEnd = (rate: number, commitSize: number, subscribers: number, p50: number, p99: number, processingP99: number) => ({
  rate, commitSize, achievedRate: rate, subscribers, sent: 8000, probeReceived: 8000, probeOrdered: true,
  filteredReceived: 1, filteredExpected: 1, latency: latency(p50, p99), processing: latency(1, processingP99),
  delivery: latency(1, 1), api: { rssMb: 1, peakRssMb: 1, cpuSeconds: 1 }, processor: { rssMb: 1, peakRssMb: 1, cpuSeconds: 1 },
});

const result = {
  date: '2026-11-24T20:36:09.925Z',
  quick: false,
  machine: { cpus: 2, memoryGb: 8, node: 'v20', postgres: '15', loadAverageAfter: [1, 1, 1] },
  settings: {},
  raw: [
    { rate: 1000, commitSize: 1, sent: 8000, received: 8000, latency: latency(8, 16) },
    { rate: 1000, commitSize: 10, sent: 8000, received: 8000, latency: latency(2.2, 22.4) },
  ],
  endToEnd: [
    endToEnd(1000, 1, 100, 55, 107, 60),
    endToEnd(1000, 10, 100, 13, 74, 34),
    endToEnd(1000, 10, 10_000, 28, 155, 70),
  ],
  sustained: [
    { mode: 'batched', sent: 100_000, writeSeconds: 8, insertRate: 12_355, processedRate: 9_753, processor: { rssMb: 1, peakRssMb: 1, cpuSeconds: 1 } },
    { mode: 'single-row', sent: 20_000, writeSeconds: 34, insertRate: 579, processedRate: 563, processor: { rssMb: 1, peakRssMb: 1, cpuSeconds: 1 } },
  ],
  backlog: { backlog: 100_000, seconds: 4.9, rate: 20_303, processor: { rssMb: 1, peakRssMb: 1, cpuSeconds: 1 } },
  read: {
    runs: [
      { mode: 'cached', name: 'country', ratioToTrivial: 0.94 },
      { mode: 'uncached', name: 'country', ratioToTrivial: 0.4 },
      { mode: 'uncached', name: 'facts', ratioToTrivial: 0.22 },
    ],
  },
  import: { commentsPerSecond: 41_900 },
  problems: [],
} as unknown as BenchResult;

it('puts a full run\'s headline figures in one history line', () => {
  expect(historyLine(result, 'code 99797e0', 'bench/results/streaming.md')).toBe(
    '| 2026-11-24 20:36 | code 99797e0 | 22.4 ms | 13 / 74 ms (34) | 28 / 155 ms | 20,303/s | 9,753/s (12,355) | 41,900/s | 0.40 / 0.22 | 0 | bench/results/streaming.md |',
  );
});

it('marks what a run did not measure', () => {
  const partial = { ...result, read: null, import: null, problems: ['probe got 7999 of 8000'] } as BenchResult;
  expect(historyLine(partial, 'x', 'y')).toMatch(/\| 9,753\/s \(12,355\) \| – \| – \| 1 \| y \|$/);
});

it('keeps each benchmark\'s rows in its own table of the one history file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  try {
    const file = join(dir, 'history.md');
    const other: HistoryTable = { intro: ['## Other'], header: '| day | figure |', separator: '|---|---:|' };
    addHistoryRow(FULL_RUNS, '| run 1 |', file);
    addHistoryRow(other, '| a | 1 |', file);
    addHistoryRow(FULL_RUNS, '| run 2 |', file);
    addHistoryRow(other, '| b | 2 |', file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('# Benchmark history');
    const full = lines.indexOf(FULL_RUNS.header);
    expect(lines.slice(full, full + 5)).toEqual([FULL_RUNS.header, FULL_RUNS.separator, '| run 1 |', '| run 2 |', '']);
    expect(lines.slice(lines.indexOf('## Other'))).toEqual(['## Other', '', '| day | figure |', '|---|---:|', '| a | 1 |', '| b | 2 |']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

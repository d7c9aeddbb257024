import type { CatchUpResult, EndToEndResult, RawResult, ThroughputResult } from './scenarios.ts';

interface ReadRun {
  /** The server: default configuration (response cache) or RESPONSE_CACHE_MB=0. */
  mode?: string;
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ratioToTrivial: number;
}

interface ImportRun {
  comments?: number;
  commentsPerSecond: number;
  notesPerSecond: number;
  seconds: number;
  memory: { rssPeakMb: number; rssByTenthMb: number[] };
  options: { comments: number };
}

export interface BenchResult {
  date: string;
  quick: boolean;
  machine: { cpus: number; cpu?: string; memoryGb: number; node: string; postgres: string; loadAverageAfter: number[] };
  settings: Record<string, string | number>;
  raw: RawResult[];
  endToEnd: EndToEndResult[];
  sustained: ThroughputResult[];
  backlog: CatchUpResult;
  read: unknown;
  import: unknown;
  problems: string[];
}

const ratio = (value: number | null, base: number | null) =>
  value === null || base === null || base === 0 ? '' : `${(value / base).toFixed(1)}×`;
const ms = (value: number | null) => (value === null ? '' : String(value));

/** The Markdown report of one run: each figure with its baseline from the same run. */
export function renderMarkdown(r: BenchResult): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`# Benchmark ${r.date.slice(0, 10)}${r.quick ? ' (quick)' : ''}`, '');
  lines.push(
    `${m.cpus} CPUs (${m.cpu ?? '?'}), ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}; ` +
      `load average after the run ${m.loadAverageAfter.join(' / ')} (the machine is shared: read ratios, not absolutes).`,
    '',
  );
  for (const [key, value] of Object.entries(r.settings)) lines.push(`- ${key}: ${value}`);
  lines.push('');

  lines.push('## Latency: comment commit → client', '');
  lines.push('| rate/s | events per commit | subscribers | events | delivered | p50 ms | p95 ms | p99 ms | max ms | raw p50 / p99 ms | p50 vs raw | p99 vs raw | filtered deliveries | API peak RSS MB | API CPU s | processor CPU s |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of r.endToEnd) {
    const raw = r.raw.find((b) => b.rate === e.rate && (b.commitSize ?? 1) === (e.commitSize ?? 1));
    lines.push(
      `| ${e.rate} (${e.achievedRate}) | ${e.commitSize ?? 1} | ${e.subscribers} | ${e.sent} | ${e.probeReceived}${e.probeOrdered ? '' : ' (out of order!)'} | ` +
        `${ms(e.latency.p50)} | ${ms(e.latency.p95)} | ${ms(e.latency.p99)} | ${ms(e.latency.max)} | ` +
        `${raw ? `${ms(raw.latency.p50)} / ${ms(raw.latency.p99)}` : ''} | ${ratio(e.latency.p50, raw?.latency.p50 ?? null)} | ` +
        `${ratio(e.latency.p99, raw?.latency.p99 ?? null)} | ${e.filteredReceived === e.filteredExpected ? e.filteredReceived : `${e.filteredReceived} of ${e.filteredExpected}`} | ${e.api.peakRssMb} | ${e.api.cpuSeconds} | ${e.processor.cpuSeconds} |`,
    );
  }
  lines.push('', 'Where the time goes (probe, p50 / p99 ms): comment commit → fact commit, then fact commit → client.', '');
  lines.push('| rate/s | events per commit | subscribers | processing p50 | processing p99 | delivery p50 | delivery p99 |', '|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of r.endToEnd) {
    lines.push(`| ${e.rate} | ${e.commitSize ?? 1} | ${e.subscribers} | ${ms(e.processing.p50)} | ${ms(e.processing.p99)} | ${ms(e.delivery.p50)} | ${ms(e.delivery.p99)} |`);
  }
  lines.push('', 'Raw baseline: a plain pg client LISTENing to the trigger NOTIFY (the floor on this machine).', '');
  lines.push('| rate/s (reached) | events per commit | sent | heard | p50 ms | p95 ms | p99 ms | max ms |', '|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of r.raw) {
    lines.push(`| ${b.rate}${b.achievedRate ? ` (${b.achievedRate})` : ''} | ${b.commitSize ?? 1} | ${b.sent} | ${b.received} | ${ms(b.latency.p50)} | ${ms(b.latency.p95)} | ${ms(b.latency.p99)} | ${ms(b.latency.max)} |`);
  }

  lines.push('', '## Processing throughput', '');
  lines.push('| writers | comments | insert rate/s (baseline) | processed/s | vs insert rate | processor CPU s |', '|---|---:|---:|---:|---:|---:|');
  for (const t of r.sustained) {
    lines.push(`| ${t.mode} | ${t.sent} | ${t.insertRate} | ${t.processedRate} | ${ratio(t.processedRate, t.insertRate)} | ${t.processor.cpuSeconds} |`);
  }
  const b = r.backlog;
  lines.push(`| catch-up after a backlog | ${b.backlog} | (written first) | ${b.rate} | | ${b.processor.cpuSeconds} |`);
  // Issue 25's measure of single-row mode: what is processed against what eight writers of single
  // commits reached in the raw baseline (its fastest single-row scenario; the server runs there
  // too, only its subscribers are replaced by one LISTEN client).
  const single = r.sustained.find((t) => t.mode === 'single-row');
  const rawSingle = Math.max(0, ...r.raw.filter((x) => (x.commitSize ?? 1) === 1).map((x) => x.achievedRate ?? 0));
  if (single && rawSingle > 0) {
    lines.push('', `Single-row mode processed ${single.processedRate}/s, ${ratio(single.processedRate, rawSingle)} the ${rawSingle}/s the raw baseline's single-row writers reached.`);
  }

  const read = r.read as { runs?: ReadRun[] } | null;
  if (read?.runs) {
    lines.push('', '## Read API (vs `{ __typename }` on the same server)', '');
    lines.push('| server | query | req/s | p50 ms | p99 ms | vs trivial |', '|---|---|---:|---:|---:|---:|');
    for (const q of read.runs) {
      lines.push(`| ${q.mode ?? ''} | ${q.name} | ${q.requestsPerSecond} | ${q.p50Ms} | ${q.p99Ms} | ${q.ratioToTrivial} |`);
    }
  }
  const imp = r.import as ImportRun | null;
  if (imp) {
    lines.push('', '## Import', '');
    lines.push(
      `${imp.options.comments} comments in ${imp.seconds} s: ${imp.commentsPerSecond} comments/s, ${imp.notesPerSecond} notes/s; ` +
        `peak RSS ${imp.memory.rssPeakMb} MB (by tenth of the input: ${imp.memory.rssByTenthMb.join(', ')} MB).`,
    );
  }
  if (r.problems.length > 0) lines.push('', '## Problems', '', ...r.problems.map((p) => `- ${p}`));
  return `${lines.join('\n')}\n`;
}

// Import benchmark: a generated planet dump of 1,000,000 comments (by default) imported into a
// fresh database on the local PostgreSQL; reports comments/s, notes/s and RSS sampled during
// the run, explains one batch statement by statement, and writes bench/results/import[-bz2].json and .md.
//   npx tsx bench/import.ts [--comments N] [--connections N] [--batch-notes N] [--bz2] [--no-save]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectClient, createDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { loadCountryIds } from '../src/ingest/country-ids.ts';
import { writeDump } from '../src/ingest/generator/dump-writer.ts';
import { generateNotes } from '../src/ingest/generator/synthetic-notes.ts';
import { DEFAULT_BATCH_NOTES, DEFAULT_CONNECTIONS, importDump, type ImportSummary } from '../src/ingest/import-dump.ts';
import { explainBatch, type StatementCost } from './import-breakdown.ts';

const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: String(DEFAULT_CONNECTIONS) },
    'batch-notes': { type: 'string', default: String(DEFAULT_BATCH_NOTES) },
    bz2: { type: 'boolean', default: false },
    'no-save': { type: 'boolean', default: false },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const comments = Number(values.comments);
const connections = Number(values.connections);
const batchNotes = Number(values['batch-notes']);
const TARGET = 100_000;
const mb = (bytes: number) => Math.round(bytes / 1e6);
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a local process has used, from /proc. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

// The dump is generated once per size and reused: generation is not what is measured.
const dumpDir = join(tmpdir(), 'notes-stream-bench');
mkdirSync(dumpDir, { recursive: true });
const plain = join(dumpDir, `planet-${comments}.osn.xml`);
if (!existsSync(plain)) {
  const started = performance.now();
  const written = await writeDump(plain, { comments, seed: 1, to: new Date('2025-06-01T00:00:00Z') });
  console.log(`generated ${plain}: ${written.notes} notes, ${written.comments} comments in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
let file = plain;
if (values.bz2) {
  file = `${plain}.bz2`;
  if (!existsSync(file)) execFileSync('sh', ['-c', `bzip2 -c '${plain}' > '${file}'`]);
}

const database = `notes_stream_bench_import_${process.pid}`;
const admin = await connectClient(values.server, 'notes-stream bench');
await admin.query(`CREATE DATABASE "${database}"`);
const url = new URL(values.server);
url.pathname = `/${database}`;
const db = createDatabase(url.toString(), { poolSize: connections + 2, applicationName: 'notes-stream bench' });

try {
  await migrateDatabase(url.toString());
  const settings = await db.pool.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings
     WHERE name IN ('shared_buffers', 'synchronous_commit', 'max_wal_size', 'wal_level', 'fsync')`,
  );
  const version = (await db.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;

  // RSS sampled every 100 ms, with the progress at each sample, to show memory stays flat.
  const samples: { at: number; commentsRead: number; rss: number }[] = [];
  const started = performance.now();
  let progress = 0;
  const sampler = setInterval(() => samples.push({ at: performance.now() - started, commentsRead: progress, rss: process.memoryUsage.rss() }), 100);
  const rssBefore = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  let summary: ImportSummary;
  try {
    summary = await importDump({
      pool: db.pool,
      file,
      batchNotes,
      connections,
      progressIntervalMs: 100,
      onProgress: (p) => (progress = p.commentsRead),
    });
  } finally {
    clearInterval(sampler);
  }
  if (!summary.complete) throw summary.error;
  // CPU of this process and of its PostgreSQL backends (same machine): unlike wall time, not
  // inflated when other work shares the cores. Background writers and autovacuum not included.
  const cpu = process.cpuUsage(cpuBefore);
  const backends = await db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'notes-stream bench'`,
    [database],
  );
  const nodeCpu = (cpu.user + cpu.system) / 1e6;
  const postgresCpu = backends.rows.reduce((sum, r) => sum + cpuSecondsOf(r.pid), 0);
  const counts = (await db.pool.query<{ notes: number; comments: number; texts: number; events: number }>(
    `SELECT (SELECT count(*) FROM notes)::int AS notes, (SELECT count(*) FROM note_comments)::int AS comments,
            (SELECT count(*) FROM note_comments_text)::int AS texts, (SELECT count(*) FROM streaming.events)::int AS events`,
  )).rows[0]!;
  if (counts.comments !== comments || counts.texts !== comments || counts.events !== comments) {
    throw new Error(`stored ${JSON.stringify(counts)}, expected ${comments} comments`);
  }

  // One more batch of 5,000 new notes, statement by statement, on the now full tables.
  const extra = [...generateNotes({ seed: 2, notes: 5_000, firstNoteId: 2_000_000_000 - 10_000, to: new Date('2025-06-01T00:00:00Z') })];
  const breakdown: StatementCost[] = await explainBatch(db.pool, extra, await loadCountryIds(db.pool));
  const batchComments = extra.reduce((n, note) => n + note.comments.length, 0);

  const seconds = summary.elapsedMs / 1000;
  const peak = Math.max(...samples.map((s) => s.rss));
  const at = (share: number) => samples.find((s) => s.commentsRead >= share * comments)?.rss ?? peak;
  const result = {
    date: new Date().toISOString(),
    file: { name: file.split('/').pop(), bytes: statSync(file).size, compressed: summary.compressed },
    options: { comments, connections, batchNotes },
    stored: counts,
    seconds: Math.round(seconds * 10) / 10,
    commentsPerSecond: Math.round(comments / seconds),
    notesPerSecond: Math.round(summary.notesStored / seconds),
    megabytesPerSecond: Math.round((summary.bytesRead / 1e6 / seconds) * 10) / 10,
    target: { commentsPerSecond: TARGET, met: comments / seconds >= TARGET },
    cpu: {
      nodeSeconds: Math.round(nodeCpu * 10) / 10,
      postgresBackendSeconds: Math.round(postgresCpu * 10) / 10,
      microsecondsPerComment: Math.round(((nodeCpu + postgresCpu) * 1e6) / comments),
      /** What this CPU cost allows on all cores when nothing else runs. */
      commentsPerSecondBound: Math.round((cpus().length * comments) / (nodeCpu + postgresCpu)),
    },
    memory: {
      rssBeforeMb: mb(rssBefore),
      rssPeakMb: mb(peak),
      rssAt10PercentMb: mb(at(0.1)),
      rssAt50PercentMb: mb(at(0.5)),
      rssAt90PercentMb: mb(at(0.9)),
      /** RSS at each tenth of the input, to show it stays flat. */
      rssByTenthMb: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((share) => mb(at(share))),
      heapUsedAfterMb: mb(process.memoryUsage().heapUsed),
      samples: samples.length,
    },
    batchBreakdown: { notes: extra.length, comments: batchComments, statements: breakdown },
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 1e9),
      loadAverageAfter: loadavg().map((l) => Math.round(l * 100) / 100),
      node: process.version,
      postgres: version,
      settings: Object.fromEntries(settings.rows.map((s) => [s.name, `${s.setting}${s.unit ?? ''}`])),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  if (!values['no-save']) {
    const stem = `import${values.bz2 ? '-bz2' : ''}`;
    const dir = new URL('./results/', import.meta.url);
    writeFileSync(new URL(`${stem}.json`, dir), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL(`${stem}.md`, dir), markdown(result));
    console.log(`wrote bench/results/${stem}.json and .md`);
  }
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}

function markdown(r: {
  date: string; file: { name?: string; bytes: number; compressed: boolean }; options: { comments: number; connections: number; batchNotes: number };
  seconds: number; commentsPerSecond: number; notesPerSecond: number; megabytesPerSecond: number; target: { met: boolean };
  cpu: { nodeSeconds: number; postgresBackendSeconds: number; microsecondsPerComment: number; commentsPerSecondBound: number };
  memory: { rssBeforeMb: number; rssPeakMb: number; rssAt10PercentMb: number; rssAt50PercentMb: number; rssAt90PercentMb: number; rssByTenthMb: number[] };
  batchBreakdown: { notes: number; comments: number; statements: StatementCost[] };
  machine: { cpus: number; cpu?: string; node: string; postgres: string; loadAverageAfter: number[] };
}): string {
  const perComment = (ms: number) => ((ms * 1000) / r.batchBreakdown.comments).toFixed(1);
  const rows = r.batchBreakdown.statements.flatMap((s) => [
    `| ${s.statement} | ${s.ms} | ${perComment(s.ms)} |`,
    ...Object.entries(s.triggers).map(([name, ms]) => `| &nbsp;&nbsp;↳ ${name} | ${ms} | ${perComment(ms)} |`),
  ]);
  return `# Import benchmark, ${r.date.slice(0, 10)}

\`npx tsx bench/import.ts${r.file.compressed ? ' --bz2' : ''}\`: a generated planet dump of ${r.options.comments.toLocaleString('en-US')} comments
(${(r.file.bytes / 1e6).toFixed(0)} MB${r.file.compressed ? ', bzip2' : ''}) into a fresh database; ${r.options.connections} connections, ${r.options.batchNotes} notes per transaction, bulk mode.
Machine: ${r.machine.cpus} × ${r.machine.cpu}, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; load average after the run ${r.machine.loadAverageAfter.join(' / ')}.

| measure | value |
|---|---|
| comments/s into base tables | **${r.commentsPerSecond.toLocaleString('en-US')}** (target 100,000: ${r.target.met ? 'met' : 'not met'}) |
| notes/s | ${r.notesPerSecond.toLocaleString('en-US')} |
| input read | ${r.megabytesPerSecond} MB/s |
| total | ${r.seconds} s |
| CPU: importer / its PostgreSQL backends | ${r.cpu.nodeSeconds} s / ${r.cpu.postgresBackendSeconds} s (${r.cpu.microsecondsPerComment} µs per comment; at most ${r.cpu.commentsPerSecondBound.toLocaleString('en-US')} comments/s on ${r.machine.cpus} idle cores) |
| RSS before the import / peak | ${r.memory.rssBeforeMb} / ${r.memory.rssPeakMb} MB |
| RSS at each tenth of the input | ${r.memory.rssByTenthMb.join(', ')} MB |

One more batch (${r.batchBreakdown.notes} notes, ${r.batchBreakdown.comments} comments) under EXPLAIN ANALYZE on the full tables:

| statement / trigger | ms | µs per comment |
|---|---|---|
${rows.join('\n')}
`;
}

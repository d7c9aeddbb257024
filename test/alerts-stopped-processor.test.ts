// The alert rules in a running API server: with the processor stopped, note actions written the
// normal way pile up in the outbox, and the backlog, lag and missing-processor alerts fire in
// GraphQL (query and subscription) and on /metrics; once a processor runs again they resolve.
// Thresholds are set low by configuration (5 events, 1 s, no hold time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Processor } from '../src/streaming/processor/processor.ts';
import type { RunningServer } from '../src/server.ts';
import { useTestDatabase } from './helpers/database.ts';
import { startProcessor, waitForDrained } from './helpers/processor.ts';
import { graphql, startTestServer } from './helpers/server.ts';
import { collect, wsClient } from './helpers/subscribers.ts';
import { eventually } from './helpers/wait.ts';
import { writeConcurrently } from './helpers/writers.ts';

const testDb = useTestDatabase();
const ENV = {
  ALERT_EVALUATION_SECONDS: '1',
  ALERT_BACKLOG_EVENTS: '5',
  ALERT_BACKLOG_FOR_SECONDS: '0',
  ALERT_LAG_SECONDS: '1',
  ALERT_LAG_FOR_SECONDS: '0',
  ALERT_PROCESSORS_FOR_SECONDS: '0',
};
let server: RunningServer;
let processor: Processor | undefined;

interface Alert {
  rule: string;
  state: string;
  value: number | null;
  threshold: number;
  since: string;
  activeAt: string | null;
  summary: string;
}
const ALERT_FIELDS = 'rule state value threshold since activeAt summary';

async function alerts(): Promise<Map<string, Alert>> {
  const result = await graphql<{ alerts: Alert[] }>(server.url, `{ alerts { ${ALERT_FIELDS} } }`);
  expect(result.errors).toBeUndefined();
  return new Map(result.data!.alerts.map((a) => [a.rule, a]));
}

const WATCHED = ['StreamingBacklogHigh', 'StreamingLagHigh', 'StreamingProcessorMissing'];

/** Waits until the backlog, lag and missing-processor rules are all in `state`; returns the states. */
async function statesReach(state: string): Promise<Map<string, Alert>> {
  return eventually(
    async () => {
      const states = await alerts();
      return WATCHED.every((rule) => states.get(rule)?.state === state) ? states : undefined;
    },
    { timeoutMs: 20_000, what: `${WATCHED.join(', ')} to be ${state}` },
  );
}

async function metrics(): Promise<string> {
  return (await fetch(new URL('/metrics', server.url))).text();
}

/** The value of one sample of /metrics, e.g. sample(text, 'x{a="b"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`/metrics has no ${series}`);
  return Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  processor = await startProcessor(testDb);
  server = await startTestServer(testDb, { env: ENV, realtime: true });
});

afterAll(async () => {
  await server.stop();
  await processor?.stop();
});

describe('alerts while the processor is stopped', () => {
  it('are inactive while a processor keeps up', async () => {
    await writeConcurrently(testDb.url, { writers: 1, comments: 8, firstNoteId: 5_000_000 });
    await waitForDrained(testDb.database.pool);
    await statesReach('INACTIVE');
    const text = await metrics();
    expect(sample(text, 'notes_stream_outbox_pending_events')).toBe(0);
    expect(sample(text, 'notes_stream_alert_firing{rule="StreamingBacklogHigh",severity="warning"}')).toBe(0);
  });

  it('send every evaluation to subscribers that ask, and only changes to the others', async () => {
    const client = wsClient(server.url);
    const query = (every: boolean) => `subscription { alertsChanged(everyEvaluation: ${every}) { rule evaluatedAt } }`;
    const changesOnly = collect<{ alertsChanged: { evaluatedAt: string }[] }>(client, query(false));
    const everyOne = collect<{ alertsChanged: { evaluatedAt: string }[] }>(client, query(true));
    try {
      await eventually(() => everyOne.items.length >= 3, { what: 'three evaluations' });
      const times = everyOne.items.map((item) => Date.parse(item.alertsChanged[0]!.evaluatedAt));
      expect(times[2]!).toBeGreaterThan(times[1]!);
      expect(times[1]!).toBeGreaterThan(times[0]!);
      // Nothing changed state: the other subscriber has only the states it got at once.
      expect(changesOnly.items).toHaveLength(1);
      expect(changesOnly.items[0]!.alertsChanged).toHaveLength(11);
    } finally {
      changesOnly.stop();
      everyOne.stop();
      await client.dispose();
    }
  });

  it('fire in GraphQL, the subscription and /metrics when note actions wait, then resolve once processed', async () => {
    const client = wsClient(server.url);
    const changes = collect<{ alertsChanged: Alert[] }>(client, `subscription { alertsChanged { ${ALERT_FIELDS} } }`);
    try {
      await processor!.stop();
      processor = undefined;
      const stoppedAt = Date.now();
      const writtenBefore = sample(await metrics(), 'notes_stream_outbox_events_total');
      const written = await writeConcurrently(testDb.url, { writers: 2, comments: 12, firstNoteId: 5_100_000 });

      const firing = await statesReach('FIRING');
      const backlog = firing.get('StreamingBacklogHigh')!;
      expect(backlog).toMatchObject({ value: written, threshold: 5 });
      expect(backlog.summary).toBe(`${written} events wait in the outbox (threshold 5)`);
      expect(Date.parse(backlog.since)).toBeGreaterThanOrEqual(stoppedAt - 1000);
      expect(backlog.activeAt).toBe(backlog.since); // no hold time: active and firing at once
      expect(firing.get('StreamingLagHigh')!.value).toBeGreaterThan(1);
      expect(firing.get('StreamingProcessorMissing')).toMatchObject({ value: 0, threshold: 1 });

      const onlyActive = await graphql<{ alerts: Alert[] }>(server.url, `{ alerts(states: [FIRING, PENDING]) { ${ALERT_FIELDS} } }`);
      expect(onlyActive.data!.alerts.map((a) => a.state)).not.toContain('INACTIVE');
      expect(onlyActive.data!.alerts.map((a) => a.rule)).toEqual(
        expect.arrayContaining(['StreamingBacklogHigh', 'StreamingLagHigh', 'StreamingProcessorMissing']),
      );
      expect(onlyActive.data!.alerts[0]!.rule).toBe('StreamingProcessorMissing'); // FIRING and CRITICAL come first

      // Prometheus would see the same: the figures past their thresholds, and the states.
      const text = await metrics();
      expect(sample(text, 'notes_stream_outbox_pending_events')).toBe(written);
      expect(sample(text, 'notes_stream_outbox_oldest_pending_seconds')).toBeGreaterThan(1);
      expect(sample(text, 'notes_stream_processors_live')).toBe(0);
      expect(sample(text, 'notes_stream_outbox_events_total') - writtenBefore).toBe(written);
      expect(sample(text, 'notes_stream_alert_firing{rule="StreamingBacklogHigh",severity="warning"}')).toBe(1);
      expect(sample(text, 'notes_stream_alert_firing{rule="StreamingLagHigh",severity="warning"}')).toBe(1);
      expect(sample(text, 'notes_stream_alert_firing{rule="StreamingProcessorMissing",severity="critical"}')).toBe(1);
      // The listener is not down: there is no processor to have one.
      expect(sample(text, 'notes_stream_listener_down_seconds{listener="processor"}')).toBe(0);
      expect(sample(text, 'notes_stream_listener_connected{listener="pubsub"}')).toBe(1);

      processor = await startProcessor(testDb);
      await waitForDrained(testDb.database.pool);
      const resolved = await statesReach('INACTIVE');
      expect(resolved.get('StreamingBacklogHigh')!.value).toBe(0);
      expect(resolved.get('StreamingBacklogHigh')!.activeAt).toBeNull();
      const after = await metrics();
      expect(sample(after, 'notes_stream_outbox_pending_events')).toBe(0);
      expect(sample(after, 'notes_stream_alert_firing{rule="StreamingBacklogHigh",severity="warning"}')).toBe(0);

      // The subscription saw the backlog alert fire and resolve, in that order.
      await eventually(() => {
        const states = changes.items.map((item) => item.alertsChanged.find((a) => a.rule === 'StreamingBacklogHigh')!.state);
        const fired = states.indexOf('FIRING');
        return fired >= 0 && states.indexOf('INACTIVE', fired) > fired;
      }, { what: 'the subscription to report FIRING then INACTIVE' });
      expect(changes.errors).toEqual([]);
    } finally {
      changes.stop();
      await client.dispose();
    }
  });
});

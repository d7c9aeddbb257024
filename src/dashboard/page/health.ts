// Pipeline health: a small uPlot time series per figure, filled at once from the server's
// pipelineHistory and extended by pipelineSampled, each with the state of the alert rules that
// watch it (alertsChanged). Every chart also says its figures in words (aria-label), and the
// current value is printed beside it.
import {
  AlertsChangedDocument,
  PipelineHistoryDocument,
  PipelineSampledDocument,
  type AlertStateFieldsFragment,
  type PipelineSampleFieldsFragment,
} from '@notes-stream/sdk';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { follow, type Connection } from './connection.ts';
import { byId, formatNumber, h } from './dom.ts';

type Sample = PipelineSampleFieldsFragment;

const WINDOW_SECONDS = 900;

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: { label: string; value: (s: Sample) => number | null; color: string }[];
  rules: string[];
}

const CHARTS: ChartSpec[] = [
  {
    id: 'throughput',
    title: 'Events per second',
    unit: '/s',
    series: [
      { label: 'received', value: (s) => s.receivedPerSecond ?? null, color: '#1f5fa8' },
      { label: 'processed', value: (s) => s.processedPerSecond ?? null, color: '#2e7d32' },
    ],
    rules: ['StreamingProcessorMissing', 'StreamingErrorRateHigh'],
  },
  { id: 'lag', title: 'Processing lag', unit: 's', series: [{ label: 'lag', value: (s) => s.lagSeconds, color: '#8a4b00' }], rules: ['StreamingLagHigh', 'StreamingLagCritical'] },
  { id: 'backlog', title: 'Queue backlog', unit: ' events', series: [{ label: 'waiting', value: (s) => s.backlog, color: '#6a3d9a' }], rules: ['StreamingBacklogHigh'] },
  { id: 'dead', title: 'Dead letters', unit: ' events', series: [{ label: 'dead', value: (s) => s.deadLetters, color: '#b00020' }], rules: ['DeadLettersGrowing'] },
  {
    id: 'listener',
    title: 'Listener down for',
    unit: 's',
    series: [{ label: 'down', value: (s) => s.listenerDownSeconds, color: '#37474f' }],
    rules: ['StreamingListenerDown'],
  },
  { id: 'subscribers', title: 'Subscribers', unit: '', series: [{ label: 'subscriptions', value: (s) => s.subscribers, color: '#00695c' }], rules: [] },
];

const ORDER = { FIRING: 0, PENDING: 1, INACTIVE: 2 } as const;

interface Card {
  spec: ChartSpec;
  plot: uPlot;
  figure: HTMLElement;
  value: HTMLElement;
  badge: HTMLElement;
}

export function startHealth(connection: Connection): void {
  const container = byId('health');
  let samples: Sample[] = [];
  let alerts: AlertStateFieldsFragment[] = [];
  const cards: Card[] = CHARTS.map((spec) => card(container, spec));
  new ResizeObserver(() => {
    for (const c of cards) c.plot.setSize({ width: c.figure.clientWidth, height: 90 });
  }).observe(container);

  const redraw = () => {
    const from = Date.now() / 1000 - WINDOW_SECONDS;
    samples = samples.filter((s) => Date.parse(s.at) / 1000 >= from);
    const times = samples.map((s) => Date.parse(s.at) / 1000);
    for (const c of cards) {
      c.plot.setData([times, ...c.spec.series.map((series) => samples.map(series.value))]);
      const last = samples.at(-1);
      c.value.textContent = last ? c.spec.series.map((s) => `${s.label} ${formatValue(s.value(last))}${c.spec.unit}`).join(', ') : 'no sample yet';
      c.figure.setAttribute('aria-label', describe(c.spec, samples));
    }
  };

  const load = async () => {
    try {
      const { pipelineHistory } = await connection.client.query(PipelineHistoryDocument, { lastSeconds: WINDOW_SECONDS });
      const known = new Set(pipelineHistory.samples.map((s) => s.at));
      samples = [...pipelineHistory.samples, ...samples.filter((s) => !known.has(s.at) && s.at > (pipelineHistory.samples.at(-1)?.at ?? ''))];
      redraw();
    } catch {
      // The server is away; the samples come back with the connection (onReconnected).
    }
  };
  void load();
  // A restarted server has a new, short history: take it as it is.
  connection.onReconnected(() => {
    samples = [];
    void load();
  });
  void follow(
    connection.client.subscribe(PipelineSampledDocument, {}),
    ({ pipelineSampled }) => {
      if (samples.at(-1)?.at !== pipelineSampled.at) samples.push(pipelineSampled);
      redraw();
    },
    () => {},
  );
  void follow(
    connection.client.subscribe(AlertsChangedDocument, { everyEvaluation: false }),
    ({ alertsChanged }) => {
      alerts = alertsChanged;
      for (const c of cards) showAlert(c, alerts);
      showAlertList(alerts);
    },
    () => {},
  );
}

function card(container: HTMLElement, spec: ChartSpec): Card {
  const figure = h('div', { class: 'chart', role: 'img', 'aria-label': `${spec.title}: no sample yet` });
  const value = h('p', { class: 'value' }, '…');
  const badge = h('span', { class: 'alert-badge', 'data-state': 'INACTIVE' }, spec.rules.length ? 'ok' : 'no rule');
  container.append(h('article', { id: `chart-${spec.id}`, class: 'chart-card' }, h('h3', {}, spec.title, ' ', badge), value, figure));
  const plot = new uPlot(
    {
      width: Math.max(200, figure.clientWidth),
      height: 90,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 1) * 1.1)] } },
      axes: [
        {
          size: 20,
          font: '10px system-ui',
          stroke: '#333',
          grid: { show: false },
          ticks: { size: 3 },
          // UTC hours and minutes, on one line.
          values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(11, 16)),
        },
        { size: 36, font: '10px system-ui', stroke: '#333', grid: { stroke: '#e5e5e5', width: 1 }, ticks: { size: 3 } },
      ],
      series: [{}, ...spec.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, points: { show: false } }))],
    },
    [[], ...spec.series.map(() => [])],
    figure,
  );
  return { spec, plot, figure, value, badge };
}

function showAlert(c: Card, alerts: AlertStateFieldsFragment[]): void {
  if (c.spec.rules.length === 0) return;
  const mine = alerts.filter((a) => c.spec.rules.includes(a.rule)).sort((a, b) => ORDER[a.state] - ORDER[b.state]);
  const worst = mine[0];
  const state = worst?.state ?? 'INACTIVE';
  c.badge.dataset.state = state;
  c.badge.textContent = state === 'INACTIVE' ? 'ok' : `${state.toLowerCase()}: ${worst!.rule}`;
  c.badge.title = mine.map((a) => `${a.rule}: ${a.state.toLowerCase()} (${a.summary})`).join('\n');
}

function showAlertList(alerts: AlertStateFieldsFragment[]): void {
  byId('alerts').replaceChildren(
    ...alerts.map((a) => h('li', { 'data-state': a.state }, h('strong', {}, a.state.toLowerCase()), ` ${a.rule} (${a.severity.toLowerCase()}): ${a.summary}`)),
  );
}

const formatValue = (value: number | null) => (value === null ? '–' : formatNumber(value));

/** The chart in words: the latest value and the range over the samples shown. */
function describe(spec: ChartSpec, samples: Sample[]): string {
  if (samples.length === 0) return `${spec.title}: no sample yet`;
  const minutes = Math.round((Date.parse(samples.at(-1)!.at) - Date.parse(samples[0]!.at)) / 60_000);
  const parts = spec.series.map((s) => {
    const values = samples.map(s.value).filter((v): v is number => v !== null);
    if (values.length === 0) return `${s.label}: no value yet`;
    return `${s.label} now ${formatValue(values.at(-1)!)}${spec.unit}, between ${formatValue(Math.min(...values))} and ${formatValue(Math.max(...values))} over ${minutes} min`;
  });
  return `${spec.title}: ${parts.join('; ')}`;
}

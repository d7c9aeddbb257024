// A year of activity as a calendar heatmap (Stats.activityCalendar) and the 7 x 24 hours of the
// week (busiestHours), for the world, a country or a user. Read again as new facts arrive (at
// most every 30 s), so they move live.
import {
  CountryActivityDocument,
  HoursOfWeekDocument,
  UserActivityDocument,
  WorldActivityDocument,
  type DayCountFieldsFragment,
  type HourOfWeekFieldsFragment,
} from '@notes-stream/sdk';
import type { Connection } from './connection.ts';
import { byId, formatNumber, svg, throttle } from './dom.ts';

const CELL = 11;
/** Pixels per viewBox unit: both heatmaps at the same scale. */
const ZOOM = 1.6;
const COLORS = ['#ebedf0', '#c6e48b', '#7bc96f', '#239a3b', '#196127'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type Scope = { kind: 'world' } | { kind: 'country'; code: string } | { kind: 'user'; username: string };

export function startHeatmaps(connection: Connection): () => void {
  const form = byId<HTMLFormElement>('scope');
  const kind = byId<HTMLSelectElement>('scope-kind');
  const value = byId<HTMLInputElement>('scope-value');
  const status = byId('scope-status');
  let scope: Scope = { kind: 'world' };

  const load = async () => {
    try {
      const { calendar, hours, name } = await read(connection, scope);
      drawCalendar(calendar, name);
      drawHours(hours, name);
      status.textContent = '';
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = value.value.trim();
    if (kind.value !== 'world' && !text) {
      status.textContent = kind.value === 'country' ? 'Type a country code, e.g. DE.' : 'Type a username.';
      return;
    }
    scope = kind.value === 'country' ? { kind: 'country', code: text.toUpperCase() } : kind.value === 'user' ? { kind: 'user', username: text } : { kind: 'world' };
    status.textContent = 'Loading…';
    void load();
  });
  void load();
  connection.onReconnected(() => void load());
  return throttle(() => void load(), 30_000);
}

async function read(connection: Connection, scope: Scope): Promise<{ calendar: DayCountFieldsFragment[]; hours: HourOfWeekFieldsFragment[]; name: string }> {
  const { client } = connection;
  if (scope.kind === 'country') {
    const data = await client.query(CountryActivityDocument, { code: scope.code });
    return { calendar: data.country.stats.activityCalendar, hours: data.busiestHours, name: data.country.name };
  }
  if (scope.kind === 'user') {
    const { user } = await client.query(UserActivityDocument, { username: scope.username });
    if (!user) throw new Error(`No user named ${scope.username}.`);
    const { busiestHours } = await client.query(HoursOfWeekDocument, { filter: { user: user.id } });
    return { calendar: user.stats.activityCalendar, hours: busiestHours, name: user.username };
  }
  const data = await client.query(WorldActivityDocument, {});
  return { calendar: data.globalStats.activityCalendar, hours: data.busiestHours, name: 'the world' };
}

/** 0 for none, then four levels by quarters of the largest count. */
function level(count: number, max: number): number {
  return count === 0 || max === 0 ? 0 : Math.min(4, 1 + Math.floor((count / max) * 3.999));
}

function drawCalendar(days: DayCountFieldsFragment[], name: string): void {
  const max = Math.max(0, ...days.map((d) => d.count));
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const busiest = days.reduce<DayCountFieldsFragment | undefined>((best, d) => (!best || d.count > best.count ? d : best), undefined);
  // Columns are ISO weeks (Monday first); the first column starts on the first day's weekday.
  const offset = days.length ? (new Date(`${days[0]!.date}T00:00:00Z`).getUTCDay() + 6) % 7 : 0;
  const weeks = Math.ceil((days.length + offset) / 7);
  const width = 30 + weeks * CELL;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${7 * CELL + 2}`,
    width: width * ZOOM,
    role: 'img',
    'aria-label': `Actions per day of ${name} over ${days.length} days: ${formatNumber(total)} in all` + (busiest && busiest.count > 0 ? `, most on ${busiest.date} (${busiest.count})` : ''),
  });
  DAYS.forEach((day, i) => {
    if (i % 2 === 0) chart.append(svg('text', { x: 0, y: i * CELL + 9, class: 'label' }, document.createTextNode(day)));
  });
  days.forEach((d, i) => {
    const at = i + offset;
    const cell = svg('rect', { x: 30 + Math.floor(at / 7) * CELL, y: (at % 7) * CELL, width: CELL - 2, height: CELL - 2, rx: 2, fill: COLORS[level(d.count, max)] });
    cell.append(svg('title', {}, document.createTextNode(`${d.date}: ${d.count} actions`)));
    chart.append(cell);
  });
  byId('calendar').replaceChildren(chart);
}

function drawHours(hours: HourOfWeekFieldsFragment[], name: string): void {
  const max = Math.max(0, ...hours.map((h) => h.actions));
  const busiest = [...hours].sort((a, b) => b.actions - a.actions)[0];
  const width = 30 + 24 * (CELL + 3);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${7 * CELL + 16}`,
    width: width * ZOOM,
    role: 'img',
    'aria-label': `Actions per hour of the week (UTC) of ${name}` + (busiest && busiest.actions > 0 ? `: busiest ${DAYS[busiest.isoDayOfWeek - 1]} ${busiest.hour}:00 (${busiest.actions})` : ': none'),
  });
  DAYS.forEach((day, i) => chart.append(svg('text', { x: 0, y: i * CELL + 9, class: 'label' }, document.createTextNode(day))));
  for (let hour = 0; hour < 24; hour += 3) {
    chart.append(svg('text', { x: 30 + hour * (CELL + 3), y: 7 * CELL + 12, class: 'label' }, document.createTextNode(String(hour))));
  }
  for (const h of hours) {
    const cell = svg('rect', { x: 30 + h.hour * (CELL + 3), y: (h.isoDayOfWeek - 1) * CELL, width: CELL + 1, height: CELL - 2, rx: 2, fill: COLORS[level(h.actions, max)] });
    cell.append(svg('title', {}, document.createTextNode(`${DAYS[h.isoDayOfWeek - 1]} ${h.hour}:00–${h.hour + 1}:00 UTC: ${h.actions} actions`)));
    chart.append(cell);
  }
  byId('hours').replaceChildren(chart);
}

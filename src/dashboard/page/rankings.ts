// Rolling rankings, computed by the server (rollingRankingsChanged): both windows are followed,
// the radio buttons choose which one the four tables show.
import { RollingRankingsChangedDocument, type RollingRankingsFieldsFragment, type RollingWindow } from '@notes-stream/sdk';
import { follow, type Connection } from './connection.ts';
import { byId, formatNumber, h } from './dom.ts';

const LISTS = [
  ['countries', 'Countries'],
  ['hashtags', 'Hashtags'],
  ['applications', 'Applications'],
  ['users', 'Users'],
] as const;

export function startRankings(connection: Connection, onChange: () => void): void {
  const latest = new Map<RollingWindow, RollingRankingsFieldsFragment>();
  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="window"]')];
  const chosen = () => (radios.find((r) => r.checked)?.value ?? 'LAST_10_MINUTES') as RollingWindow;
  const render = () => {
    const rankings = latest.get(chosen());
    if (rankings) show(rankings);
  };
  for (const radio of radios) radio.addEventListener('change', render);
  for (const window of ['LAST_10_MINUTES', 'LAST_HOUR'] as const) {
    void follow(
      connection.client.subscribe(RollingRankingsChangedDocument, { window, limit: 5 }),
      ({ rollingRankingsChanged }) => {
        latest.set(window, rollingRankingsChanged);
        if (window === chosen()) render();
        onChange();
      },
      (error) => (byId('rankings-total').textContent = `Rankings unavailable: ${String(error)}`),
    );
  }
}

function show(r: RollingRankingsFieldsFragment): void {
  const span = r.window === 'LAST_HOUR' ? 'the last hour' : 'the last 10 minutes';
  byId('rankings-total').textContent = `${formatNumber(r.actions)} actions in ${span}.`;
  const grid = byId('rankings');
  grid.replaceChildren(
    ...LISTS.map(([field, title]) => {
      const items = r[field];
      return h(
        'table',
        { id: `ranking-${field}` },
        h('caption', {}, title),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'name'), h('th', { scope: 'col' }, 'actions'))),
        h(
          'tbody',
          {},
          ...(items.length === 0
            ? [h('tr', {}, h('td', { colspan: 3, class: 'empty' }, 'none'))]
            : items.map((i) =>
                h(
                  'tr',
                  { 'data-key': i.key },
                  h('td', {}, String(i.rank)),
                  h('td', { title: i.key }, field === 'hashtags' ? `#${i.label}` : i.label),
                  h('td', { class: 'number' }, formatNumber(i.actions)),
                ),
              )),
        ),
      );
    }),
  );
}

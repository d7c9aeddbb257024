// Recent events as dots on the offline world map (outlines served by the server, see
// src/dashboard/world-outlines.ts): the newest is highlighted, older ones fade. The map's
// label summarises the dots for screen readers.
import { byId, svg } from './dom.ts';
import type { NoteEvent } from './ticker.ts';

const KEEP = 200;

export function worldMap(scale: number): (event: NoteEvent) => void {
  const map = byId<SVGSVGElement & HTMLElement>('map');
  const dots = byId<SVGGElement & HTMLElement>('map-dots');
  const countries: string[] = [];
  return (event) => {
    countries.push(event.countryCode ?? 'ZZ');
    if (countries.length > KEEP) countries.shift();
    if (event.longitude == null || event.latitude == null) return;
    for (const old of dots.querySelectorAll('.newest')) old.classList.remove('newest');
    const dot = svg('circle', {
      cx: Math.round(event.longitude * scale * 10) / 10,
      cy: Math.round(-event.latitude * scale * 10) / 10,
      r: 5,
      class: `dot newest action-${event.action.toLowerCase()}`,
    });
    dot.append(svg('title', {}, document.createTextNode(`${event.action.toLowerCase()} note ${event.noteId} (${event.countryCode ?? '??'})`)));
    dots.append(dot);
    while (dots.children.length > KEEP) dots.firstElementChild!.remove();
    map.setAttribute('aria-label', summary(countries));
  };
}

function summary(countries: string[]): string {
  const counts = new Map<string, number>();
  for (const c of countries) counts.set(c, (counts.get(c) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${c} ${n}`);
  return `Map of the ${countries.length} most recent note events; most in ${top.join(', ')}`;
}

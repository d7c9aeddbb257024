// The ticker: each note action as the stream delivers it, newest first. The SDK resumes the
// NoteEvents subscription from its last cursor after a reconnection, so a server restart
// neither loses nor repeats an event here.
import { NoteEventsDocument, type NoteEventsSubscription } from '@notes-stream/sdk';
import { follow, type Connection } from './connection.ts';
import { byId, formatTime, h } from './dom.ts';

export type NoteEvent = NoteEventsSubscription['noteEvent'];

const KEEP = 60;
const EXCERPT = 140;

export function startTicker(connection: Connection, onEvent: (event: NoteEvent) => void): void {
  const list = byId<HTMLOListElement>('ticker');
  const empty = byId('ticker-empty');
  const subscription = connection.client.subscribe(NoteEventsDocument, {});
  void follow(
    subscription,
    ({ noteEvent: e }) => {
      empty.hidden = true;
      list.prepend(item(e));
      while (list.children.length > KEEP) list.lastElementChild!.remove();
      onEvent(e);
    },
    (error) => {
      empty.hidden = false;
      empty.textContent = `The event stream stopped: ${error instanceof Error ? error.message : String(error)}`;
    },
  );
}

function item(e: NoteEvent): HTMLLIElement {
  const text = (e.text ?? '').replace(/\s+/g, ' ').trim();
  const excerpt = text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
  return h(
    'li',
    { 'data-key': `${e.noteId}:${e.sequenceAction}`, class: `action-${e.action.toLowerCase()}` },
    h('time', { datetime: e.createdAt }, formatTime(e.createdAt)),
    ' ',
    h('span', { class: 'badge' }, e.action.toLowerCase()),
    ' ',
    h('a', { href: `https://www.openstreetmap.org/note/${e.noteId}`, rel: 'noopener', target: '_blank' }, `note ${e.noteId}`),
    ' ',
    h('span', { class: 'country', title: 'country' }, e.countryCode ?? '??'),
    ' ',
    h('span', { class: 'user' }, e.username ?? 'anonymous'),
    ...(excerpt ? [h('q', {}, excerpt)] : []),
  );
}

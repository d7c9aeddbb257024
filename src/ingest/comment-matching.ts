// Which comments of a note are not stored yet, and the sequence_action each new one gets.
//
// Rule: an incoming comment is already stored when the note has a stored comment with the same
// action, time (to the second) and user (anonymous matches anonymous). Matching counts: the k-th
// incoming comment with a given key matches the k-th stored one, so a genuine repeat (two
// identical comments in the same second) is kept. New comments are numbered after the note's
// highest stored sequence_action, in document order. The sources only ever append to a note's
// history, so in practice the new comments are exactly the tail the database has not seen.
import type { IncomingComment } from './model.ts';

export interface StoredComment {
  note_id: number;
  sequence_action: number;
  event: string;
  /** 'YYYY-MM-DDTHH:MM:SSZ', as the writer formats timestamps. */
  created_at: string;
  id_user: number | null;
}

export interface NewComment {
  comment: IncomingComment;
  sequenceAction: number;
}

const keyOf = (event: string, time: string, user: number | null) => `${event}|${time}|${user ?? ''}`;

export function newComments(incoming: readonly IncomingComment[], stored: readonly StoredComment[]): NewComment[] {
  const unmatched = new Map<string, number>();
  let lastSequence = 0;
  for (const s of stored) {
    const key = keyOf(s.event, s.created_at, s.id_user);
    unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
    if (s.sequence_action > lastSequence) lastSequence = s.sequence_action;
  }
  const fresh: NewComment[] = [];
  for (const comment of incoming) {
    const key = keyOf(comment.action, comment.timestamp, comment.uid);
    const left = unmatched.get(key) ?? 0;
    if (left > 0) unmatched.set(key, left - 1);
    else fresh.push({ comment, sequenceAction: ++lastSequence });
  }
  return fresh;
}

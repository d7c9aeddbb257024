// The shape every ingestion source (planet dump, OSM API, generator) produces and the writer
// stores. Timestamps are normalised UTC strings ('2024-05-01T10:20:30Z'): PostgreSQL parses
// them, and keeping them as strings avoids a Date per comment on the hot path.

export const NOTE_ACTIONS = ['opened', 'commented', 'closed', 'reopened', 'hidden'] as const;
export type NoteAction = (typeof NOTE_ACTIONS)[number];

/** notes.status in the database (OSM says "closed", OSM-Notes-Ingestion stores 'close'). */
export type NoteStatus = 'open' | 'close' | 'hidden';

export interface IncomingComment {
  action: NoteAction;
  timestamp: string;
  /** null for anonymous comments. */
  uid: number | null;
  user: string | null;
  /** '' when the comment has no text. */
  text: string;
}

export interface IncomingNote {
  id: number;
  lat: number;
  lon: number;
  createdAt: string;
  closedAt: string | null;
  /** As the source states it; null when the source does not say (planet dumps). */
  status: NoteStatus | null;
  /** In document order, which is the order of sequence_action. */
  comments: IncomingComment[];
}

/**
 * The status a note has after its actions: the last opened/closed/reopened/hidden decides;
 * without one, closed_at decides.
 */
export function statusOf(note: IncomingNote): NoteStatus {
  if (note.status) return note.status;
  for (let i = note.comments.length - 1; i >= 0; i--) {
    const action = note.comments[i]!.action;
    if (action === 'hidden') return 'hidden';
    if (action === 'closed') return 'close';
    if (action === 'opened' || action === 'reopened') return 'open';
  }
  return note.closedAt ? 'close' : 'open';
}

/** The latest time anything happened to the note (OSM's updated_at). */
export function lastActionAt(note: IncomingNote): string {
  let latest = note.closedAt && note.closedAt > note.createdAt ? note.closedAt : note.createdAt;
  for (const comment of note.comments) if (comment.timestamp > latest) latest = comment.timestamp;
  return latest;
}

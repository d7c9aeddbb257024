// Parser for OSM API 0.6 notes answers (notes/search.xml and friends):
//   <osm><note lon lat><id/><date_created/><status/><date_closed/>
//     <comments><comment><date/><uid/><user/><action/><text/>…</comment></comments></note></osm>
// Answers are at most a few MB, so this parses a whole string and either returns every note or
// throws: a malformed answer is never half used.
import type { SaxesTagPlain } from 'saxes';
import {
  parseAction,
  parseApiStatus,
  parseApiTimestamp,
  parseId,
  parseLatitude,
  parseLongitude,
} from './fields.ts';
import { FieldError } from './input-error.ts';
import type { IncomingComment, IncomingNote, NoteStatus } from './model.ts';
import { withNoteId } from './planet-parser.ts';
import { XmlReader } from './xml-reader.ts';

interface NoteDraft {
  line: number;
  id?: number;
  lat: number;
  lon: number;
  createdAt?: string;
  closedAt: string | null;
  status?: NoteStatus;
  comments: IncomingComment[];
}

type CommentDraft = Partial<IncomingComment> & { line: number };

export function parseApiNotes(xml: string, source: string): IncomingNote[] {
  const notes: IncomingNote[] = [];
  const path: string[] = [];
  let note: NoteDraft | undefined;
  let comment: CommentDraft | undefined;
  let text = '';

  const reader: XmlReader = new XmlReader(source, {
    open(tag: SaxesTagPlain) {
      if (path.length === 0 && tag.name !== 'osm') {
        throw new FieldError(`expected the OSM API root element <osm>, found <${tag.name}>`);
      }
      path.push(tag.name);
      text = '';
      const where = path.join('/');
      if (where === 'osm/note') {
        note = {
          line: reader.line,
          lat: parseLatitude(tag.attributes.lat),
          lon: parseLongitude(tag.attributes.lon),
          closedAt: null,
          comments: [],
        };
      } else if (where === 'osm/note/comments/comment') {
        comment = { line: reader.line, text: '' };
      }
    },
    text(chunk: string) {
      text += chunk;
    },
    close(name: string) {
      const where = path.join('/');
      path.pop();
      if (note && where.startsWith('osm/note/comments/comment')) {
        if (where === 'osm/note/comments/comment') {
          const draft = comment!;
          note.comments.push(note.id ? withNoteId(note.id, () => finishComment(draft)) : finishComment(draft));
          comment = undefined;
        } else if (comment) {
          readCommentField(comment, name, text);
        }
      } else if (note && where === 'osm/note') {
        notes.push(finishNote(note));
        note = undefined;
      } else if (note) {
        readNoteField(note, where, text);
      }
    },
  });
  reader.write(xml);
  reader.end();
  return notes;
}

function readNoteField(note: NoteDraft, where: string, text: string): void {
  switch (where) {
    case 'osm/note/id':
      note.id = parseId(text, 'note id');
      break;
    case 'osm/note/date_created':
      note.createdAt = parseApiTimestamp(text, 'date_created');
      break;
    case 'osm/note/date_closed':
      note.closedAt = parseApiTimestamp(text, 'date_closed');
      break;
    case 'osm/note/status':
      note.status = parseApiStatus(text);
      break;
  }
}

function readCommentField(comment: CommentDraft, name: string, text: string): void {
  switch (name) {
    case 'date':
      comment.timestamp = parseApiTimestamp(text, 'comment date');
      break;
    case 'uid':
      comment.uid = parseId(text, 'uid');
      break;
    case 'user':
      comment.user = text;
      break;
    case 'action':
      comment.action = parseAction(text);
      break;
    case 'text':
      comment.text = text;
      break;
  }
}

function finishComment(draft: CommentDraft): IncomingComment {
  if (!draft.action) throw new FieldError(`comment at line ${draft.line} has no <action>`);
  if (!draft.timestamp) throw new FieldError(`comment at line ${draft.line} has no <date>`);
  const uid = draft.uid ?? null;
  if (uid !== null && !draft.user) throw new FieldError(`comment by uid ${uid} has no <user>`);
  return { action: draft.action, timestamp: draft.timestamp, uid, user: uid === null ? null : draft.user!, text: draft.text ?? '' };
}

function finishNote(draft: NoteDraft): IncomingNote {
  if (draft.id === undefined) throw new FieldError(`note at line ${draft.line} has no <id>`);
  const id = draft.id;
  return withNoteId(id, () => {
    if (!draft.createdAt) throw new FieldError('no <date_created>');
    if (!draft.status) throw new FieldError('no <status>');
    return {
      id,
      lat: draft.lat,
      lon: draft.lon,
      createdAt: draft.createdAt,
      closedAt: draft.closedAt,
      status: draft.status,
      comments: draft.comments,
    };
  });
}

// Push parser for the OSM planet notes dump:
//   <osm-notes><note id lat lon created_at [closed_at]>
//     <comment action timestamp [uid user]>text</comment>…</note>…</osm-notes>
// Feed it text with write(); completed notes queue up until take(). Memory holds one note plus
// what the caller has not taken, so a dump of any size parses in constant memory. A comment's
// text is cut at `maxCommentLength` characters (code points); what is cut is counted, and never
// more than twice the cap is held.
import type { SaxesTagPlain } from 'saxes';
import { parseAction, parseId, parseIsoTimestamp, parseLatitude, parseLongitude } from './fields.ts';
import { codePoints, cutToCharacters } from './comment-length.ts';
import { FieldError } from './input-error.ts';
import type { IncomingComment, IncomingNote } from './model.ts';
import { XmlReader } from './xml-reader.ts';

export class PlanetDumpParser {
  private readonly reader: XmlReader;
  private ready: IncomingNote[] = [];
  private readyLines: number[] = [];
  private note: IncomingNote | undefined;
  private comment: IncomingComment | undefined;
  private rootSeen = false;
  /** Depth inside elements we do not know (skipped with their content). */
  private unknownDepth = 0;
  private commentsRead = 0;
  private readonly maxCommentLength: number;
  /** Characters of the current comment dropped before its end (beyond twice the cap). */
  private dropped = 0;
  /** Comments cut to maxCommentLength, and the characters cut from them. */
  readonly cut = { comments: 0, characters: 0 };

  constructor(source: string, options: { maxCommentLength?: number } = {}) {
    this.maxCommentLength = options.maxCommentLength ?? Number.POSITIVE_INFINITY;
    this.reader = new XmlReader(source, {
      open: (tag) => this.open(tag),
      close: (name) => this.close(name),
      text: (text) => {
        if (this.comment && this.unknownDepth === 0) this.addText(this.comment, text);
      },
    });
  }

  write(chunk: string): void {
    this.reader.write(chunk);
  }

  end(): void {
    this.reader.end();
  }

  /** The notes completed since the last call, and the line each one ended on. */
  take(): { notes: IncomingNote[]; lines: number[] } {
    const taken = { notes: this.ready, lines: this.readyLines };
    this.ready = [];
    this.readyLines = [];
    return taken;
  }

  get comments(): number {
    return this.commentsRead;
  }

  private open(tag: SaxesTagPlain): void {
    if (!this.rootSeen) {
      if (tag.name !== 'osm-notes') {
        throw new FieldError(`expected the planet notes root element <osm-notes>, found <${tag.name}>`);
      }
      this.rootSeen = true;
      return;
    }
    if (this.unknownDepth > 0) {
      this.unknownDepth++;
    } else if (tag.name === 'note' && !this.note) {
      this.note = readNote(tag.attributes);
    } else if (tag.name === 'comment' && this.note && !this.comment) {
      this.comment = withNoteId(this.note.id, () => readComment(tag.attributes));
    } else if (tag.name === 'note' || tag.name === 'comment') {
      throw new FieldError(`<${tag.name}> is not allowed here`);
    } else {
      this.unknownDepth = 1;
    }
  }

  /** Appends text, holding at most twice the cap in UTF-16 units (enough for the cap in code points). */
  private addText(comment: IncomingComment, text: string): void {
    const room = 2 * this.maxCommentLength - comment.text.length;
    if (text.length <= room) {
      comment.text += text;
      return;
    }
    const kept = Math.max(0, room);
    comment.text += text.slice(0, kept);
    this.dropped += codePoints(text.slice(kept));
  }

  private capText(comment: IncomingComment): void {
    const { text, cut } = cutToCharacters(comment.text, this.maxCommentLength);
    if (cut === 0 && this.dropped === 0) return;
    comment.text = text;
    this.cut.comments++;
    this.cut.characters += cut + this.dropped;
    this.dropped = 0;
  }

  private close(name: string): void {
    if (this.unknownDepth > 0) {
      this.unknownDepth--;
    } else if (name === 'comment' && this.comment) {
      this.capText(this.comment);
      this.note!.comments.push(this.comment);
      this.comment = undefined;
      this.commentsRead++;
    } else if (name === 'note' && this.note) {
      this.ready.push(this.note);
      this.readyLines.push(this.reader.line);
      this.note = undefined;
    }
  }
}

/** Prefixes a field problem with the note it belongs to. */
export function withNoteId<T>(id: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FieldError) throw new FieldError(`note ${id}: ${error.message}`);
    throw error;
  }
}

function readNote(attributes: Record<string, string>): IncomingNote {
  const id = parseId(attributes.id, 'note id');
  return withNoteId(id, () => ({
    id,
    lat: parseLatitude(attributes.lat),
    lon: parseLongitude(attributes.lon),
    createdAt: parseIsoTimestamp(attributes.created_at, 'created_at'),
    closedAt: attributes.closed_at ? parseIsoTimestamp(attributes.closed_at, 'closed_at') : null,
    status: null,
    comments: [],
  }));
}

function readComment(attributes: Record<string, string>): IncomingComment {
  const action = parseAction(attributes.action);
  const timestamp = parseIsoTimestamp(attributes.timestamp, 'comment timestamp');
  // A uid makes a comment a user's; without one it is anonymous, whatever else it says.
  if (attributes.uid === undefined || attributes.uid === '') return { action, timestamp, uid: null, user: null, text: '' };
  const uid = parseId(attributes.uid, 'uid');
  if (!attributes.user) throw new FieldError(`comment by uid ${uid} has no user name`);
  return { action, timestamp, uid, user: attributes.user, text: '' };
}

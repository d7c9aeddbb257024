// Writes synthetic notes as a planet notes dump (the format `import` reads), streaming with
// backpressure so a dump of millions of comments needs no memory. A name ending in .bz2 is
// compressed by the system's bzip2 (only the benchmark needs that; the import decodes bzip2
// itself, from npm).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { IncomingNote } from '../model.ts';
import { generateNotes, type GenerateOptions } from './synthetic-notes.ts';

export interface DumpWritten {
  notes: number;
  comments: number;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** One <note> element of the planet dump. */
export function noteXml(note: IncomingNote): string {
  const closed = note.closedAt ? ` closed_at="${note.closedAt}"` : '';
  let xml = `<note id="${note.id}" lat="${note.lat}" lon="${note.lon}" created_at="${note.createdAt}"${closed}>\n`;
  for (const c of note.comments) {
    const user = c.uid === null ? '' : ` uid="${c.uid}" user="${escapeAttribute(c.user!)}"`;
    xml += `  <comment action="${c.action}" timestamp="${c.timestamp}"${user}>${escapeText(c.text)}</comment>\n`;
  }
  return `${xml}</note>\n`;
}

async function openOutput(path: string): Promise<{ out: Writable; done: () => Promise<void> }> {
  const file = createWriteStream(path);
  if (!path.endsWith('.bz2')) {
    return { out: file, done: async () => void (await once(file.end(), 'finish')) };
  }
  const bzip2 = spawn('bzip2', ['-c'], { stdio: ['pipe', 'pipe', 'inherit'] });
  bzip2.stdout.pipe(file);
  const exited = once(bzip2, 'exit') as Promise<[number | null]>;
  return {
    out: bzip2.stdin,
    done: async () => {
      bzip2.stdin.end();
      const [code] = await exited;
      if (code !== 0) throw new Error(`bzip2 exited with ${code}`);
      if (!file.writableFinished) await once(file, 'finish');
    },
  };
}

/** Writes a planet-format dump of generated notes; `comments` (or `notes`) sets its size. */
export async function writeDump(path: string, options: GenerateOptions): Promise<DumpWritten> {
  const { out, done } = await openOutput(path);
  const written: DumpWritten = { notes: 0, comments: 0 };
  let buffer = '<?xml version="1.0" encoding="UTF-8"?>\n<osm-notes>\n';
  for (const note of generateNotes(options)) {
    buffer += noteXml(note);
    written.notes++;
    written.comments += note.comments.length;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.write(`${buffer}</osm-notes>\n`);
  await done();
  return written;
}

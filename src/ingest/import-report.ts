// The words of the import command: a progress line for terminals and the final summary.
import { basename } from 'node:path';
import type { ImportAnomalies, ImportProgress, ImportSummary } from './import-dump.ts';
import { IngestInputError } from './input-error.ts';

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const perSecond = (n: number, ms: number) => (ms > 0 ? count((n * 1000) / ms) : '0');

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} kB`;
}

export function formatProgress(file: string, p: ImportProgress): string {
  const share = p.totalBytes > 0 ? ` (${Math.floor((100 * p.bytesRead) / p.totalBytes)}%)` : '';
  return (
    `${basename(file)}: ${count(p.notesRead)} notes (${perSecond(p.notesRead, p.elapsedMs)}/s), ` +
    `${count(p.commentsRead)} comments (${perSecond(p.commentsRead, p.elapsedMs)}/s), ` +
    `${size(p.bytesRead)} of ${size(p.totalBytes)} read${share}, ${count(p.commentsStored)} comments stored`
  );
}

/** The lines printed after an import, complete or not. */
export function formatSummary(s: ImportSummary): string[] {
  const seconds = (s.elapsedMs / 1000).toFixed(1);
  const lines = [
    `${s.complete ? 'imported' : 'stopped importing'} ${s.file}: ` +
      `${count(s.notesStored)} notes stored (${count(s.notesInserted)} new, ${count(s.notesUpdated)} updated), ` +
      `${count(s.commentsInserted)} new comments of ${count(s.commentsStored)}; ` +
      `${size(s.bytesRead)} in ${seconds} s (${perSecond(s.commentsStored, s.elapsedMs)} comments/s, ` +
      `${perSecond(s.notesStored, s.elapsedMs)} notes/s); bulk mode ${s.bulk ? 'on' : 'off'}`,
  ];
  const warnings = anomalies(s);
  if (warnings.length > 0) lines.push(`warnings: ${warnings.join('; ')}`);
  if (!s.complete) {
    const where = s.error instanceof IngestInputError && s.error.line > 0 ? ` at line ${count(s.error.line)}` : '';
    const kept = s.lastStored
      ? `every note up to note ${s.lastStored.noteId} (line ${count(s.lastStored.line)}) is stored`
      : 'nothing was stored: the database is as before';
    lines.push(
      `stopped${where}: ${kept}; the ${count(s.notesRead - s.notesStored)} notes read after the last ` +
        `committed batch were not written. Fix the input and import it again: stored notes are left as they are.`,
    );
  }
  return lines;
}

/** What the input held that was not stored as it was, in words (none: an empty list). */
export function anomalies(s: ImportAnomalies): string[] {
  const words: string[] = [];
  if (s.duplicateNotes > 0) {
    const more = s.duplicateNotes > s.duplicateNoteIds.length ? ', …' : '';
    words.push(
      `${count(s.duplicateNotes)} note${s.duplicateNotes === 1 ? '' : 's'} appeared again later in the file and ` +
        `${s.duplicateNotes === 1 ? 'was' : 'were'} merged with the first (${s.duplicateNoteIds.join(', ')}${more})`,
    );
  }
  if (s.commentsTruncated > 0) {
    words.push(
      `${count(s.commentsTruncated)} comment${s.commentsTruncated === 1 ? '' : 's'} cut to MAX_COMMENT_LENGTH ` +
        `(${count(s.charactersCut)} characters dropped)`,
    );
  }
  if (s.replacedCharacters > 0) {
    words.push(`${count(s.replacedCharacters)} invalid UTF-8 sequence${s.replacedCharacters === 1 ? '' : 's'} stored as U+FFFD`);
  }
  return words;
}

// MAX_COMMENT_LENGTH, counted in characters (code points) as OSM counts them, for every way
// comments come in: planet dumps (planet-parser.ts) and the OSM API (api-poller.ts).
import type { IncomingNote } from './model.ts';

/** Characters (code points) of a string: UTF-16 units less the second halves of pairs. */
export function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) pairs++;
  }
  return text.length - pairs;
}

/** Comments cut, and the characters cut from them. */
export interface CutCounts {
  comments: number;
  characters: number;
}

/** The text cut to `max` characters, and how many were cut (0: the text as it was). */
export function cutToCharacters(text: string, max: number): { text: string; cut: number } {
  // A text no longer than `max` UTF-16 units has no more than `max` characters.
  if (text.length <= max || codePoints(text) <= max) return { text, cut: 0 };
  const characters = Array.from(text);
  return { text: characters.slice(0, max).join(''), cut: characters.length - max };
}

/** Cuts the notes' comment texts to `max` characters, in place; returns what was cut. */
export function capCommentTexts(notes: IncomingNote[], max: number): CutCounts {
  const counts: CutCounts = { comments: 0, characters: 0 };
  for (const note of notes) {
    for (const comment of note.comments) {
      const { text, cut } = cutToCharacters(comment.text, max);
      if (cut === 0) continue;
      comment.text = text;
      counts.comments++;
      counts.characters += cut;
    }
  }
  return counts;
}

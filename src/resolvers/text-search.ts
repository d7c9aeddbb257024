// Full-text search in the texts of note actions (public.note_comments_text.body), shared by the
// notes and facts filters. Matching runs on the GIN index note_comments_text_body_search_idx
// over to_tsvector('simple', body): the expression below must stay exactly the indexed one, or
// PostgreSQL falls back to reading every text.
//
// Why 'simple': OSM notes are written in every language, and a note does not say which. A
// language configuration ('english', 'german', …) would stem and drop stop words by the rules of
// one language, mangling the others ("die" is a stop word in German, a verb in English). 'simple'
// only splits words and lower-cases them, the same for every language: a search finds the word
// forms it was given, in any case, without stemming or accent folding.
import { sql, type SQL } from 'drizzle-orm';
import { UserInputError } from '../errors.ts';

/** Words to look for: every one of `all` and at least one of `any` (either or both given). */
export interface TextSearch {
  all?: readonly string[] | null;
  any?: readonly string[] | null;
}

export const MAX_SEARCH_WORDS = 20;
export const MAX_SEARCH_WORD_LENGTH = 100;

/** The indexed expression of a text row aliased `alias`. */
export function searchVector(alias: string): SQL {
  return sql`to_tsvector('simple', ${sql.raw(alias)}.body)`;
}

/**
 * The tsquery of a search, or null when none is given. Each word is read by plainto_tsquery,
 * so punctuation and operators in it are plain text, never query syntax.
 */
export function searchQuery(search: TextSearch | null | undefined, argument: string): SQL | null {
  if (!search) return null;
  const all = checkWords(search.all, `${argument}.all`);
  const any = checkWords(search.any, `${argument}.any`);
  if (!all && !any) {
    throw new UserInputError(`${argument} needs words in all or any`, argument, search);
  }
  const word = (w: string) => sql`plainto_tsquery('simple', ${w})`;
  const parts: SQL[] = [];
  if (all) parts.push(sql`(${sql.join(all.map(word), sql` && `)})`);
  if (any) parts.push(sql`(${sql.join(any.map(word), sql` || `)})`);
  return sql.join(parts, sql` && `);
}

function checkWords(words: readonly string[] | null | undefined, argument: string): string[] | null {
  if (words == null) return null;
  if (words.length === 0) throw new UserInputError(`${argument} is empty; give at least one word or leave it out`, argument, words);
  if (words.length > MAX_SEARCH_WORDS) {
    throw new UserInputError(`${argument} has ${words.length} words; at most ${MAX_SEARCH_WORDS} are allowed`, argument, words.length);
  }
  return words.map((word) => {
    const trimmed = word.trim();
    if (trimmed.length > MAX_SEARCH_WORD_LENGTH) {
      throw new UserInputError(`${argument}: a word is longer than ${MAX_SEARCH_WORD_LENGTH} characters`, argument, word);
    }
    // plainto_tsquery keeps letters and digits only: a word without any would match nothing.
    if (!/[\p{L}\p{N}]/u.test(trimmed)) {
      throw new UserInputError(`${argument}: ${JSON.stringify(word)} has no letter or digit to search for`, argument, word);
    }
    return trimmed;
  });
}

/** Notes (aliased `n`) with at least one text that matches. */
export function notesMatching(query: SQL): SQL {
  return sql`n.note_id IN (SELECT t.note_id FROM public.note_comments_text t WHERE ${searchVector('t')} @@ (${query}))`;
}

/** Facts (aliased `f`) whose own text matches. */
export function factsMatching(query: SQL): SQL {
  return sql`(f.id_note, f.sequence_action) IN (
    SELECT t.note_id, t.sequence_action FROM public.note_comments_text t WHERE ${searchVector('t')} @@ (${query}))`;
}

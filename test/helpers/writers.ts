import { connectClient } from '../../src/db/client.ts';

const ACTIONS = ['commented', 'closed', 'reopened', 'commented', 'closed'] as const;

/**
 * Inserts `comments` comments from `writers` concurrent connections, each transaction a new
 * note with 1–5 actions (opened, then a realistic sequence), users from a small pool and some
 * hashtags. Resolves with the number of comments written. Note ids start at `firstNoteId`.
 */
export async function writeConcurrently(
  url: string,
  options: { writers: number; comments: number; firstNoteId?: number; onProgress?: (written: number) => void },
): Promise<number> {
  let nextNote = options.firstNoteId ?? 1_000_000;
  let remaining = options.comments;
  let written = 0;
  const writer = async (w: number) => {
    const client = await connectClient(url, `test writer ${w}`);
    try {
      await client.query(
        `INSERT INTO users (user_id, username) SELECT u, 'writer' || u FROM generate_series(1, 50) u ON CONFLICT DO NOTHING`,
      );
      while (remaining > 0) {
        const count = Math.min(remaining, 1 + ((nextNote * 7) % 5));
        remaining -= count;
        const note = nextNote++;
        const seqs = Array.from({ length: count }, (_, i) => i + 1);
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO notes (note_id, latitude, longitude, created_at, id_country)
           VALUES ($1, 48.85, 2.35, now(), (SELECT country_id FROM countries WHERE iso_a2 = $2))`,
          [note, ['FR', 'DE', 'US', 'JP', 'ZZ'][note % 5]],
        );
        await client.query(
          `INSERT INTO note_comments (note_id, sequence_action, event, created_at, id_user)
           SELECT $1::int, s, (CASE WHEN s = 1 THEN 'opened' ELSE ($2::text[])[s - 1] END)::note_event_enum,
                  now() + s * interval '1 hour', CASE WHEN s % 3 = 0 THEN NULL ELSE 1 + ($1::int + s) % 50 END
           FROM unnest($3::int[]) s`,
          [note, ACTIONS, seqs],
        );
        await client.query(
          `INSERT INTO note_comments_text (note_id, sequence_action, body)
           SELECT $1::int, s, 'note ' || $1::int || ' action ' || s || CASE WHEN s = 1 THEN ' #load via StreetComplete 60.1' ELSE '' END
           FROM unnest($2::int[]) s`,
          [note, seqs],
        );
        await client.query('COMMIT');
        written += count;
        options.onProgress?.(written);
      }
    } finally {
      await client.end();
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)));
  return written;
}

// Opens a planet dump for streaming: plain XML or bzip2 (recognised by its magic bytes, not the
// file name), decoded to UTF-8 text in chunks, with the count of file bytes read for progress.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import unbzip2Stream from 'unbzip2-stream';
import { IngestInputError } from './input-error.ts';

export interface DumpSource {
  /** UTF-8 text chunks, paused while the consumer awaits (backpressure). */
  chunks: AsyncIterable<string>;
  /** File bytes read so far (compressed bytes for .bz2). */
  bytesRead(): number;
  size: number;
  compressed: boolean;
  /** Releases the file early (after an error). */
  close(): void;
  /** Invalid UTF-8 sequences read so far, each replaced by U+FFFD. */
  replacedCharacters(): number;
}

// 64 KiB: saxes is markedly slower (and allocates more) on larger chunks (measured).
const CHUNK_BYTES = 1 << 16;

async function startsWithBzip2Magic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(3);
    const { bytesRead } = await handle.read(head, 0, 3, 0);
    return bytesRead === 3 && head.toString('latin1') === 'BZh';
  } finally {
    await handle.close();
  }
}

export async function openDumpSource(file: string): Promise<DumpSource> {
  const info = await stat(file);
  if (!info.isFile()) throw new IngestInputError(file, 0, 0, 'not a file');
  const { size } = info;
  const compressed = await startsWithBzip2Magic(file);
  const input = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let text: NodeJS.ReadableStream & { destroy(error?: Error): void };
  if (compressed) {
    // Piped by hand rather than with pipeline(): the decoder's errors must reach the reader
    // as an input error naming the file, not as the decoder's own words alone.
    const decoder = unbzip2Stream();
    const output = new PassThrough({ highWaterMark: CHUNK_BYTES });
    input.on('error', (error) => output.destroy(error));
    decoder.on('error', (error: Error) => {
      input.destroy();
      output.destroy(new IngestInputError(file, 0, 0, `not valid bzip2 data (${error.message || 'corrupt'})`));
    });
    input.pipe(decoder).pipe(output);
    text = output;
  } else {
    text = input;
  }
  const decoded = decodeUtf8(text as AsyncIterable<Buffer>);
  // Errors can come before the reader starts iterating (a corrupt .bz2 fails at once); the
  // iterator still throws them, this only keeps them from being "unhandled" until then.
  text.on('error', () => {});
  return {
    chunks: decoded.chunks,
    replacedCharacters: decoded.replaced,
    bytesRead: () => input.bytesRead,
    size,
    compressed,
    close: () => {
      input.destroy();
      text.destroy();
    },
  };
}

const REPLACEMENT = '\uFFFD';
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT);

/**
 * UTF-8 bytes to text, invalid sequences replaced by U+FFFD as before, but counted: the
 * replacement characters the decoder wrote, less those the input itself contained.
 */
function decodeUtf8(bytes: AsyncIterable<Buffer>): { chunks: AsyncIterable<string>; replaced: () => number } {
  let replaced = 0;
  async function* chunks(): AsyncIterable<string> {
    const decoder = new TextDecoder('utf-8');
    let tail: Buffer = Buffer.alloc(0);
    for await (const chunk of bytes) {
      const text = decoder.decode(chunk, { stream: true });
      // A sequence split across chunks is found in the tail of the previous one and this one.
      const joined: Buffer = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      replaced += occurrences(text, REPLACEMENT) - bufferOccurrences(joined, REPLACEMENT_BYTES);
      tail = joined.subarray(Math.max(0, joined.length - (REPLACEMENT_BYTES.length - 1)));
      if (text) yield text;
    }
    const rest = decoder.decode();
    replaced += occurrences(rest, REPLACEMENT);
    if (rest) yield rest;
  }
  return { chunks: chunks(), replaced: () => replaced };
}

function occurrences(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function bufferOccurrences(buffer: Buffer, sequence: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(sequence); i >= 0; i = buffer.indexOf(sequence, i + 1)) n++;
  return n;
}

// Opens a planet dump for streaming: plain XML or bzip2 (recognised by its magic bytes, not the
// file name), decoded to UTF-8 text in chunks, with the count of file bytes read for progress.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, pipeline } from 'node:stream';
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
  const { size } = await stat(file);
  const compressed = await startsWithBzip2Magic(file);
  const input = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let text: NodeJS.ReadableStream & { destroy(error?: Error): void };
  if (compressed) {
    const output = new PassThrough({ highWaterMark: CHUNK_BYTES });
    pipeline(input, unbzip2Stream(), output, (error) => {
      if (error) output.destroy(new IngestInputError(file, 0, 0, `cannot decompress bzip2 data: ${describeBzip2(error)}`));
    });
    text = output;
  } else {
    text = input;
  }
  text.setEncoding('utf8');
  return {
    chunks: text as AsyncIterable<string>,
    bytesRead: () => input.bytesRead,
    size,
    compressed,
    close: () => {
      input.destroy();
      text.destroy();
    },
  };
}

function describeBzip2(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || 'corrupt data';
}

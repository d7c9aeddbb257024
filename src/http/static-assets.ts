// Files a page links under names that carry a hash of their content: a browser keeps them for
// a year (immutable) and gets them compressed (brotli or gzip, made once per file on first
// request, off the main thread). GraphiQL's bundle and the dashboard's use it.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** How hard to compress: the best ratio costs a few milliseconds on tens of kB, seconds on MBs. */
export interface Compression {
  brotliQuality: number;
  gzipLevel: number;
}

export const SMALL_FILES: Compression = { brotliQuality: 9, gzipLevel: 9 };

export interface StaticAsset {
  /** The URL path, e.g. /dashboard/assets/main.1a2b3c4d5e6f.js. */
  path: string;
  body: Buffer;
  type: string;
  etag: string;
  compression: Compression;
  encoded: Map<string, Promise<Buffer>>;
}

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);
const encoders: Record<string, (body: Buffer, compression: Compression) => Promise<Buffer>> = {
  br: (body, { brotliQuality }) =>
    compressBrotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body, { gzipLevel }) => compressGzip(body, { level: gzipLevel }),
};

/** `name.ext` under `prefix`, renamed `name.<hash>.ext` (the hash before the first dot's part). */
export function hashedAsset(prefix: string, name: string, body: Buffer | string, type: string, compression = SMALL_FILES): StaticAsset {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const dot = name.indexOf('.');
  return { path: `${prefix}${name.slice(0, dot)}.${hash}${name.slice(dot)}`, body: bytes, type, etag: `"${hash}"`, compression, encoded: new Map() };
}

export function chooseEncoding(header: string | string[] | undefined): string | undefined {
  const accepted = String(header ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, q]) => q === undefined || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([name]) => name!.toLowerCase());
  return ['br', 'gzip'].find((encoding) => accepted.includes(encoding));
}

/** Sends the asset, compressed when the client accepts it; 304 for a matching If-None-Match. */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, cacheControl = 'public, max-age=31536000, immutable'): void {
  const headers: Record<string, string> = { 'content-type': asset.type, 'cache-control': cacheControl, etag: asset.etag, vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  if (!encoding) {
    res.writeHead(200, { ...headers, 'content-length': String(asset.body.length) }).end(req.method === 'HEAD' ? undefined : asset.body);
    return;
  }
  let encoded = asset.encoded.get(encoding);
  if (!encoded) asset.encoded.set(encoding, (encoded = encoders[encoding]!(asset.body, asset.compression)));
  encoded.then(
    (body) => {
      res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    () => res.writeHead(500).end(),
  );
}

// One POST of a delivery, over node:http(s) with keep-alive connections: a timeout for the
// whole exchange, no redirects followed, each new connection's address checked by the target
// guard, and the answer classified for the retry policy.
import http from 'node:http';
import https from 'node:https';
import { describe } from '../errors.ts';
import { TargetRefusedError, type TargetGuard } from './target-guard.ts';

export type PostOutcome =
  | { kind: 'ok'; status: number }
  /** Worth trying again later: network errors, timeouts, 408, 429 and 5xx. */
  | { kind: 'retry'; status: number | null; error: string; retryAfter: string | null }
  /** Trying again will not help until someone changes something: other 4xx, redirects, refused targets. */
  | { kind: 'permanent'; status: number | null; error: string };

// Keep-alive pools: a webhook's requests follow each other, so its connection is reused.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 }),
};

/** How much of an error answer's body is kept for lastError. */
const ERROR_BODY_CHARS = 200;

export function postJson(
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  options: { guard: TargetGuard; timeoutMs: number; signal?: AbortSignal },
): Promise<PostOutcome> {
  try {
    options.guard.checkLiteral(url);
  } catch (error) {
    return Promise.resolve({ kind: 'permanent', status: null, error: describe(error) });
  }
  if (options.signal?.aborted) return Promise.resolve({ kind: 'retry', status: null, error: 'stopped', retryAfter: null });
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((settle) => {
    // One timer and one listener per request (AbortSignal.timeout and .any cost a fifth of the
    // delivery path's CPU in a profile at 600 requests/s).
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy(new Error('timeout'));
    }, options.timeoutMs);
    const stop = () => request.destroy(new Error('stopped'));
    options.signal?.addEventListener('abort', stop, { once: true });
    const resolve = (outcome: PostOutcome) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      settle(outcome);
    };
    const request = transport.request(url, {
      method: 'POST',
      agent: agents[url.protocol as 'http:' | 'https:'],
      lookup: options.guard.lookupFor(url.hostname),
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': 'notes-stream-webhooks',
        ...headers,
      },
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (text.length < ERROR_BODY_CHARS) text += chunk;
      });
      response.on('error', () => {});
      response.on('end', () => resolve(classify(status, response.headers, text)));
      // An aborted answer (timeout while the body streams) still has its status.
      response.on('aborted', () => resolve(classify(status, response.headers, text)));
    });
    request.on('error', (error) => {
      if (error instanceof TargetRefusedError) return resolve({ kind: 'permanent', status: null, error: error.message });
      resolve({ kind: 'retry', status: null, error: timedOut ? `no answer within ${options.timeoutMs} ms` : describe(error), retryAfter: null });
    });
    request.end(body);
  });
}

function classify(status: number, headers: http.IncomingHttpHeaders, body: string): PostOutcome {
  if (status >= 200 && status < 300) return { kind: 'ok', status };
  const detail = `HTTP ${status}${body ? `: ${body.slice(0, ERROR_BODY_CHARS).replace(/\s+/g, ' ').trim()}` : ''}`;
  if (status === 429 || status === 408 || status >= 500) {
    const retryAfter = typeof headers['retry-after'] === 'string' ? headers['retry-after'] : null;
    return { kind: 'retry', status, error: detail, retryAfter };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'permanent', status, error: `HTTP ${status} redirect to ${headers.location ?? '(no location)'}: redirects are not followed; register the final URL` };
  }
  return { kind: 'permanent', status, error: detail };
}

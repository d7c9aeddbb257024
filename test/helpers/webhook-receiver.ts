// A real HTTP receiver for webhook tests, on 127.0.0.1: it records every request, checks its
// signature with the webhook's secret (its own HMAC code, not the server's), and answers as the
// test tells it: 200, an error status (with Retry-After), or not at all (the port closed, so
// connections are refused).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (0: not yet, or the sender hung up before the answer). */
  status: number;
  /** The signature matched the webhook's secret and the timestamp is within 5 minutes. */
  signatureValid: boolean;
  at: number;
}

export type Answer = { status: number; retryAfter?: string } | 'ok';

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Secrets by webhook id (X-Notes-Stream-Webhook). */
  readonly secrets = new Map<string, string>();
  answer: Answer = 'ok';
  /** How long each answer waits (a slow receiver, to keep a backlog). */
  delayMs = 0;
  /** Requests being answered now, and the most at once so far. */
  private open = 0;
  maxConcurrent = 0;
  private server: Server | null = null;
  port = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The requests answered 2xx for one webhook, in arrival order. */
  accepted(webhookId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300 && r.headers['x-notes-stream-webhook'] === webhookId);
  }

  /** The parsed bodies of accepted() requests. */
  events<T = Record<string, unknown>>(webhookId: string): T[] {
    return this.accepted(webhookId).map((r) => JSON.parse(r.body) as T);
  }

  of(webhookId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['x-notes-stream-webhook'] === webhookId);
  }

  /** Closes the port and cuts open connections: deliveries meet "connection refused". */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.maxConcurrent = Math.max(this.maxConcurrent, ++this.open);
      res.on('close', () => this.open--);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = this.answer;
        const status = answer === 'ok' ? 200 : answer.status;
        const record: ReceivedRequest = { headers: req.headers, body, status: 0, signatureValid: this.verify(req.headers, body), at: Date.now() };
        this.requests.push(record);
        // The status counts once the answer is written; a sender that hung up first got none.
        res.on('finish', () => (record.status = status));
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (answer !== 'ok' && answer.retryAfter) headers['retry-after'] = answer.retryAfter;
        const respond = () => res.writeHead(status, headers).end(status < 300 ? 'ok' : `refused with ${status}`);
        if (this.delayMs > 0) setTimeout(respond, this.delayMs);
        else respond();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** The receiver's check, as docs/webhooks.md describes it. */
  private verify(headers: IncomingHttpHeaders, body: string): boolean {
    const secret = this.secrets.get(String(headers['x-notes-stream-webhook']));
    const timestamp = String(headers['x-notes-stream-timestamp']);
    const signature = String(headers['x-notes-stream-signature']);
    if (!secret || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  }
}

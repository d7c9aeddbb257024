// Webhook tests' shared steps: GraphQL calls with a token, registration into a receiver, the
// webhook's state, and notes that only one webhook follows.
import { expect } from 'vitest';
import { eventually } from './wait.ts';
import type { FixtureNote } from './notes.ts';
import { graphql } from './server.ts';
import type { WebhookReceiver } from './webhook-receiver.ts';

export const ADMIN = 'admin-token-for-webhook-tests';

export async function call<T = Record<string, unknown>>(url: string, token: string | null, query: string, variables?: Record<string, unknown>) {
  return graphql<T>(url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
}

/** Runs an operation that must succeed and returns its data. */
export async function ok<T = Record<string, unknown>>(url: string, token: string | null, query: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await call<T>(url, token, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

export const NOTE_QUERY =
  'subscription($filter: EventFilter) { noteEvent(filter: $filter) { cursor position noteId sequenceAction action text } }';

export type NoteEventBody = {
  data: { noteEvent: { cursor: string; position: number; noteId: number; sequenceAction: number; action: string; text: string | null } };
};

/** Registers a webhook into `receiver` (which learns its secret); returns its id. */
export async function register(
  serverUrl: string,
  receiver: WebhookReceiver,
  variables: Record<string, unknown>,
  options: { token?: string; query?: string; path?: string } = {},
): Promise<string> {
  const data = await ok<{ createWebhook: { secret: string; webhook: { id: string } } }>(
    serverUrl,
    options.token ?? ADMIN,
    `mutation($url: String!, $query: String!, $variables: JSONObject) {
       createWebhook(url: $url, query: $query, variables: $variables) { secret webhook { id } } }`,
    { url: receiver.url(options.path), query: options.query ?? NOTE_QUERY, variables },
  );
  const { secret, webhook } = data.createWebhook;
  expect(secret).toMatch(/^whsec_/);
  receiver.secrets.set(webhook.id, secret);
  return webhook.id;
}

export interface WebhookState {
  id: string;
  status: 'ACTIVE' | 'PAUSED';
  cursor: string;
  lag: number;
  lastError: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
  deliveries: number;
  failures: number;
  retries: number;
  pausedReason: string | null;
}

export async function state(serverUrl: string, id: string, token = ADMIN): Promise<WebhookState> {
  const data = await ok<{ webhook: WebhookState }>(
    serverUrl,
    token,
    `query($id: ID!) { webhook(id: $id) { id status cursor lag lastError failingSince consecutiveFailures deliveries failures retries pausedReason } }`,
    { id },
  );
  return data.webhook;
}

/** Waits until the webhook is paused (and `also` holds); returns its state. */
export async function untilPaused(serverUrl: string, id: string, also: (s: WebhookState) => boolean = () => true): Promise<WebhookState> {
  return eventually(
    async () => {
      const s = await state(serverUrl, id);
      return s.status === 'PAUSED' && also(s) && s;
    },
    { what: `webhook ${id} to pause` },
  );
}

let nextNote = 70_000;
/** A new note near Paris with one action per text (opened, then commented). */
export function note(texts: string[]): FixtureNote {
  return {
    id: nextNote++,
    lat: 48.85,
    lon: 2.35,
    comments: texts.map((text, i) => ({ action: i === 0 ? 'opened' : 'commented', at: `2025-03-01T10:00:0${i}Z`, text, uid: 42, user: 'mapper' })),
  };
}

/** (noteId, sequenceAction) pairs of delivered noteEvent bodies. */
export const actions = (bodies: NoteEventBody[]) => bodies.map((b) => [b.data.noteEvent.noteId, b.data.noteEvent.sequenceAction]);

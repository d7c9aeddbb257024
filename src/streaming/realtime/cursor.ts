import { UserInputError } from '../../errors.ts';

/**
 * Subscription cursors: the commit-ordered stream position of an event, opaque to clients.
 * noteEvent and factProcessed share the stream, so a cursor from one resumes the other.
 */
export function encodeStreamCursor(position: number): string {
  return Buffer.from(`pos:${position}`).toString('base64url');
}

export function decodeStreamCursor(cursor: string, argument = 'after'): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^pos:(\d{1,15})$/.exec(text);
  if (!match) {
    throw new UserInputError(`${argument} is not a cursor of this stream: ${JSON.stringify(cursor)}`, argument, cursor);
  }
  return Number(match[1]);
}

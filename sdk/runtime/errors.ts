// Errors the SDK throws: the server answered with GraphQL errors, or the WebSocket was closed
// for good (refused token, bad request, reconnection attempts used up).

/** A GraphQL error as the server sends it. */
export interface GraphQLErrorInfo {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** The operation ran (or was refused) with errors; `data` holds whatever the server returned. */
export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    readonly errors: readonly GraphQLErrorInfo[],
    readonly data: unknown = null,
    /** HTTP status, for queries and mutations. */
    readonly status?: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || 'the server answered without data');
  }

  /** `extensions.code` of the first error (BAD_USER_INPUT, FORBIDDEN, QUERY_TOO_COMPLEX, …). */
  get code(): string | undefined {
    const code = this.errors[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

/** The subscription's WebSocket closed and will not be reopened. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`the WebSocket closed with ${code}${reason ? ` (${reason})` : ''}${code === 4403 ? ': the subscription token was refused' : ''}`);
  }
}

/** Whatever graphql-ws hands a sink's error(): a close event, GraphQL errors or an Error. */
export function toSubscriptionError(error: unknown): Error {
  if (Array.isArray(error)) return new GraphQLRequestError(error as GraphQLErrorInfo[]);
  if (error instanceof Error) return error;
  if (isCloseEvent(error)) return new ConnectionClosedError(error.code, error.reason);
  return new Error(String(error));
}

export function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number' && 'reason' in value;
}

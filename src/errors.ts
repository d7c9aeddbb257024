/**
 * A problem with what the client asked for. The GraphQL layer shows its message and the
 * offending argument; every other error is masked (details go to the log).
 */
export class UserInputError extends Error {
  override name = 'UserInputError';
  constructor(
    message: string,
    readonly argument?: string,
    readonly value?: unknown,
  ) {
    super(message);
  }
}

/** A request that needs a token it does not carry; `client` is its address, for the log. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(
    message: string,
    readonly client?: string,
  ) {
    super(message);
  }
}

/** A subscription without SUBSCRIPTION_TOKEN on a server that has one (HTTP 401). */
export class UnauthorizedError extends ForbiddenError {
  override name = 'UnauthorizedError';
}

/** One line for a failure: the message, and the code for system errors (ECONNREFUSED, …). */
export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message || String(code);
  }
  return String(error);
}

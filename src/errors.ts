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

/** A request that needs a token it does not carry. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

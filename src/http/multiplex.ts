import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import { mapIterator } from '../streaming/iterators.ts';

/** What onSubscribe hands to execute/subscribe through rootValue: yoga's enveloped functions. */
export interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (args: ExecutionArgs) => unknown;
  /** The operation's source text: identical operations share their results. */
  query: string;
}

// Results per event object, per operation: subscribers of the same operation (and variables,
// `after` aside) get one execution per event instead of one each. Events are shared objects
// (the stream hub's), so a WeakMap lets them go with the hub's ring.
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function shareKey(root: EnvelopedRoot, args: ExecutionArgs): string {
  const { after: _after, ...variables } = (args.variableValues ?? {}) as Record<string, unknown>;
  return `${args.operationName ?? ''}\u0000${root.query}\u0000${JSON.stringify(variables)}`;
}

/**
 * graphql-js's subscribe (source stream, then one execute per event), with the execute step
 * shared by every subscriber of the same operation. The cursor in a result is the event's own,
 * so a subscriber's `after` does not change its results and is left out of the key. (graphql's
 * own execute: the enveloped one would start a new subscription for a subscription operation.)
 */
export async function multiplexedSubscribe(
  args: ExecutionArgs,
  maskError: (error: GraphQLError) => GraphQLError,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const root = args.rootValue as EnvelopedRoot;
  const source = await createSourceEventStream({ ...args, rootValue: undefined });
  if (!(Symbol.asyncIterator in source)) {
    // The subscribe resolver refused (bad arguments): the same masking as every other error.
    return { ...source, errors: source.errors?.map(maskError) };
  }
  const key = shareKey(root, args);
  const run = async (payload: unknown): Promise<ExecutionResult> => {
    const result = await execute({ ...args, rootValue: payload });
    return result.errors ? { ...result, errors: result.errors.map(maskError) } : result;
  };
  return mapIterator(source[Symbol.asyncIterator](), (payload) => {
    if (payload === null || typeof payload !== 'object') return run(payload);
    let byOperation = results.get(payload);
    if (!byOperation) results.set(payload, (byOperation = new Map()));
    let result = byOperation.get(key);
    if (!result) {
      result = run(payload);
      byOperation.set(key, result);
    }
    return result;
  }) as AsyncIterableIterator<ExecutionResult>;
}

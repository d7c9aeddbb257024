import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';
import { mapIterator } from '../iterators.ts';
import { QueuedIterator } from '../queued-iterator.ts';
import { deliverDirectly, type DeliveryTarget } from './direct-delivery.ts';

/** What onSubscribe hands to execute/subscribe through rootValue: yoga's enveloped functions. */
export interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (args: ExecutionArgs) => unknown;
  /** The operation's source text: identical operations share their results. */
  query: string;
  /** The WebSocket operation, when results may be framed onto it directly (see direct-delivery.ts). */
  target?: DeliveryTarget;
}

type Shared<T> = T | Promise<T>;

// Results per event object, per operation: subscribers of the same operation (and variables,
// `after` aside) get one execution per event instead of one each. Events are shared objects
// (the stream hub's), so WeakMaps let them go with the hub's ring.
const results = new WeakMap<object, Map<string, Shared<ExecutionResult>>>();
const payloads = new WeakMap<object, Map<string, Shared<Buffer>>>();

function shareKey(root: EnvelopedRoot, args: ExecutionArgs): string {
  const { after: _after, ...variables } = (args.variableValues ?? {}) as Record<string, unknown>;
  return `${args.operationName ?? ''}\u0000${root.query}\u0000${JSON.stringify(variables)}`;
}

function shared<T>(cache: WeakMap<object, Map<string, T>>, event: object, key: string, make: () => T): T {
  let byOperation = cache.get(event);
  if (!byOperation) cache.set(event, (byOperation = new Map()));
  let value = byOperation.get(key);
  if (value === undefined) byOperation.set(key, (value = make()));
  return value;
}

/**
 * graphql-js's subscribe (source stream, then one execute per event), with the execute step
 * shared by every subscriber of the same operation. The cursor in a result is the event's own,
 * so a subscriber's `after` does not change its results and is left out of the key. (graphql's
 * own execute: the enveloped one would start a new subscription for a subscription operation.)
 * Over a WebSocket, streams of the server's own queues are framed straight onto the socket,
 * from JSON also made once per event and operation.
 */
export async function multiplexedSubscribe(
  args: ExecutionArgs,
  maskError: (error: GraphQLError) => GraphQLError,
): Promise<AsyncIterableIterator<ExecutionResult> | AsyncIterableIterator<never> | ExecutionResult> {
  const root = args.rootValue as EnvelopedRoot;
  const source = await createSourceEventStream({ ...args, rootValue: undefined });
  if (!(Symbol.asyncIterator in source)) {
    // The subscribe resolver refused (bad arguments): the same masking as every other error.
    return { ...source, errors: source.errors?.map(maskError) };
  }
  const key = shareKey(root, args);
  const masked = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map(maskError) } : result;
  // Synchronous when every resolver is (the event types' are), so no promise per event.
  const run = (payload: unknown): Shared<ExecutionResult> => {
    const result = execute({ ...args, rootValue: payload });
    return result instanceof Promise ? result.then(masked) : masked(result);
  };
  const stream = source[Symbol.asyncIterator]();
  if (root.target && stream instanceof QueuedIterator) {
    return deliverDirectly(stream as QueuedIterator<object>, root.target, (event) =>
      shared(payloads, event, key, () => {
        const result = run(event);
        const encode = (r: ExecutionResult) => Buffer.from(JSON.stringify(r));
        return result instanceof Promise ? result.then(encode) : encode(result);
      }),
    );
  }
  return mapIterator(stream, (payload) =>
    payload === null || typeof payload !== 'object' ? run(payload) : shared(results, payload, key, () => run(payload)),
  ) as AsyncIterableIterator<ExecutionResult>;
}

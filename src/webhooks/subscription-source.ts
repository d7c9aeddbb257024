// A webhook's subscription, run the way a WebSocket subscription runs: graphql-js's source
// stream (the field's subscribe function: the same filters, the same stream hub, resumed with
// `after` at the webhook's cursor), then one execution per event. The body of a delivery is the
// JSON of that execution result, exactly what a WebSocket client receives in its `next`
// message; webhooks with the same document and variables share one execution and one JSON text
// per event.
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { encodeStreamCursor } from '../streaming/realtime/cursor.ts';
import type { StreamEvent } from '../streaming/realtime/stream-events.ts';

/** The variable through which the webhook's cursor reaches the field's `after` argument. */
export const AFTER_VARIABLE = 'notesStreamWebhookAfter';

/**
 * The document with `after: $notesStreamWebhookAfter` on its root field (the operation gains the
 * variable), so the server decides where delivery resumes and the stored document stays the
 * client's.
 */
export function withCursorArgument(document: DocumentNode, operationName: string | null): DocumentNode {
  const operation = getOperationAST(document, operationName);
  if (!operation) throw new Error('the webhook document has no such operation');
  const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: AFTER_VARIABLE } } as const;
  const [field, ...rest] = operation.selectionSet.selections;
  if (field?.kind !== Kind.FIELD) throw new Error('the webhook operation must select one field');
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []),
      { kind: Kind.VARIABLE_DEFINITION, variable, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } },
    ],
    selectionSet: {
      ...operation.selectionSet,
      selections: [
        {
          ...field,
          arguments: [
            ...(field.arguments ?? []).filter((a) => a.name.value !== 'after'),
            { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: variable },
          ],
        },
        ...rest,
      ],
    },
  };
  return { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) };
}

export interface SourceOptions {
  schema: GraphQLSchema;
  /** The document as withCursorArgument rewrote it, parsed once per webhook. */
  document: DocumentNode;
  /** The stored text: with the variables, the key under which executions are shared. */
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  /** The resolvers' context (src/schema/context.ts), opaque here: graphql hands it on. */
  context: object;
  /** Resume after this stream position. */
  after: number;
  maskError: (error: GraphQLError) => GraphQLError;
}

export interface Delivered {
  event: StreamEvent;
  body: Buffer;
}

// JSON per event object and operation (document, operation name, variables); events are the
// hub's shared objects, so the WeakMap lets them go with the hub's ring.
const bodies = new WeakMap<object, Map<string, Promise<Buffer>>>();

/**
 * The webhook's events with their bodies, or the errors that refused the subscription (a bad
 * filter, a cursor older than the outbox keeps).
 */
export async function openSource(options: SourceOptions): Promise<AsyncIterator<Delivered> & { close(): void } | readonly GraphQLError[]> {
  const variableValues = { ...options.variables, [AFTER_VARIABLE]: encodeStreamCursor(options.after) };
  const base = { schema: options.schema, document: options.document, operationName: options.operationName, contextValue: options.context };
  const source = await createSourceEventStream({ ...base, variableValues });
  if (!(Symbol.asyncIterator in source)) return (source.errors ?? []).map(options.maskError);
  const stream = source[Symbol.asyncIterator]() as AsyncIterator<StreamEvent>;
  const key = `${options.operationName ?? ''}\u0000${options.query}\u0000${JSON.stringify(options.variables)}`;
  const bodyOf = (event: StreamEvent): Promise<Buffer> => {
    let byOperation = bodies.get(event);
    if (!byOperation) bodies.set(event, (byOperation = new Map()));
    let body = byOperation.get(key);
    if (!body) {
      body = Promise.resolve(execute({ ...base, rootValue: event, variableValues })).then((result: ExecutionResult) =>
        Buffer.from(JSON.stringify(result.errors ? { ...result, errors: result.errors.map(options.maskError) } : result)),
      );
      byOperation.set(key, body);
    }
    return body;
  };
  return {
    async next(): Promise<IteratorResult<Delivered>> {
      const item = await stream.next();
      if (item.done) return { done: true, value: undefined };
      return { done: false, value: { event: item.value, body: await bodyOf(item.value) } };
    },
    close: () => void stream.return?.(),
  };
}

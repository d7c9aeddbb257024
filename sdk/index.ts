// The notes-stream SDK: the client runtime and every generated document and type.
// Regenerate the documents with `npm run codegen` after changing sdk/operations/*.graphql.
export { createNotesStreamClient, type NotesStreamClient, type NotesStreamClientOptions, type RequestOptions } from './runtime/client.ts';
export type { LiveSubscription, SubscribeOptions } from './runtime/live-subscription.ts';
export { ConnectionClosedError, GraphQLRequestError, type GraphQLErrorInfo } from './runtime/errors.ts';
export type { GeneratedDocument } from './runtime/documents.ts';
export * from './generated/graphql.ts';

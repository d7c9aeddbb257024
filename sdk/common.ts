// What both entry points export (index.ts for Node.js, browser.ts for browsers): the client's
// types, its errors and every generated document and type. Only createNotesStreamClient, which
// picks the WebSocket, differs between them.
export type { NotesStreamClient, NotesStreamClientOptions, RequestOptions } from './runtime/client.ts';
export type { LiveSubscription, SubscribeOptions } from './runtime/live-subscription.ts';
export { ConnectionClosedError, GraphQLRequestError, type GraphQLErrorInfo } from './runtime/errors.ts';
export type { GeneratedDocument } from './runtime/documents.ts';
export * from './generated/graphql.ts';

// Queries and mutations over GraphQL-over-HTTP (a POST per operation).
import { GraphQLRequestError, type GraphQLErrorInfo } from './errors.ts';

export interface HttpTransport {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}

export interface HttpRequest {
  query: string;
  operationName: string;
  variables: unknown;
  signal?: AbortSignal | undefined;
}

/** Posts the operation and returns its data; any GraphQL error is thrown as GraphQLRequestError. */
export async function postOperation<TResult>(transport: HttpTransport, request: HttpRequest): Promise<TResult> {
  const response = await transport.fetch(transport.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...transport.headers,
    },
    body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables ?? {} }),
    signal: request.signal ?? null,
  });
  const text = await response.text();
  let body: { data?: TResult | null; errors?: GraphQLErrorInfo[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new GraphQLRequestError([{ message: `HTTP ${response.status}: not a GraphQL response: ${text.slice(0, 200)}` }], null, response.status);
  }
  if (body.errors?.length || body.data == null) {
    throw new GraphQLRequestError(body.errors ?? [], body.data ?? null, response.status);
  }
  return body.data;
}

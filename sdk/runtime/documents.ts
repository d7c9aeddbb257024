// The shape of the documents codegen writes to sdk/generated/graphql.ts, and of variables.
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/** A generated document: its text, its result and variables types, and codegen's metadata. */
export interface GeneratedDocument<TResult, TVariables> extends DocumentTypeDecoration<TResult, TVariables> {
  toString(): string;
  __meta__?: Record<string, unknown> | undefined;
}

/**
 * The variables argument, followed by options: optional when the operation has no required
 * variable, required otherwise. Variables are never inferred from it, only from the document,
 * so a wrong or unknown variable is reported where it is written.
 */
export type VariablesAndOptions<TVariables, TOptions> =
  Record<string, never> extends TVariables
    ? [variables?: NoInfer<TVariables>, options?: TOptions]
    : [variables: NoInfer<TVariables>, options?: TOptions];

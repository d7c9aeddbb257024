// Yoga plugins that keep the public API safe: a token limit on documents, depth / breadth /
// complexity limits measured with the request's variables before anything runs, and a clear
// error (not a masked one) when an analytics query hits its statement timeout.
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { QueryTimeoutError } from '../resolvers/read-transaction.ts';

/**
 * Most lexical tokens a document may have. The GraphiQL introspection query has about 300,
 * the largest example about 150; the cap also bounds nesting long before the recursive
 * parser could run out of stack.
 */
export const MAX_TOKENS = 4_000;

/** Most fields selected in one operation (aliases count). */
export const MAX_BREADTH = 300;

/** Variable sets whose verdict is remembered per document (cursors make most sets unique). */
const VERDICTS_PER_DOCUMENT = 64;

type Limits = Pick<Config, 'MAX_QUERY_DEPTH' | 'MAX_QUERY_COMPLEXITY'>;

export function readApiPlugins(config: Limits, log: Logger): Plugin[] {
  return [tokenLimit(), queryLimits(config), analyticsTimeoutErrors(log)];
}

function tokenLimit(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => parseFn(source, { ...options, maxTokens: MAX_TOKENS }));
    },
  };
}

/**
 * Refused operations answer HTTP 400 with one error saying which limit and by how much. The
 * verdict depends on the document, the operation and the variables only (the limits are this
 * server's), so it is kept per parsed document (yoga reuses the parsed document of a repeated
 * query) for a few variable sets.
 */
function queryLimits(config: Limits): Plugin {
  const verdicts = new WeakMap<DocumentNode, Map<string, GraphQLError[]>>();
  const check = (args: ExecutionArgs) => {
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    let byVariables = verdicts.get(args.document);
    const known = byVariables?.get(key);
    if (known) return known;
    const errors = limitErrors(args.schema, args.document, args, config);
    if (!byVariables) verdicts.set(args.document, (byVariables = new Map()));
    if (byVariables.size < VERDICTS_PER_DOCUMENT) byVariables.set(key, errors);
    return errors;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

function limitErrors(schema: GraphQLSchema, document: DocumentNode, args: ExecutionArgs, config: Limits): GraphQLError[] {
  const rule = createComplexityRule({
    context: args.contextValue as object,
    variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
    operationName: args.operationName ?? undefined,
    // One error, the most telling first: depth explains a deep query better than its cost.
    validate: ({ depth, breadth, complexity }, report) => {
      if (depth > config.MAX_QUERY_DEPTH) {
        report(limitError(`the query is nested ${depth} levels deep; at most ${config.MAX_QUERY_DEPTH} are allowed`, 'QUERY_TOO_DEEP'));
      } else if (breadth > MAX_BREADTH) {
        report(limitError(`the query selects ${breadth} fields; at most ${MAX_BREADTH} are allowed`, 'QUERY_TOO_BROAD'));
      } else if (complexity > config.MAX_QUERY_COMPLEXITY) {
        report(
          limitError(
            `the query would cost ${complexity} (each field counts once per item of the pages around it); ` +
              `at most ${config.MAX_QUERY_COMPLEXITY} is allowed: ask for fewer items or fewer fields`,
            'QUERY_TOO_COMPLEX',
          ),
        );
      }
    },
  });
  return [...validate(schema, document, [rule])];
}

function limitError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** Replaces masked statement-timeout errors with ANALYTICS_TIMEOUT errors clients can act on. */
function analyticsTimeoutErrors(log: Logger): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (!result.errors?.some((e) => e.originalError instanceof QueryTimeoutError)) return;
            setResult({
              ...result,
              errors: result.errors.map((error) => {
                const timeout = error.originalError;
                if (!(timeout instanceof QueryTimeoutError)) return error;
                log.warn({ path: error.path, timeoutMs: timeout.timeoutMs }, 'analytics query timed out');
                return new GraphQLError(timeout.message, {
                  nodes: error.nodes,
                  path: error.path,
                  extensions: { code: 'ANALYTICS_TIMEOUT', timeoutMs: timeout.timeoutMs },
                });
              }),
            });
          });
        },
      };
    },
  };
}

// Yoga plugins that keep the public API safe: a token limit on documents, depth / breadth /
// complexity limits measured with the request's variables before anything runs, and a clear
// error (not a masked one) when an analytics query hits its statement timeout. This is the one
// cost model: it depends on the document, the operation and the variables (never on the data),
// counts introspection fields too, and runs once per operation before execution, over HTTP and
// over the WebSocket alike.
import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { QueryTimeoutError } from '../resolvers/read-transaction.ts';
import { introspectionMeasure } from './introspection-cost.ts';

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

export interface ReadApiLimits {
  plugins: Plugin[];
  /** The limit errors of an operation (none: it may run); for transports that bypass yoga's hooks. */
  check: (args: ExecutionArgs) => readonly GraphQLError[];
}

export function readApiLimits(config: Limits, log: Logger): ReadApiLimits {
  const limits = queryLimits(config, log);
  return { plugins: [tokenLimit(), limits.plugin, analyticsTimeoutErrors(log)], check: limits.check };
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
function queryLimits(config: Limits, log: Logger): { plugin: Plugin; check: (args: ExecutionArgs) => GraphQLError[] } {
  const verdicts = new WeakMap<DocumentNode, Map<string, GraphQLError[]>>();
  const check = (args: ExecutionArgs) => {
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    let byVariables = verdicts.get(args.document);
    const known = byVariables?.get(key);
    if (known) return known;
    const errors = limitErrors(args.schema, args.document, args, config);
    if (!byVariables) verdicts.set(args.document, (byVariables = new Map()));
    if (byVariables.size < VERDICTS_PER_DOCUMENT) byVariables.set(key, errors);
    // The client's mistake, not the server's: no stack, no error level.
    for (const error of errors) log.info({ code: error.extensions.code ?? 'BAD_REQUEST', ...(error.extensions.measured as object) }, `query refused: ${error.message}`);
    return errors;
  };
  const refuse = (args: ExecutionArgs, stop: (result: { errors: GraphQLError[] }) => void) => {
    const errors = check(args);
    if (errors.length > 0) stop({ errors: errors.map(publicError) });
  };
  return {
    check: (args) => check(args).map(publicError),
    plugin: {
      onExecute({ args, setResultAndStopExecution }) {
        refuse(args, setResultAndStopExecution);
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        refuse(args, setResultAndStopExecution);
      },
    },
  };
}

function limitErrors(schema: GraphQLSchema, document: DocumentNode, args: ExecutionArgs, config: Limits): GraphQLError[] {
  const operation = getOperationAST(document, args.operationName);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const introspection = operation ? introspectionMeasure(schema, operation, fragments) : { breadth: 0, complexity: 0 };
  const rule = createComplexityRule({
    context: args.contextValue as object,
    variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
    operationName: args.operationName ?? undefined,
    // One error, the most telling first: depth explains a deep query better than its cost.
    validate: (measured, report) => {
      const depth = measured.depth;
      const breadth = measured.breadth + introspection.breadth;
      const complexity = measured.complexity + introspection.complexity;
      if (depth > config.MAX_QUERY_DEPTH) {
        report(
          limitError(`the query is nested ${depth} levels deep; at most ${config.MAX_QUERY_DEPTH} are allowed`, 'QUERY_TOO_DEEP', {
            depth,
            limit: config.MAX_QUERY_DEPTH,
          }),
        );
      } else if (breadth > MAX_BREADTH) {
        report(
          limitError(`the query selects ${breadth} fields; at most ${MAX_BREADTH} are allowed`, 'QUERY_TOO_BROAD', {
            breadth,
            limit: MAX_BREADTH,
          }),
        );
      } else if (complexity > config.MAX_QUERY_COMPLEXITY) {
        report(
          limitError(
            `the query would cost ${complexity} (each field counts once per item of the pages around it); ` +
              `at most ${config.MAX_QUERY_COMPLEXITY} is allowed: ask for fewer items or fewer fields`,
            'QUERY_TOO_COMPLEX',
            { cost: complexity, limit: config.MAX_QUERY_COMPLEXITY },
          ),
        );
      }
    },
  });
  return [...validate(schema, document, [rule])];
}

/** What the client sees of a limit error: its code and figures, and HTTP 400. (Other reports of the rule, such as bad variables, as they are.) */
function publicError(error: GraphQLError): GraphQLError {
  const measured = error.extensions.measured as Record<string, number> | undefined;
  if (!measured) return error;
  return new GraphQLError(error.message, { extensions: { code: error.extensions.code, ...measured, http: { status: 400 } } });
}

function limitError(message: string, code: string, measured: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, measured } });
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

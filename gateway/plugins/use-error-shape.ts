/**
 * What an error may show a client. Upstream and validation errors are Switchboard's own, typed
 * GraphQL errors and pass as they are; an upstream's answer that breaks the contract is said as such
 * (contract-mismatch.ts); anything unexpected is masked to "Unexpected error." and
 * logged with its stack on the server, with the request id where the request is known. Every error has a code: graphql-js's input errors get
 * `BAD_USER_INPUT`. No response carries a stack, in any mode: Mesh adds one to
 * `extensions.originalError` outside production, which is taken out here.
 */
import { maskError as yogaMaskError, type MaskError, type Plugin } from 'graphql-yoga';
import { isAsyncIterable } from '@envelop/core';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { contractMismatch, type SourceOfField } from './contract-mismatch.js';

/** A later part of an answer in parts (`@defer`, `@stream`): the pieces it adds, each with its errors. */
interface IncrementalPayload extends ExecutionResult {
  incremental?: { errors?: readonly GraphQLError[] }[];
}

export interface ErrorShape {
  /** yoga's `maskedErrors.maskError`. */
  maskError: MaskError;
  plugin: Plugin;
}

/**
 * `report` is told of each unexpected error once, with the request id of the request it happened in
 * where the error came in an execution's result (a resolver's bug); one thrown by a plugin before
 * execution reaches only yoga's masking, which knows no request.
 */
export function createErrorShape(report: (error: unknown, requestId?: string) => void, sourceOf: SourceOfField = () => undefined): ErrorShape {
  const reported = new WeakSet<object>();
  const once = (error: unknown, requestId?: string) => {
    const cause = (error as GraphQLError).originalError ?? error;
    if (typeof cause === 'object' && cause !== null) {
      if (reported.has(cause)) return;
      reported.add(cause);
    }
    report(cause, requestId);
  };
  /** Private: what a client may see of an error, and whether it was unexpected. */
  const shown = (error: Error, message: string): { shown: Error; unexpected: boolean } => {
    const mismatch = error instanceof GraphQLError ? contractMismatch(error, sourceOf) : undefined;
    if (mismatch) return { shown: mismatch, unexpected: false };
    const masked = yogaMaskError(error, message, false);
    return { shown: masked, unexpected: masked !== error };
  };
  const clean = ({ result, setResult }: { result: ExecutionResult; setResult(result: ExecutionResult): void }, requestId: string | undefined) => {
    const parts = (result as IncrementalPayload).incremental;
    if (!result.errors?.length && !parts?.some((part) => part.errors?.length)) return;
    let cleaned = result;
    if (result.errors?.length) {
      // Before yoga masks them (its plugin comes after this one): here the request is known.
      for (const error of result.errors) if (shown(error, 'Unexpected error.').unexpected) once(error, requestId);
      if (result.errors.some((error) => error.extensions?.originalError || !error.extensions?.code)) {
        cleaned = { ...result, errors: result.errors.map((error) => withCode(withoutExtension(error, 'originalError'))) };
      }
    }
    // The parts a deferred fragment or a stream sends later: yoga's masking does not reach them, so they are masked here.
    if (parts?.some((part) => part.errors?.length)) {
      const masked = (error: GraphQLError) => {
        const { shown: answer, unexpected } = shown(error, 'Unexpected error.');
        if (unexpected) once(error, requestId);
        return withCode(withoutExtension(answer as GraphQLError, 'originalError'));
      };
      cleaned = { ...cleaned, incremental: parts.map((part) => (part.errors?.length ? { ...part, errors: part.errors.map(masked) } : part)) } as ExecutionResult;
    }
    if (cleaned !== result) setResult(cleaned);
  };
  const requestIdOf = (context: unknown) => (context as { request?: Request } | undefined)?.request?.headers.get('x-request-id') ?? undefined;
  return {
    maskError(error, message) {
      const { shown: answer, unexpected } = shown(error as Error, message);
      if (unexpected) once(error);
      return answer;
    },
    plugin: {
      onExecute: ({ args }) => ({
        onExecuteDone(done) {
          const requestId = requestIdOf(args.contextValue);
          // A query with @defer or @stream answers in parts, each cleaned as it goes.
          if (isAsyncIterable(done.result)) return { onNext: (next) => clean(next, requestId) };
          clean(done as Parameters<typeof clean>[0], requestId);
          return undefined;
        },
      }),
      // Each event of a subscription is its own result.
      onSubscribe: ({ args }) => ({ onSubscribeResult: () => ({ onNext: (next) => clean(next, requestIdOf(args.contextValue)) }) }),
    },
  };
}

/**
 * Private: the error with a code. Errors graphql-js raises before executing (a variable of the wrong
 * type, a required one missing) have none and no path: they are the client's input, and say so.
 */
function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code || error.path) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}

/**
 * The same error without one of its extensions: Mesh's development-only `originalError` (a stack),
 * or yoga's `http` hints where there is no HTTP status to give.
 */
export function withoutExtension(error: GraphQLError, name: string): GraphQLError {
  if (!(name in (error.extensions ?? {}))) return error;
  const { [name]: _dropped, ...extensions } = error.extensions;
  return new (error.constructor as typeof GraphQLError)(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

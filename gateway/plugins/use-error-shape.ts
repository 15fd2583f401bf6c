/**
 * What an error may show a client. Upstream and validation errors are Switchboard's own, typed
 * GraphQL errors and pass as they are; an upstream's answer that breaks the contract is said as such
 * (contract-mismatch.ts); anything unexpected is masked to "Unexpected error." and
 * logged with its stack on the server. Every error has a code: graphql-js's input errors get
 * `BAD_USER_INPUT`. No response carries a stack, in any mode: Mesh adds one to
 * `extensions.originalError` outside production, which is taken out here.
 */
import { maskError as yogaMaskError, type MaskError, type Plugin } from 'graphql-yoga';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { contractMismatch, type SourceOfField } from './contract-mismatch.js';

export function createMaskError(log: (error: unknown) => void, sourceOf: SourceOfField = () => undefined): MaskError {
  return (error, message) => {
    const mismatch = error instanceof GraphQLError ? contractMismatch(error, sourceOf) : undefined;
    if (mismatch) return mismatch;
    const masked = yogaMaskError(error, message, false);
    if (masked !== error) log((error as GraphQLError).originalError ?? error);
    return masked;
  };
}

export function useErrorShape(): Plugin {
  const clean = ({ result, setResult }: { result: ExecutionResult; setResult(result: ExecutionResult): void }) => {
    if (!result.errors?.some((error) => error.extensions?.originalError || !error.extensions?.code)) return;
    setResult({ ...result, errors: result.errors.map((error) => withCode(withoutExtension(error, 'originalError'))) });
  };
  return {
    onExecute: () => ({ onExecuteDone: ({ result, setResult }) => clean({ result: result as ExecutionResult, setResult }) }),
    // Each event of a subscription is its own result.
    onSubscribe: () => ({ onSubscribeResult: () => ({ onNext: clean }) }),
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

/**
 * What an error may show a client. Upstream and validation errors are Switchboard's own, typed
 * GraphQL errors and pass as they are; anything unexpected is masked to "Unexpected error." and
 * logged with its stack on the server. No response carries a stack, in any mode: Mesh adds one to
 * `extensions.originalError` outside production, which is taken out here.
 */
import { maskError as yogaMaskError, type MaskError, type Plugin } from 'graphql-yoga';
import type { ExecutionResult, GraphQLError } from 'graphql';

export function createMaskError(log: (error: unknown) => void): MaskError {
  return (error, message) => {
    const masked = yogaMaskError(error, message, false);
    if (masked !== error) log((error as GraphQLError).originalError ?? error);
    return masked;
  };
}

export function useErrorShape(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult;
          if (!single.errors?.some((error) => error.extensions?.originalError)) return;
          setResult({ ...single, errors: single.errors.map(withoutOriginalError) });
        },
      };
    },
  };
}

/** Private: the same error without Mesh's development-only `originalError` (a stack). */
function withoutOriginalError(error: GraphQLError): GraphQLError {
  if (!error.extensions?.originalError) return error;
  const { originalError: _dropped, ...extensions } = error.extensions;
  return new (error.constructor as typeof GraphQLError)(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * Reads the client's token into `context.viewer` (tokens.ts), for the field rules (rules.ts) to use.
 * The token comes in `Authorization: Bearer <token>` (over graphql-ws, where a browser cannot set
 * headers, from the `connection_init` payload `{ "authorization": "Bearer <token>" }`: graphql-ws.ts).
 *
 * - No token: the request goes on as anonymous; public fields answer, guarded ones fail with
 *   `UNAUTHENTICATED`. When that leaves the operation nothing at all (every root field refused), the
 *   answer is HTTP 401: the operation as a whole was refused.
 * - A token that is presented but forged, expired, for another audience or issuer, or malformed: the
 *   whole request is refused, HTTP 401 with `WWW-Authenticate: Bearer error="invalid_token"` and the
 *   reason, before anything runs. A client holding a bad token learns it at once.
 *
 *   plugins: [useAuth(config.auth)]
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AuthConfig } from '../../config/config.js';
import { createTokenVerifier, TokenError } from './tokens.js';
import type { ViewerContext } from './rules.js';

export function useAuth(auth: AuthConfig): Plugin<ViewerContext> {
  const verify = createTokenVerifier(auth);
  return {
    async onContextBuilding({ context, extendContext }) {
      const header = authorizationOf(context as { request?: Request });
      if (header === undefined) {
        extendContext({ viewer: null });
        return;
      }
      const token = /^Bearer\s+([^\s]+)\s*$/i.exec(header)?.[1];
      if (!token) throw refused('The Authorization header must read `Bearer <token>`.', 'invalid_request');
      try {
        extendContext({ viewer: await verify(token) });
      } catch (error) {
        if (error instanceof TokenError) throw refused(`The bearer token is refused: ${error.message}.`, 'invalid_token');
        throw error;
      }
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult;
          if (!single.errors?.length || !single.errors.every((error) => error.extensions?.code === 'UNAUTHENTICATED')) return;
          if (single.data && Object.values(single.data).some((value) => value !== null)) return;
          setResult({ ...single, extensions: { ...single.extensions, http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } } });
        },
      };
    },
  };
}

/**
 * Private: the request's Authorization value. Every transport brings its operations here as HTTP
 * requests: graphql-ws puts its connection payload's token there (gateway/server/graphql-ws.ts).
 */
function authorizationOf(context: { request?: Request }): string | undefined {
  const value = context.request?.headers.get('authorization');
  return value ? value : undefined;
}

function refused(message: string, error: 'invalid_request' | 'invalid_token'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': `Bearer error="${error}"` } } },
  });
}

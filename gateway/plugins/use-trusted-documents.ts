/**
 * Documents by hash, for mobile and web clients that send less. Two kinds, one rule:
 *
 * - **Trusted documents**, built with the app against the operations in test/operations: `npm run
 *   generate` writes their manifest (generated/client/persisted-documents.json, graphql-codegen's
 *   `sha256:<hex>` → document), and a client sends the hash instead of the document, as
 *   `documentId: "sha256:<hex>"` or as Apollo's `extensions.persistedQuery.sha256Hash`.
 * - **Automatic persisted queries** (Apollo's protocol), for clients the team did not build: a hash
 *   alone is `PERSISTED_QUERY_NOT_FOUND` until the client sends hash and document once; the
 *   document is registered only when its hash is its SHA-256 (else `PERSISTED_QUERY_HASH_MISMATCH`)
 *   and only once it passed parsing, validation and the query limits (an answer refused whole
 *   registers nothing). Kept in `registered` (persisted-query-store.ts), bounded, in Redis with replicas.
 *
 * `TRUSTED_DOCUMENTS`: `accept` (the default) runs hashes from the manifest, registered ones, and any
 * other document; `only` runs nothing but the manifest's documents, as a locked-down public endpoint
 * should: nothing registers (`PERSISTED_QUERY_ONLY`); `off` ignores hashes. Refusals are HTTP 400:
 * a hash that is not 64 hexadecimal digits (`PERSISTED_QUERY_INVALID_HASH`), a `persistedQuery`
 * of another version than 1 (`PERSISTED_QUERY_NOT_SUPPORTED`).
 *
 *   plugins: [useTrustedDocuments({ mode: 'accept', manifest: readManifest(MANIFEST_PATH, 'accept'), registered: store })]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, isAsyncIterable, type GraphQLParams, type Plugin } from 'graphql-yoga';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { ConfigError } from '../config/config.js';
import { projectPath } from '../config/project.js';

export type TrustedDocumentsMode = 'accept' | 'only' | 'off';

/** The trusted documents' manifest, in the project (`npm run generate` writes it). */
export const MANIFEST_FILE = 'generated/client/persisted-documents.json';
export const MANIFEST_PATH = projectPath(MANIFEST_FILE);

/** The manifest's documents by hash; a clear error when `only` has nothing to run. */
export function readManifest(path: string, mode: TrustedDocumentsMode): Map<string, string> {
  if (mode === 'off') return new Map();
  if (!existsSync(path)) {
    if (mode === 'only') throw new ConfigError('TRUSTED_DOCUMENTS=only needs the manifest generated/client/persisted-documents.json: run `npm run generate`.');
    return new Map();
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  return new Map(Object.entries(manifest));
}

/** Told of automatic persisted queries: a hash alone found or not, a document registered (the metrics). */
export interface PersistedQueryObserver {
  looked(outcome: 'hit' | 'miss'): void;
  registered(): void;
}

export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  manifest: ReadonlyMap<string, string>;
  /** Where automatic persisted queries are registered; none, and hashes are the manifest's only. */
  registered?: PersistedQueryStore;
  observer?: PersistedQueryObserver;
}

export function useTrustedDocuments({ mode, manifest, registered: given, observer }: TrustedDocumentsOptions): Plugin | undefined {
  if (mode === 'off') return undefined;
  // With `only`, nothing registers, and nothing registered runs.
  const registered = mode === 'accept' ? given : undefined;
  const refuse = (code: string, message: string) => createGraphQLError(message, { extensions: { code, http: { status: 400 } } });
  /** Documents sent with their hash, to register once they ran, by request and document. */
  const pending = new WeakMap<Request, Map<string, string>>();
  const register = (found: { hash: string; document: string }) => {
    observer?.registered();
    void registered!.set(found.hash, found.document);
  };
  const pendingHash = (context: unknown) => {
    const { request, params } = (context ?? {}) as { request?: Request; params?: GraphQLParams };
    const hash = request && params?.query ? pending.get(request)?.get(params.query) : undefined;
    return hash ? { hash, document: params!.query! } : undefined;
  };
  const persisted = usePersistedOperations({
    allowArbitraryOperations: mode === 'accept',
    extractPersistedOperationId: hashOf,
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    customErrors: {
      // Apollo's protocol names the miss by its message too, which its clients match (urql's by that alone).
      notFound: ({ params }: { params: GraphQLParams & { documentId?: unknown } }) => refuse('PERSISTED_QUERY_NOT_FOUND', typeof params.documentId === 'string'
        ? 'There is no trusted document with this hash: send one of the hashes `npm run generate` wrote.'
        : 'PersistedQueryNotFound'),
      persistedQueryOnly: () => refuse('PERSISTED_QUERY_ONLY', 'This endpoint runs trusted documents only: send the document\'s hash as `documentId`, not the document.'),
      keyNotFound: () => refuse('BAD_REQUEST', mode === 'only'
        ? 'Send the hash of a trusted document as `documentId` ("sha256:<hex>").'
        : 'Send a GraphQL document as `query`, or the hash of a trusted document as `documentId` ("sha256:<hex>").'),
    },
  }) as Plugin;
  return {
    ...persisted,
    async onParams(payload) {
      const { request, setParams } = payload;
      let { params } = payload;
      const apollo = (params.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
      if (apollo !== undefined) {
        const { version, sha256Hash } = (apollo ?? {}) as { version?: unknown; sha256Hash?: unknown };
        if (version !== 1) throw refuse('PERSISTED_QUERY_NOT_SUPPORTED', `persistedQuery version ${JSON.stringify(version ?? null)} is not supported: send { "version": 1, "sha256Hash": "<the document's SHA-256>" }.`);
        if (typeof sha256Hash !== 'string' || !HASH.test(sha256Hash)) throw refuse('PERSISTED_QUERY_INVALID_HASH', 'persistedQuery.sha256Hash must be the SHA-256 of the document, in 64 hexadecimal digits.');
        const hash = sha256Hash.toLowerCase();
        if (!params.query && registered && !manifest.has(`sha256:${hash}`)) {
          const document = await registered.get(hash);
          observer?.looked(document === undefined ? 'miss' : 'hit');
          if (document !== undefined) {
            params = { ...params, query: document };
            setParams(params);
          }
        } else if (params.query && registered) {
          if (createHash('sha256').update(params.query).digest('hex') !== hash) {
            throw refuse('PERSISTED_QUERY_HASH_MISMATCH', 'persistedQuery.sha256Hash is not the SHA-256 of the document sent: nothing was registered; send the hash of exactly this text.');
          }
          if (!manifest.has(`sha256:${hash}`)) {
            const documents = pending.get(request) ?? new Map<string, string>();
            pending.set(request, documents.set(params.query, hash));
          }
        }
      }
      return persisted.onParams?.({ ...payload, params });
    },
    // Registered once the query limits let it run: a refusal of the whole request (its cost, say) has no path.
    onExecute({ args }) {
      const hash = pendingHash(args.contextValue);
      if (!hash || !registered) return;
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result) || !result.errors?.some((error) => !error.path)) register(hash);
        },
      };
    },
    onSubscribe({ args }) {
      const hash = pendingHash(args.contextValue);
      if (hash && registered) register(hash);
    },
    // A GET names its document as `?documentId=sha256:<hex>` (what lets a CDN cache a mobile client's
    // reads); yoga's GET parser reads only query, variables, operationName and extensions.
    onRequestParse({ request, url }) {
      const documentId = request.method === 'GET' ? url.searchParams.get('documentId') : null;
      if (!documentId) return;
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          if (!Array.isArray(requestParserResult)) setRequestParserResult({ ...requestParserResult, documentId } as GraphQLParams);
        },
      };
    },
  };
}

/** Private: 64 hexadecimal digits. */
const HASH = /^[0-9a-f]{64}$/i;

/** Private: the hash a request names, as the manifest writes it (`sha256:<hex>`); null when none. */
function hashOf(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId.startsWith('sha256:') ? params.documentId : `sha256:${params.documentId}`;
  const apollo = (params.extensions as { persistedQuery?: { version?: number; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return apollo?.version === 1 && typeof apollo.sha256Hash === 'string' ? `sha256:${apollo.sha256Hash}` : null;
}

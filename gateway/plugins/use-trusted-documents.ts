/**
 * Trusted documents, for mobile and web clients built against the operations in test/operations:
 * `npm run generate` writes their manifest (generated/client/persisted-documents.json, graphql-codegen's
 * `sha256:<hex>` → document), and a client sends the hash instead of the document, either as
 * `documentId: "sha256:<hex>"` or as Apollo's `extensions.persistedQuery.sha256Hash`.
 *
 * `TRUSTED_DOCUMENTS`: `accept` (the default) runs hashes from the manifest and any other document
 * too; `only` runs nothing but the manifest's documents, as a locked-down public endpoint should;
 * `off` ignores hashes. An unknown hash is `PERSISTED_QUERY_NOT_FOUND` (what Apollo clients expect), a
 * document sent in `only` mode `PERSISTED_QUERY_ONLY`; both HTTP 400.
 *
 *   plugins: [useTrustedDocuments({ mode: 'only', manifest: readManifest(MANIFEST_PATH) })]
 */
import { existsSync, readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
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

export function useTrustedDocuments({ mode, manifest }: { mode: TrustedDocumentsMode; manifest: ReadonlyMap<string, string> }): Plugin | undefined {
  if (mode === 'off') return undefined;
  const refusal = (code: string, message: string) => ({ message, extensions: { code, http: { status: 400 } } });
  const persisted = usePersistedOperations({
    allowArbitraryOperations: mode === 'accept',
    extractPersistedOperationId: hashOf,
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    customErrors: {
      notFound: refusal('PERSISTED_QUERY_NOT_FOUND', 'There is no trusted document with this hash: send one of the hashes `npm run generate` wrote.'),
      persistedQueryOnly: refusal('PERSISTED_QUERY_ONLY', 'This endpoint runs trusted documents only: send the document\'s hash as `documentId`, not the document.'),
      keyNotFound: refusal('BAD_REQUEST', mode === 'only'
        ? 'Send the hash of a trusted document as `documentId` ("sha256:<hex>").'
        : 'Send a GraphQL document as `query`, or the hash of a trusted document as `documentId` ("sha256:<hex>").'),
    },
  }) as Plugin;
  return {
    ...persisted,
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

/** Private: the hash a request names, as the manifest writes it (`sha256:<hex>`); null when none. */
function hashOf(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId.startsWith('sha256:') ? params.documentId : `sha256:${params.documentId}`;
  const apollo = (params.extensions as { persistedQuery?: { version?: number; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return apollo?.version === 1 && typeof apollo.sha256Hash === 'string' ? `sha256:${apollo.sha256Hash}` : null;
}

// graphql-codegen: typed client operations for the operations in test/operations, against the
// committed public schema, and the trusted-documents manifest (generated/client/persisted-documents.json:
// sha256 hash → document) that the gateway accepts by hash; and the types of the stitched graph's
// hand-written resolvers (generated/resolvers.ts). Run by `npm run generate`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'generated/schema.graphql',
  documents: ['test/operations/*.graphql'],
  generates: {
    'generated/client/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: { useTypeImports: true, enumsAsTypes: true },
    },
    'generated/resolvers.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: { useTypeImports: true, enumsAsTypes: true, contextType: '../demo/graph/subscriptions.js#EventsContext', useIndexSignature: true, defaultMapper: 'Partial<{T}>' },
    },
  },
  silent: true,
};

export default config;

// graphql-codegen: typed client operations for the operations in test/operations, against the
// committed public schema, and the trusted-documents manifest (generated/client/persisted-documents.json:
// sha256 hash → document) that the gateway accepts by hash. Run by `npm run generate`.
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
  },
  silent: true,
};

export default config;

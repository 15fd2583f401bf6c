// graphql-codegen: typed client operations for the operations in test/operations, against the
// committed public schema. Run by `npm run generate`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'generated/schema.graphql',
  documents: ['test/operations/*.graphql'],
  generates: {
    'generated/client/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true },
    },
  },
  silent: true,
};

export default config;

/**
 * `npm run generate`: writes the sorted public schema to generated/schema.graphql and the typed
 * client operations (graphql-codegen, from test/operations) to generated/client/.
 * The schema test fails until this has been run after a change to the public schema.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ensureMeshBuilt } from '../gateway/compose/build-mesh.js';
import { loadPublicSchema } from '../test/helpers/public-schema.js';

ensureMeshBuilt();
writeFileSync('generated/schema.graphql', await loadPublicSchema());
console.log('Wrote generated/schema.graphql');
const codegen = spawnSync('node_modules/.bin/graphql-codegen', ['--config', 'codegen.ts'], { stdio: 'inherit' });
process.exit(codegen.status ?? 1);

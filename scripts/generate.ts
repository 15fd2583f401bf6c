/**
 * `npm run generate`: writes the sorted public schema to generated/schema.graphql and the typed
 * client operations (graphql-codegen, from test/operations) to generated/client/.
 * The schema test fails until this has been run after a change to the public schema; a breaking
 * change clients may meet is refused until it is acknowledged (scripts/schema-check.ts).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { checkSchemaChanges, describeChanges, REVIEWED_SCHEMA } from './schema-check.js';

// A breaking change clients may meet is taken only once it is acknowledged (scripts/schema-check.ts).
const { built, report } = await checkSchemaChanges();
if (report.unacknowledged.length > 0) {
  console.error(describeChanges(report));
  process.exit(1);
}
writeFileSync(REVIEWED_SCHEMA, built);
console.log(`Wrote ${REVIEWED_SCHEMA}`);
const codegen = spawnSync('node_modules/.bin/graphql-codegen', ['--config', 'codegen.ts'], { stdio: 'inherit' });
process.exit(codegen.status ?? 1);

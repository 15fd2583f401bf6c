/**
 * `npm run schema:check` (`-- --json` for a machine): what the public schema Switchboard would serve
 * now changes for its clients, against the reviewed generated/schema.graphql, each change breaking,
 * dangerous or safe (gateway/compose/schema-changes.ts). Exits 1 while a breaking change that a
 * client may meet is not acknowledged in generated/acknowledged-changes.json. `npm run generate`
 * runs the same check before it takes the new schema.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ensureMeshBuilt } from '../gateway/compose/build-mesh.js';
import { ACKNOWLEDGED_CHANGES, describeChange, knownClients, REVIEWED_SCHEMA, schemaChanges, type SchemaChangeReport } from '../gateway/compose/schema-changes.js';
import { loadPublicSchema } from '../gateway/compose/built-public-schema.js';

export { ACKNOWLEDGED_CHANGES, REVIEWED_SCHEMA };

/** The built public schema (printed) and what it changes against the reviewed one. */
export async function checkSchemaChanges(): Promise<{ built: string; report: SchemaChangeReport }> {
  ensureMeshBuilt();
  const built = await loadPublicSchema();
  const report = await schemaChanges(readFileSync(REVIEWED_SCHEMA, 'utf8'), built, await knownClients());
  return { built, report };
}

/** The report as a person reads it. */
export function describeChanges(report: SchemaChangeReport): string {
  if (report.changes.length === 0) return `The public schema is the reviewed one (${REVIEWED_SCHEMA}): no change.`;
  const lines = report.changes.map(describeChange);
  const verdict = report.unacknowledged.length === 0
    ? 'No breaking change a known client would meet is unacknowledged.'
    : `${report.unacknowledged.length} breaking change(s) clients may meet: make them safe (deprecate first), or acknowledge each in ${ACKNOWLEDGED_CHANGES} as { "change": "<the message above>", "reason": "…" }.`;
  return [...lines, '', verdict].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Where operation usage is recorded (OPERATION_USAGE), as the gateway reads it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    // `--write-built <file>`: the public schema as built, for a process looking at another build
    // (gateway/compose/contract-changes.ts); a file, since Mesh logs to stdout while it loads.
    const at = process.argv.indexOf('--write-built');
    if (at > 0) {
      writeFileSync(process.argv[at + 1]!, await loadPublicSchema());
      process.exit(0);
    }
    const { report } = await checkSchemaChanges();
    console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : describeChanges(report));
    process.exit(report.unacknowledged.length === 0 ? 0 : 1);
  } catch (error) {
    console.error(`schema:check: ${(error as Error).message}`);
    process.exit(2);
  }
}

/**
 * `npm run schema:check` (`-- --json` for a machine): what the public schema Switchboard would serve
 * now changes for its clients, against the reviewed generated/schema.graphql, each change breaking,
 * dangerous or safe (gateway/compose/schema-changes.ts). Exits 1 while a breaking change that a
 * client may meet is not acknowledged in generated/acknowledged-changes.json. `npm run generate`
 * runs the same check before it takes the new schema.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ensureMeshBuilt } from '../gateway/compose/build-mesh.js';
import { readAcknowledgements, schemaChanges, type SchemaChangeReport } from '../gateway/compose/schema-changes.js';
import { MANIFEST_PATH } from '../gateway/plugins/use-trusted-documents.js';
import { loadPublicSchema } from '../gateway/compose/built-public-schema.js';

export const REVIEWED_SCHEMA = 'generated/schema.graphql';
export const ACKNOWLEDGED_CHANGES = 'generated/acknowledged-changes.json';

/** The built public schema (printed) and what it changes against the reviewed one. */
export async function checkSchemaChanges(): Promise<{ built: string; report: SchemaChangeReport }> {
  ensureMeshBuilt();
  const built = await loadPublicSchema();
  const documents = existsSync(MANIFEST_PATH) ? Object.values(JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Record<string, string>) : [];
  const acknowledged = existsSync(ACKNOWLEDGED_CHANGES) ? readAcknowledgements(readFileSync(ACKNOWLEDGED_CHANGES, 'utf8'), ACKNOWLEDGED_CHANGES) : [];
  const report = await schemaChanges(readFileSync(REVIEWED_SCHEMA, 'utf8'), built, { documents, acknowledged });
  return { built, report };
}

/** The report as a person reads it. */
export function describeChanges(report: SchemaChangeReport): string {
  if (report.changes.length === 0) return `The public schema is the reviewed one (${REVIEWED_SCHEMA}): no change.`;
  const lines = report.changes.map((change) => {
    const why = change.safeBecause ? ` (breaking, but ${change.safeBecause})` : change.acknowledged ? ` (acknowledged: ${change.acknowledged})` : '';
    return `${change.level.padEnd(9)} ${change.message}${why}`;
  });
  const verdict = report.unacknowledged.length === 0
    ? 'No breaking change a known client would meet is unacknowledged.'
    : `${report.unacknowledged.length} breaking change(s) clients may meet: make them safe (deprecate first), or acknowledge each in ${ACKNOWLEDGED_CHANGES} as { "change": "<the message above>", "reason": "…" }.`;
  return [...lines, '', verdict].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { report } = await checkSchemaChanges();
    console.log(process.argv.includes('--json') ? JSON.stringify(report, null, 2) : describeChanges(report));
    process.exit(report.unacknowledged.length === 0 ? 0 : 1);
  } catch (error) {
    console.error(`schema:check: ${(error as Error).message}`);
    process.exit(2);
  }
}

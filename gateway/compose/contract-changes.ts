/**
 * What a provider's new contract changes, looked at in two builds of the project, before and after
 * it is pinned: in the source's own schema (its operations as root fields, its types, fields, enum
 * values and arguments, as Mesh builds them), and in the public schema clients read, each change
 * breaking, dangerous or safe for the operations Switchboard knows of (schema-changes.ts).
 * `source:add --update` and `npm run sources:drift` report it.
 *
 *   const before = viewBuild(PROJECT_ROOT, 'carrier');
 *   // … pin the new contract, build …
 *   const report = await contractChanges('carrier', before, viewBuild(PROJECT_ROOT, 'carrier'), await knownClients());
 *   report.public.unacknowledged;   // the breaking changes known clients would meet
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, printSchema } from 'graphql';
import { schemaChanges, type SchemaChange, type SchemaChangeOptions, type SchemaChangeReport } from './schema-changes.js';

/** One build's schemas, as SDL: the source's own and the public one. */
export interface BuildView {
  source: string;
  public: string;
}

export interface ContractChanges {
  source: string;
  /** What changes in the source's own schema, classified without regard to usage (the provider's view). */
  contract: SchemaChange[];
  /** What changes in the public schema, classified for the known operations. */
  public: SchemaChangeReport;
}

/** The source's schema and the public schema of the project built at `root`. */
export function viewBuild(root: string, source: string): BuildView {
  return { source: sourceSchema(root, source), public: publicSchemaAt(root) };
}

export async function contractChanges(source: string, before: BuildView, after: BuildView, known: SchemaChangeOptions): Promise<ContractChanges> {
  const contract = await schemaChanges(before.source, after.source, { acknowledged: [] });
  return { source, contract: contract.changes, public: await schemaChanges(before.public, after.public, known) };
}

/**
 * The source's schema as Mesh built it (.mesh/sources/<name>/), without Mesh's directives
 * on fields, which say how a field is fetched, not what clients get.
 */
export function sourceSchema(root: string, source: string): string {
  const path = join(root, '.mesh', 'sources', source, 'schema.graphql');
  if (!existsSync(path)) throw new Error(`the build at ${root} has no schema for ${source}`);
  return printSchema(buildSchema(readFileSync(path, 'utf8'), { assumeValidSDL: true }));
}

/** The public schema of the project built at `root`, printed by its own code in a process of its own. */
export function publicSchemaAt(root: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-schema-'));
  try {
    const file = join(folder, 'schema.graphql');
    const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join('scripts', 'schema-check.ts'), '--write-built', file], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`the public schema built at ${root} does not load: ${result.stderr.trim().split('\n')[0]}`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

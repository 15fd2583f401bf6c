/**
 * Provider drift: whether each source's live contract (live-contracts.ts) is still the one pinned
 * in `sources/<name>/`, and when it is not, what the difference changes, in the source's schema and
 * in the public one, for the clients Switchboard knows of. A changed contract is built in a copy of
 * the project (project-copy.ts), never in the working tree. `npm run sources:drift` reports it.
 *
 *   const report = await checkDrift(process.env);
 *   report.sources;   // [{ source: 'carrier', status: 'unchanged', from: 'https://api.carrier.example/openapi.json' }, …]
 *   driftExitCode(report);   // 0 no drift, 1 drift known clients would meet, 2 unchecked, 3 drift none would
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import type { Env } from '../../lib/env.js';
import { ConfigError } from '../config/config.js';
import { resolveCredentials } from '../config/credentials.js';
import { PROJECT_ROOT } from '../config/project.js';
import { MANIFEST, PREPARED, readSourceManifests, sourceUrlVariable, type SourceManifest } from '../config/source-manifests.js';
import { ensureMeshBuilt } from './build-mesh.js';
import { contractChanges, publicSchemaAt, sourceSchema, type BuildView } from './contract-changes.js';
import { readContract } from './contracts.js';
import { fetchLiveContract } from './live-contracts.js';
import { copyProject } from './project-copy.js';
import { repinSource } from './repin-source.js';
import { knownClients, type SchemaChange, type SchemaChangeReport } from './schema-changes.js';

export type DriftStatus = 'unchanged' | 'changed' | 'unpublished' | 'unchecked';

export interface SourceDrift {
  source: string;
  status: DriftStatus;
  /** Where the live contract was read. */
  from?: string;
  /** Why a source is unpublished or unchecked, or why its live contract does not build. */
  reason?: string;
  /** What the live contract changes in the source's schema. */
  contract?: SchemaChange[];
  /** What it would change in the public schema. */
  public?: SchemaChangeReport;
  /** Whether pinning it would break the public schema for known clients (or not build at all). */
  breaksClients?: boolean;
}

export interface DriftReport {
  sources: SourceDrift[];
}

export interface DriftOptions {
  /** Only these sources; every source by default. */
  only?: readonly string[];
  timeoutMs?: number;
  root?: string;
}

export async function checkDrift(env: Env, options: DriftOptions = {}): Promise<DriftReport> {
  const root = options.root ?? PROJECT_ROOT;
  const manifests = readSourceManifests(root);
  const unknown = options.only?.find((name) => !manifests.some((manifest) => manifest.name === name));
  if (unknown) throw new ConfigError(`there is no source named ${unknown} (sources: ${manifests.map((manifest) => manifest.name).join(', ')})`);
  ensureMeshBuilt({ root });
  const known = await knownClients(root);
  let currentPublic: string | undefined;
  const sources: SourceDrift[] = [];
  for (const manifest of manifests.filter((each) => !options.only || options.only.includes(each.name))) {
    const drift = await driftOf(manifest, env, root, options.timeoutMs ?? 15_000, async (candidate) => {
      currentPublic ??= publicSchemaAt(root);
      return contractChanges(manifest.name, { source: sourceSchema(root, manifest.name), public: currentPublic }, candidate, known);
    });
    sources.push(drift);
  }
  return { sources };
}

/** 1 when drift would break known clients, else 2 when a source could not be checked, else 3 for drift, else 0. */
export function driftExitCode(report: DriftReport): number {
  if (report.sources.some((source) => source.breaksClients)) return 1;
  if (report.sources.some((source) => source.status === 'unchecked')) return 2;
  return report.sources.some((source) => source.status === 'changed') ? 3 : 0;
}

/** Private: one source's drift. */
async function driftOf(
  manifest: SourceManifest, env: Env, root: string, timeoutMs: number,
  compare: (candidate: BuildView) => ReturnType<typeof contractChanges>,
): Promise<SourceDrift> {
  const source = manifest.name;
  const variable = sourceUrlVariable(source);
  const url = env[variable]?.trim() || manifest.endpoint;
  if (!url) return { source, status: 'unchecked', reason: `${variable} is not set, and its manifest names no endpoint` };
  let credentials;
  try {
    credentials = resolveCredentials(source, manifest.credentials, env, `sources/${source}/${MANIFEST}`, (message) => {
      throw new ConfigError(message);
    });
  } catch (error) {
    return { source, status: 'unchecked', reason: (error as Error).message };
  }
  const live = await fetchLiveContract(manifest, { url: url.replace(/\/+$/, ''), credentials }, timeoutMs);
  if (live.status === 'unpublished') return { source, status: 'unpublished', reason: live.reason };
  if (live.status === 'unreachable') return { source, status: 'unchecked', from: live.from, reason: `its live contract could not be read at ${live.from}: ${live.reason}` };
  if (sameContract(manifest, root, live.text)) return { source, status: 'unchanged', from: live.from };
  const copy = copyProject([], root);
  const fetched = mkdtempSync(join(tmpdir(), 'switchboard-live-'));
  try {
    writeFileSync(join(fetched, live.file), live.text);
    repinSource(copy, manifest, readContract(join(fetched, live.file))).discard();
    ensureMeshBuilt({ root: copy, force: true });
    const changes = await compare({ source: sourceSchema(copy, source), public: publicSchemaAt(copy) });
    if (changes.contract.length === 0 && changes.public.changes.length === 0) return { source, status: 'unchanged', from: live.from };
    return { source, status: 'changed', from: live.from, contract: changes.contract, public: changes.public, breaksClients: changes.public.unacknowledged.length > 0 };
  } catch (error) {
    return { source, status: 'changed', from: live.from, reason: `the live contract does not build: ${(error as Error).message.split('\n')[0]}`, breaksClients: true };
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(fetched, { recursive: true, force: true });
  }
}

/** Private: whether the live contract says what the pinned one says, whatever its layout. */
function sameContract(manifest: SourceManifest, root: string, live: string): boolean {
  const pinned = readFileSync(join(root, 'sources', manifest.name, manifest.contract.replace(`${PREPARED}/`, '')), 'utf8');
  try {
    switch (manifest.kind) {
      case 'graphql': {
        const print = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));
        return print(pinned) === print(live);
      }
      case 'openapi':
        return canonical(parseYaml(pinned)) === canonical(parseYaml(live));
      case 'soap':
        return pinned.replace(/\s+/g, ' ').trim() === live.replace(/\s+/g, ' ').trim();
    }
  } catch {
    // What does not read is compared by building it, which says what is wrong.
    return false;
  }
}

/** Private: JSON with every object's keys in order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) => (item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item));
}

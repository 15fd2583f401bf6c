/**
 * What a change to the public schema does to its clients, before they meet it: the schema about to
 * be served against the one the team reviewed (generated/schema.graphql), each change classified by
 * `@graphql-inspector/core` as breaking, dangerous or safe. A breaking change that no known operation
 * is touched by (the trusted documents, the project's own operations) is safe for the clients Switchboard
 * knows of, and said so. A breaking change that clients may meet must be acknowledged in the reviewed
 * file `generated/acknowledged-changes.json` (`[{ "change": "<its message>", "reason": "…" }]`);
 * until it is, `npm run schema:check` fails, and `npm run generate` will not take the new schema.
 *
 *   const report = await schemaChanges(committedSdl, builtSdl, { documents, acknowledged });
 *   report.unacknowledged;   // [{ level: 'BREAKING', message: "Field 'sku' was removed from object type 'Product'", path: 'Product.sku' }]
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CriticalityLevel, diff, DiffRule } from '@graphql-inspector/core';
import { buildSchema, parse, TypeInfo, visit, visitWithTypeInfo, type GraphQLSchema } from 'graphql';
import type { Env } from '../../lib/env.js';
import { loadUsageSettings, optionalRedis } from '../config/config.js';
import { PROJECT_ROOT } from '../config/project.js';
import { openUsageStore } from '../usage/operation-usage.js';
import { MANIFEST_FILE } from '../plugins/use-trusted-documents.js';

/** The public schema the team reviewed, and the breaking changes of it the team acknowledged. */
export const REVIEWED_SCHEMA = 'generated/schema.graphql';
export const ACKNOWLEDGED_CHANGES = 'generated/acknowledged-changes.json';

const USAGE_SUFFIX = ' (non-breaking based on usage)';

export type ChangeLevel = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface SchemaChange {
  level: ChangeLevel;
  message: string;
  path?: string;
  /** Why a change the library calls breaking is safe here: no known operation uses what it changes. */
  safeBecause?: string;
  /** The reason given in the acknowledged changes, for a breaking change acknowledged there. */
  acknowledged?: string;
}

export interface SchemaChangeReport {
  changes: SchemaChange[];
  /** The breaking changes not acknowledged: the check fails while there is one. */
  unacknowledged: SchemaChange[];
}

export interface Acknowledgement {
  change: string;
  reason: string;
}

export interface SchemaChangeOptions {
  /**
   * The operations clients are known to send (documents' text): a breaking change none of them meets
   * is safe. Without it, every change is classified as it is for any client.
   */
  documents?: readonly string[];
  acknowledged: readonly Acknowledgement[];
}

export async function schemaChanges(before: string, after: string, options: SchemaChangeOptions): Promise<SchemaChangeReport> {
  const old = buildSchema(before);
  const used = options.documents && usedCoordinates(old, options.documents);
  const isUsed = ({ type, field, argument }: { type: string; field?: string; argument?: string }) =>
    used!.has([type, field, argument].filter((part) => part !== undefined).join('.'));
  const found = used
    ? await diff(old, buildSchema(after), [DiffRule.considerUsage], { checkUsage: async (input) => input.map((coordinate) => !isUsed(coordinate)) })
    : await diff(old, buildSchema(after));
  const acknowledged = new Map(options.acknowledged.map((entry) => [entry.change, entry.reason]));
  const changes = found.map((change): SchemaChange => {
    // The library words a change it found safe by usage as its own kind; here it reads as the change it is.
    const base = { message: change.message.replace(USAGE_SUFFIX, ''), ...(change.path ? { path: change.path } : {}) };
    if (change.criticality.isSafeBasedOnUsage) return { ...base, level: 'SAFE', safeBecause: 'no known operation uses it' };
    if (change.criticality.level === CriticalityLevel.NonBreaking) return { ...base, level: 'SAFE' };
    if (change.criticality.level === CriticalityLevel.Dangerous) return { ...base, level: 'DANGEROUS' };
    const reason = acknowledged.get(change.message);
    return reason === undefined ? { ...base, level: 'BREAKING' } : { ...base, level: 'BREAKING', acknowledged: reason };
  });
  return { changes, unacknowledged: changes.filter((change) => change.level === 'BREAKING' && change.acknowledged === undefined) };
}

/** One change as a person reads it: `BREAKING  Field 'sku' was removed from object type 'Product' (acknowledged: …)`. */
export function describeChange(change: SchemaChange): string {
  const why = change.safeBecause ? ` (breaking, but ${change.safeBecause})` : change.acknowledged ? ` (acknowledged: ${change.acknowledged})` : '';
  return `${change.level.padEnd(9)} ${change.message}${why}`;
}

/**
 * The operations known clients send, and the acknowledged changes, of the project at `root`: the
 * trusted documents, and those the gateway recorded in the last `OPERATION_USAGE_DAYS` when
 * `OPERATION_USAGE` says where (gateway/usage/).
 */
export async function knownClients(root = PROJECT_ROOT, env: Env = process.env): Promise<SchemaChangeOptions> {
  const manifest = join(root, MANIFEST_FILE);
  const acknowledgements = join(root, ACKNOWLEDGED_CHANGES);
  const trusted = existsSync(manifest) ? Object.values(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>) : [];
  const usage = loadUsageSettings(env);
  let recorded: string[] = [];
  if (usage) {
    const store = openUsageStore({ ...usage, file: isAbsolute(usage.file) ? usage.file : join(root, usage.file) }, optionalRedis(env).redis);
    try {
      recorded = await store.seenSince(Date.now() - usage.days * 86_400_000);
    } finally {
      await store.close();
    }
  }
  return {
    documents: [...new Set([...trusted, ...recorded])],
    acknowledged: existsSync(acknowledgements) ? readAcknowledgements(readFileSync(acknowledgements, 'utf8'), ACKNOWLEDGED_CHANGES) : [],
  };
}

/** Reads `generated/acknowledged-changes.json`'s content; a clear error names what is wrong in it. */
export function readAcknowledgements(text: string, file: string): Acknowledgement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON.`);
  }
  if (!Array.isArray(parsed) || parsed.some((entry) => typeof entry?.change !== 'string' || typeof entry?.reason !== 'string' || entry.reason.trim() === '')) {
    throw new Error(`${file} must be a list of { "change": "<the change's message>", "reason": "<why clients are ready>" }.`);
  }
  return parsed as Acknowledgement[];
}

/** Private: every `Type.field` and `Type.field.argument` the documents use, in the schema they were written for. */
function usedCoordinates(schema: GraphQLSchema, documents: readonly string[]): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  for (const text of documents) {
    visit(parse(text), visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(parent.name).add(`${parent.name}.${field.name}`);
      },
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}.${node.name.value}`);
      },
    }));
  }
  return used;
}

/**
 * Recorded operation usage: the gateway records the operations clients send (`OPERATION_USAGE`), and
 * the schema checks count them as known operations, so a removal that a client really makes use of is
 * breaking though no trusted document reads it. The stores (a file, a real Redis) are bounded.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, printSchema } from 'graphql';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../gateway/config/project.js';
import { knownClients, REVIEWED_SCHEMA, schemaChanges } from '../gateway/compose/schema-changes.js';
import { openUsageStore, type UsageSettings, type UsageStore } from '../gateway/usage/operation-usage.js';
import { REDIS_URL, redisKeys, removeKeys } from './helpers/redis.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const folder = mkdtempSync(join(tmpdir(), 'switchboard-usage-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const seen = (...documents: [string, string, number][]) => new Map(documents.map(([hash, document, count]) => [hash, { document, count }]));

describe.each(['file', 'redis'] as const)('the %s usage store', (kind) => {
  const prefix = `switchboard-test-${randomUUID()}:`;
  let store: UsageStore;
  const settings: UsageSettings = { store: kind, file: join(folder, `${kind}.json`), maxDocuments: 3, days: 30 };
  beforeAll(() => {
    store = openUsageStore(settings, { url: REDIS_URL, keyPrefix: prefix });
  });
  afterAll(async () => {
    await store?.close();
    await removeKeys(prefix);
  });

  it('keeps each document once, with when it was last seen, and the most recently seen only', async () => {
    await store.record(seen(['a', '{ a }', 2], ['b', '{ b }', 1]), 1_000);
    await store.record(seen(['c', '{ c }', 1]), 2_000);
    await store.record(seen(['a', '{ a }', 1]), 2_500);
    expect((await store.seenSince(0)).sort()).toEqual(['{ a }', '{ b }', '{ c }']);
    expect((await store.seenSince(1_500)).sort()).toEqual(['{ a }', '{ c }']);
    // Bounded: a fourth and fifth push out the least recently seen.
    await store.record(seen(['d', '{ d }', 1], ['e', '{ e }', 1]), 3_000);
    expect((await store.seenSince(0)).sort()).toEqual(['{ a }', '{ d }', '{ e }']);
    if (kind === 'file') {
      const { operations } = JSON.parse(readFileSync(settings.file, 'utf8'));
      expect(operations.a).toEqual({ document: '{ a }', firstSeen: new Date(1_000).toISOString(), lastSeen: new Date(2_500).toISOString(), count: 3 });
    } else {
      expect((await redisKeys(`${prefix}*`)).sort()).toEqual([`${prefix}usage:counts`, `${prefix}usage:documents`, `${prefix}usage:seen`]);
    }
  });
});

describe('the gateway recording what clients send', () => {
  const file = join(folder, 'recorded.json');
  const usageEnv = { OPERATION_USAGE: 'file', OPERATION_USAGE_FILE: file };
  const joined = 'query Joined($id: ID!) { customer(id: $id) { name createdAt } }';
  let switchboard: TestSwitchboard | undefined;
  beforeAll(async () => {
    switchboard = await startTestSwitchboard(usageEnv);
  }, 60_000);
  afterAll(() => switchboard?.close());

  it('records each valid operation once with its count, and the checks count it as known', async () => {
    for (const id of ['cust-0001', 'cust-0002']) expect((await switchboard!.query(joined, { id })).body.errors).toBeUndefined();
    expect((await switchboard!.query('{ products(first: 1) { id } }')).status).toBe(200);
    // Not an operation any client can send: not recorded.
    expect((await switchboard!.query('{ customer(id: "cust-0001") { nickname } }')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // What was seen is written on close (and every few seconds).
    await switchboard!.close();
    switchboard = undefined;
    const { operations } = JSON.parse(readFileSync(file, 'utf8')) as { operations: Record<string, { document: string; count: number }> };
    expect(Object.values(operations).map(({ document, count }) => [document.replace(/\s+/g, ' '), count]).sort()).toEqual([
      ['query Joined($id: ID!) { customer(id: $id) { name createdAt } }', 2],
      ['{ products(first: 1) { id } }', 1],
    ]);

    // No trusted document reads a customer's createdAt: removing it is safe, until a client is seen reading it.
    const reviewed = readFileSync(join(PROJECT_ROOT, REVIEWED_SCHEMA), 'utf8');
    const removed = printSchema(mapSchema(buildSchema(reviewed), {
      [MapperKind.OBJECT_FIELD]: (field, name, type) => (type === 'Customer' && name === 'createdAt' ? null : field),
    }));
    const removal = async (env: Record<string, string>) => (await schemaChanges(reviewed, removed, await knownClients(PROJECT_ROOT, env))).changes
      .filter((change) => change.path === 'Customer.createdAt').map((change) => change.level);
    expect(await removal({})).toEqual(['SAFE']);
    expect(await removal(usageEnv)).toEqual(['BREAKING']);
  }, 60_000);
});

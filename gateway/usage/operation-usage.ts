/**
 * Which operations clients send, recorded by the gateway when `OPERATION_USAGE` says where: each
 * distinct document that validated, by its hash, with when it was last seen and how often. `npm run
 * schema:check` (and `source:add --update`, `sources:drift`) read the documents seen in the last
 * `OPERATION_USAGE_DAYS` as known operations: a breaking change none of them meets is safe. The store
 * is bounded (`OPERATION_USAGE_MAX_DOCUMENTS`, the least recently seen go first): a file for one
 * gateway, or Redis, shared by replicas.
 *
 *   const store = openUsageStore(settings, { keyPrefix: 'switchboard:', url: 'redis://…' });
 *   await store.record(new Map([[hash, { document, count: 3 }]]), Date.now());
 *   await store.seenSince(Date.now() - 30 * DAY);   // the documents' text
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';

export interface UsageSettings {
  store: 'file' | 'redis';
  /** The file of the `file` store, relative to the gateway's working directory. */
  file: string;
  maxDocuments: number;
  /** How far back a document counts as a known operation, for the checks. */
  days: number;
}

/** Documents seen since the last record, by hash. */
export type SeenDocuments = Map<string, { document: string; count: number }>;

export interface UsageStore {
  record(seen: SeenDocuments, at: number): Promise<void>;
  /** The text of every document seen at or after `since` (ms since the epoch). */
  seenSince(since: number): Promise<string[]>;
  close(): Promise<void>;
}

export function openUsageStore(settings: UsageSettings, redis?: { url: string; keyPrefix: string }): UsageStore {
  if (settings.store === 'file') return fileUsageStore(settings.file, settings.maxDocuments);
  if (!redis) throw new Error('OPERATION_USAGE=redis needs REDIS_URL');
  return redisUsageStore(redis.url, `${redis.keyPrefix}usage:`, settings.maxDocuments);
}

interface FileEntry {
  document: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
}

/** Private: one JSON file, `{ "operations": { <hash>: { document, firstSeen, lastSeen, count } } }`, written whole. */
function fileUsageStore(path: string, maxDocuments: number): UsageStore {
  const read = (): Record<string, FileEntry> => {
    if (!existsSync(path)) return {};
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { operations?: Record<string, FileEntry> };
      return parsed.operations ?? {};
    } catch (error) {
      throw new Error(`the operation usage file ${path} does not read as JSON (${(error as Error).message}); move it away to start anew`);
    }
  };
  return {
    async record(seen, at) {
      const operations = read();
      const when = new Date(at).toISOString();
      for (const [hash, { document, count }] of seen) {
        const known = operations[hash];
        operations[hash] = { document, firstSeen: known?.firstSeen ?? when, lastSeen: when, count: (known?.count ?? 0) + count };
      }
      const kept = Object.entries(operations).sort(([, a], [, b]) => b.lastSeen.localeCompare(a.lastSeen)).slice(0, maxDocuments);
      mkdirSync(dirname(path), { recursive: true });
      // Written beside and renamed: a reader never sees half a file.
      writeFileSync(`${path}.next`, `${JSON.stringify({ operations: Object.fromEntries(kept) }, null, 2)}\n`);
      renameSync(`${path}.next`, path);
    },
    async seenSince(since) {
      const from = new Date(since).toISOString();
      return Object.values(read()).filter((entry) => entry.lastSeen >= from).map((entry) => entry.document);
    },
    async close() {},
  };
}

/** Private: keeps at most ARGV[1] documents; ARGV[2] is now; then hash, document, count for each. */
const RECORD = `
for i = 3, #ARGV, 3 do
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[i])
  redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 2])
end
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
if over > 0 then
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, over - 1)) do
    redis.call('HDEL', KEYS[2], hash)
    redis.call('HDEL', KEYS[3], hash)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
end
return over`;

/** Private: `<prefix>usage:seen` (hashes by last seen), `:documents` and `:counts` (by hash). */
function redisUsageStore(url: string, prefix: string, maxDocuments: number): UsageStore {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 5000 });
  client.on('error', () => undefined);
  client.defineCommand('recordUsage', { numberOfKeys: 3, lua: RECORD });
  const keys = [`${prefix}seen`, `${prefix}documents`, `${prefix}counts`];
  return {
    async record(seen, at) {
      if (seen.size === 0) return;
      const args = [...seen].flatMap(([hash, { document, count }]) => [hash, document, String(count)]);
      await (client as unknown as { recordUsage(...args: string[]): Promise<number> }).recordUsage(...keys, String(maxDocuments), String(at), ...args);
    },
    async seenSince(since) {
      const hashes = await client.zrangebyscore(keys[0]!, since, '+inf');
      if (hashes.length === 0) return [];
      return (await client.hmget(keys[1]!, ...hashes)).filter((document): document is string => document !== null);
    },
    async close() {
      client.disconnect();
    },
  };
}

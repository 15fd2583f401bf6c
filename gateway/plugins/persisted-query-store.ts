/**
 * Where automatic persisted queries are kept (Apollo's protocol, gateway/plugins/use-trusted-documents.ts):
 * the document of each hash a client registered. In memory, an LRU bounded by entries and bytes; with
 * replicas, in Redis (`<prefix>apq:<hash>`), each document kept `ttlSeconds` after it was last asked
 * for, so that a document registered on one replica is found on every other. A store that fails
 * answers as if it held nothing: the client sends the document again, and nothing is lost.
 *
 *   const store = createMemoryQueryStore({ maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 });
 *   await store.set(hash, document);
 *   await store.get(hash);   // the document, or undefined
 */
import { LRUCache } from 'lru-cache';
import { Redis } from 'ioredis';

export interface PersistedQueryStore {
  get(hash: string): Promise<string | undefined>;
  set(hash: string, document: string): Promise<void>;
  /** Documents held, where the store knows (memory). */
  held(): { entries: number; bytes: number } | undefined;
  close(): Promise<void>;
}

export interface PersistedQuerySettings {
  maxEntries: number;
  maxBytes: number;
  ttlSeconds: number;
}

export function createMemoryQueryStore(settings: Pick<PersistedQuerySettings, 'maxEntries' | 'maxBytes'>): PersistedQueryStore {
  const documents = new LRUCache<string, string>({
    max: settings.maxEntries,
    maxSize: settings.maxBytes,
    // A document over the bound is not kept at all (lru-cache refuses it).
    sizeCalculation: (document, hash) => Buffer.byteLength(document) + hash.length,
  });
  return {
    get: async (hash) => documents.get(hash),
    set: async (hash, document) => {
      documents.set(hash, document);
    },
    held: () => ({ entries: documents.size, bytes: documents.calculatedSize }),
    close: async () => documents.clear(),
  };
}

export function createRedisQueryStore(redis: { url: string; keyPrefix: string }, settings: Pick<PersistedQuerySettings, 'ttlSeconds'>, warn: (message: string) => void): PersistedQueryStore {
  const client = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  client.on('error', () => undefined);
  let warned = false;
  const failed = (error: Error) => {
    if (!warned) warn(`persisted queries are not found while Redis fails: ${(error as Error).message}`);
    warned = true;
    return undefined;
  };
  const key = (hash: string) => `${redis.keyPrefix}apq:${hash}`;
  return {
    async get(hash) {
      // Each use keeps the document longer: what clients keep asking for stays.
      return ((await client.getex(key(hash), 'EX', settings.ttlSeconds).catch(failed)) ?? undefined) || undefined;
    },
    async set(hash, document) {
      await client.set(key(hash), document, 'EX', settings.ttlSeconds).then(() => (warned = false), failed);
    },
    held: () => undefined,
    async close() {
      client.disconnect();
    },
  };
}

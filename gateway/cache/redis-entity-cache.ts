/**
 * The entity cache shared by replicas through Redis (`REDIS_URL`, `ENTITY_CACHE=redis`): what one
 * replica read, every replica answers from, and what a webhook changed is dropped for all of them by
 * the replica that took the webhook, before it acknowledges it (gateway/events/invalidation.ts).
 *
 * Under `<prefix>cache:`, per entity: `e:<type>:<key>`, a hash of its values by variant (a digest of
 * the variant, which may hold a client's forwarded headers), expiring at its type's freshness; and
 * `v:<type>:<key>`, its version, counted up by each invalidation. `t:<type>` counts an operator's
 * invalidations of a whole type. A read returns, for each entity it misses, the versions it saw; a
 * Lua script keeps an answer only if they are still the same, so a read in flight across an
 * invalidation (on any replica) keeps nothing. The versions also keep such a read from being shared
 * with a newer one (entity-cache.ts `version`).
 *
 * Should Redis fail, reads miss (the sources are asked; one warning until Redis answers again), and
 * an invalidation fails, so that the webhook is answered 503 and delivered again.
 *
 *   const cache = await createRedisEntityCache({ url, keyPrefix: 'switchboard:', maxAgeMs: { StockLevel: 60_000 } });
 */
import { createHash } from 'node:crypto';
import { log } from '../logging/log.js';
import { connectCacheClient } from './redis-client.js';
import { missingOf, NOT_OBSERVED, type EntityCache, type EntityCacheObserver } from './entity-cache.js';

export interface RedisEntityCacheOptions {
  url: string;
  keyPrefix: string;
  /** Each kept type's freshness, in milliseconds. */
  maxAgeMs: Readonly<Record<string, number>>;
  observer?: EntityCacheObserver;
}

// How long an entity's version outlives its invalidation: longer than any read can be in flight (REQUEST_TIMEOUT_MS is at most 10 minutes).
const VERSION_MS = 3_600_000;

// KEYS: the type's version, then each entity's values and version. ARGV: the variant.
// Each entity's answer: '=' and its value where held, '#' and its version where not.
const READ = `local out = { redis.call('GET', KEYS[1]) or '0' }
for i = 2, #KEYS, 2 do
  local value = redis.call('HGET', KEYS[i], ARGV[1])
  if value then out[#out + 1] = '=' .. value else out[#out + 1] = '#' .. (redis.call('GET', KEYS[i + 1]) or '0') end
end
return out`;
// KEYS as READ's. ARGV: the variant, the freshness, the type's version seen, then each entity's version seen and value.
const KEEP = `if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[3] then return 0 end
local kept = 0
for i = 2, #KEYS, 2 do
  local at = i + 2
  if (redis.call('GET', KEYS[i + 1]) or '0') == ARGV[at] then
    redis.call('HSET', KEYS[i], ARGV[1], ARGV[at + 1])
    if redis.call('PTTL', KEYS[i]) == -1 then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
    kept = kept + 1
  end
end
return kept`;
// KEYS: each entity's values and version. Each entity's answer: 1 where it was held.
const INVALIDATE = `local held = {}
for i = 1, #KEYS, 2 do
  redis.call('INCR', KEYS[i + 1])
  redis.call('PEXPIRE', KEYS[i + 1], ${VERSION_MS})
  held[#held + 1] = redis.call('DEL', KEYS[i])
end
return held`;

interface Scripts {
  readEntities(keyCount: number, ...args: string[]): Promise<string[]>;
  keepEntities(keyCount: number, ...args: string[]): Promise<number>;
  invalidateEntities(keyCount: number, ...args: string[]): Promise<number[]>;
}

export async function createRedisEntityCache({ url, keyPrefix, maxAgeMs, observer = NOT_OBSERVED }: RedisEntityCacheOptions, warn = (message: string) => log.warn(message)): Promise<EntityCache> {
  const { client, failed } = await connectCacheClient(url, 'the entity cache', warn, { readEntities: READ, keepEntities: KEEP, invalidateEntities: INVALIDATE });
  const scripts = client as unknown as Scripts;

  const prefix = `${keyPrefix}cache:`;
  const typeKey = (typename: string) => `${prefix}t:${typename}`;
  const entityKeys = (typename: string, id: string) => [`${prefix}e:${typename}:${id}`, `${prefix}v:${typename}:${id}`];
  return {
    keeps: (typename) => Object.hasOwn(maxAgeMs, typename),
    async read(typename, ids, variant) {
      const field = createHash('sha256').update(variant).digest('base64url').slice(0, 22);
      const keys = [typeKey(typename), ...ids.flatMap((id) => entityKeys(typename, id))];
      let answers: string[];
      try {
        answers = await scripts.readEntities(keys.length, ...keys, field);
      } catch (error) {
        failed(error as Error);
        observer.looked(typename, 0, ids.length);
        return { values: ids.map(() => undefined), missing: [...ids], version: '', keep: async () => {} };
      }
      const [typeVersion, ...held] = answers as [string, ...string[]];
      const values = held.map((answer) => (answer[0] === '=' ? JSON.parse(answer.slice(1)) as unknown : undefined));
      const missing = missingOf(ids, values);
      const versions = held.flatMap((answer) => (answer[0] === '#' ? [answer.slice(1)] : []));
      observer.looked(typename, ids.length - missing.length, missing.length);
      return {
        values,
        missing,
        version: `${typeVersion}:${versions.join(',')}`,
        async keep(answered) {
          const args = missing.flatMap((id, index) => [versions[index]!, JSON.stringify(answered[index] ?? null)]);
          const keepKeys = [typeKey(typename), ...missing.flatMap((id) => entityKeys(typename, id))];
          await scripts.keepEntities(keepKeys.length, ...keepKeys, field, String(maxAgeMs[typename]), typeVersion, ...args).catch(failed);
        },
      };
    },
    async invalidate(refs) {
      if (refs.length === 0) return 0;
      const keys = refs.flatMap(({ typename, id }) => entityKeys(typename, id));
      const held = await scripts.invalidateEntities(keys.length, ...keys);
      refs.forEach(({ typename }, index) => observer.invalidated(typename, held[index] === 1));
      return held.reduce((count, was) => count + was, 0);
    },
    async invalidateType(typename) {
      // Reads in flight for any entity of the type keep nothing from now on; then what is held goes.
      await client.incr(typeKey(typename));
      let dropped = 0;
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${globEscaped(prefix)}e:${typename}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) dropped += await client.unlink(...keys);
      } while (cursor !== '0');
      for (let count = 0; count < dropped; count++) observer.invalidated(typename, true);
      return dropped;
    },
    // Redis tells what it holds (INFO memory); a replica would have to scan every key to count.
    held: () => undefined,
    async close() {
      client.disconnect();
    },
  };
}

/** Private: `text` matched literally in a SCAN pattern. */
function globEscaped(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

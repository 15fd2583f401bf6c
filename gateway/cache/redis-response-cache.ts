/**
 * The response cache shared by replicas through Redis (`RESPONSE_CACHE=redis`, the default with
 * `REDIS_URL`): an answer kept by one replica is served by all, and the replica that takes a webhook
 * drops every answer holding what it changed, for all of them, before it acknowledges it.
 *
 * Under `<prefix>responses:`: `r:<key>`, an answer (when it was kept, a newline, its JSON), expiring at its
 * freshness; `x:<entity>`, the keys of the answers that hold the entity (`StockLevel:SKU-1`,
 * `StockLevel:?`, `StockLevel`: response-entities.ts); `c:<type>`, how many times an entity of the
 * type was invalidated. A read returns the counts of the types its answer may hold; a Lua script
 * keeps the answer only if they are still the same.
 *
 * Should Redis fail, reads miss (one warning until Redis answers again) and an invalidation fails,
 * so that the webhook is answered 503 and delivered again.
 */
import { log } from '../logging/log.js';
import { connectCacheClient } from './redis-client.js';
import { indexEntriesOf, type ResponseCache } from './response-cache.js';

// KEYS: the answer, then each type's count. The answer ('' when none is held), then the counts.
const READ = `local out = { redis.call('GET', KEYS[1]) or '' }
for i = 2, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '0' end
return out`;
// KEYS: the answer, ARGV[3] types' counts, then the index entries. ARGV: the answer, its freshness, how many types, their counts seen.
const KEEP = `local types = tonumber(ARGV[3])
for i = 1, types do if (redis.call('GET', KEYS[1 + i]) or '0') ~= ARGV[3 + i] then return 0 end end
local ms = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ms)
for i = 2 + types, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ms then redis.call('PEXPIRE', KEYS[i], ms) end
end
return 1`;
// KEYS: ARGV[1] types' counts, then the index entries to drop. How many answers were dropped.
const INVALIDATE = `local types = tonumber(ARGV[1])
for i = 1, types do redis.call('INCR', KEYS[i]) end
local dropped = 0
for i = types + 1, #KEYS do
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[i])) do dropped = dropped + redis.call('DEL', key) end
  redis.call('DEL', KEYS[i])
end
return dropped`;

interface Scripts {
  readResponse(keyCount: number, ...args: string[]): Promise<string[]>;
  keepResponse(keyCount: number, ...args: string[]): Promise<number>;
  invalidateResponses(keyCount: number, ...args: string[]): Promise<number>;
}

export async function createRedisResponseCache({ url, keyPrefix }: { url: string; keyPrefix: string }, warn = (message: string) => log.warn(message)): Promise<ResponseCache> {
  const { client, failed } = await connectCacheClient(url, 'the response cache', warn, { readResponse: READ, keepResponse: KEEP, invalidateResponses: INVALIDATE });
  const scripts = client as unknown as Scripts;

  const prefix = `${keyPrefix}responses:`;
  const countKey = (type: string) => `${prefix}c:${type}`;
  const indexKey = (entry: string) => `${prefix}x:${entry}`;
  const drop = (types: readonly string[], entries: readonly string[]) => {
    const keys = [...types.map(countKey), ...entries.map(indexKey)];
    return scripts.invalidateResponses(keys.length, ...keys, String(types.length));
  };
  return {
    async read(key, types) {
      const answerKey = `${prefix}r:${key}`;
      let answers: string[];
      try {
        answers = await scripts.readResponse(types.length + 1, answerKey, ...types.map(countKey));
      } catch (error) {
        failed(error as Error);
        return { version: '', keep: async () => {} };
      }
      const [held, ...counts] = answers as [string, ...string[]];
      const newline = held.indexOf('\n');
      // An entry written in another shape (by an older replica) is not held: it is run, and kept anew.
      const keptAt = newline > 0 ? Number(held.slice(0, newline)) : NaN;
      return {
        ...(Number.isFinite(keptAt) ? { held: { keptAt, body: held.slice(newline + 1) } } : {}),
        version: counts.join(','),
        async keep(response, entities, maxAgeMs) {
          if (maxAgeMs <= 0) return;
          const keys = [answerKey, ...types.map(countKey), ...[...entities].map(indexKey)];
          await scripts.keepResponse(keys.length, ...keys, `${response.keptAt}\n${response.body}`, String(Math.ceil(maxAgeMs)), String(types.length), ...counts)
            .catch(failed);
        },
      };
    },
    invalidate: (entities) => drop([...new Set(entities.map((entity) => entity.typename))], indexEntriesOf(entities)),
    invalidateType: (typename) => drop([typename], [typename]),
    // Redis tells what it holds (INFO memory).
    held: () => undefined,
    async close() {
      client.disconnect();
    },
  };
}

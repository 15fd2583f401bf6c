/**
 * The Redis connection of a cache store shared by replicas, and how it reports failing: one warning
 * until Redis answers again, while the store answers as if it held nothing. Commands fail at once
 * while Redis is away (no offline queue, one retry, a second at most): a cache never holds a request up.
 *
 *   const { client, failed } = await connectCacheClient(url, 'the entity cache', warn);
 *   await client.get(key).catch(failed);
 */
import { Redis } from 'ioredis';

export async function connectCacheClient(url: string, what: string, warn: (message: string) => void, scripts: Readonly<Record<string, string>>): Promise<{ client: Redis; failed: (error: Error) => void }> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  for (const [name, lua] of Object.entries(scripts)) client.defineCommand(name, { lua });
  let warned = false;
  client.on('error', () => undefined);
  client.on('ready', () => (warned = false));
  const failed = (error: Error) => {
    if (!warned) warn(`${what} misses while Redis fails: ${error.message}`);
    warned = true;
  };
  await client.connect().catch(failed);
  return { client, failed };
}

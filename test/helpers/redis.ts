/**
 * The Redis the scaled-mode tests run against: `TEST_REDIS_URL` when set, else the local one on
 * 127.0.0.1:6379 (.ci/run starts it). Each test uses its own key prefix and removes its keys.
 */
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** The keys matching `pattern`. */
export async function redisKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.keys(pattern);
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix`. */
export async function removeKeys(prefix: string): Promise<void> {
  const keys = await redisKeys(`${prefix}*`);
  if (keys.length === 0) return;
  const redis = new Redis(REDIS_URL);
  try {
    await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

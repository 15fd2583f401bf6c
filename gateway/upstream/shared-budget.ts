/**
 * A source's request budget shared by every replica through Redis (`REDIS_URL`): a provider's quota
 * is one number for all of them, so N replicas must not send N times it. The same token bucket as
 * token-bucket.ts, kept in one Redis hash per source (`<prefix>budget:<source>`: tokens, and when
 * they were counted, by Redis' clock) and taken by a Lua script, so that two replicas never take the
 * same token. A call waits here for the time the script gives it, as with the bucket in memory; a
 * provider's `Retry-After` pauses the budget of every replica.
 *
 * Should Redis fail, each replica falls back to its own bucket (one warning until Redis answers
 * again): calls go on, at one replica's share of the quota, rather than stop.
 *
 *   const budgets = createSharedBudgets({ url: 'redis://127.0.0.1:6379', keyPrefix: 'switchboard:' });
 *   const budget = budgets.for('crm', { perSecond: 200, burst: 50, maxWaitMs: 5000 });
 *   await budget.take();   // true: go now; false: over the budget
 */
import { Redis } from 'ioredis';
import { log } from '../logging/log.js';
import { createTokenBucket, type TokenBucket, type TokenBucketOptions } from './token-bucket.js';

/** What the upstream policy uses of a budget. */
export type RequestBudget = Pick<TokenBucket, 'take' | 'pause' | 'pausedFor'>;

export interface SharedBudgets {
  for(source: string, options: TokenBucketOptions): RequestBudget;
  close(): Promise<void>;
}

// Milliseconds by Redis' clock; tokens may go below zero (each waiting call owes one); `at` is in the future while paused.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;
const RESERVE = `${NOW}
local perSecond, burst, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(held[1]) or burst, tonumber(held[2]) or now
if now > at then tokens = math.min(burst, tokens + (now - at) * perSecond / 1000) at = now end
local wait = math.max(0, at - now)
if tokens < 1 then wait = wait + (1 - tokens) * 1000 / perSecond end
if wait > maxWait then return -1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], 3600000)
return math.ceil(wait)`;
const PAUSE = `${NOW}
local until = now + tonumber(ARGV[1])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local at = tonumber(held[2]) or now
if until <= at then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(held[1]) or 0, 0)), 'at', tostring(until))
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1`;

export function createSharedBudgets({ url, keyPrefix }: { url: string; keyPrefix: string }, warn = (message: string) => log.warn(message)): SharedBudgets {
  const client = new Redis(url, { keyPrefix: `${keyPrefix}budget:`, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1000 });
  let warned = false;
  client.on('error', () => undefined);
  client.on('ready', () => (warned = false));
  const fallBack = (error: Error) => {
    if (!warned) warn(`upstream budgets are each replica's own while Redis fails: ${error.message}`);
    warned = true;
  };
  return {
    for(source, options) {
      // The replica's own bucket: the pause it knows of, and the budget while Redis fails.
      const own = createTokenBucket(options);
      return {
        async take() {
          for (;;) {
            let wait: number;
            try {
              wait = Number(await client.eval(RESERVE, 1, source, options.perSecond, options.burst, options.maxWaitMs));
            } catch (error) {
              fallBack(error as Error);
              return own.take();
            }
            if (wait < 0) return false;
            // Used when it is due by the clock (a timer set late in a busy turn fires early: token-bucket.ts).
            const until = performance.now() + wait;
            for (let left = wait; left > 0; left = until - performance.now()) await new Promise((resolve) => setTimeout(resolve, left));
            // A provider's Retry-After that came meanwhile voids the token: queue again, behind the pause.
            if (own.pausedFor() === 0) return true;
          }
        },
        pause(until) {
          own.pause(until);
          const ms = Math.max(0, Math.ceil(until - performance.now()));
          client.eval(PAUSE, 1, source, ms).catch(fallBack);
        },
        pausedFor: () => own.pausedFor(),
      };
    },
    async close() {
      client.disconnect();
    },
  };
}

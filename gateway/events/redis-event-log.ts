/**
 * The event log shared by replicas through Redis (`REDIS_URL`): a webhook recorded by any replica is
 * delivered to the subscribers of every replica, in one order, and a redelivery to another replica
 * is still known as one. Per topic:
 * - `<prefix>events:<topic>`, a Redis stream capped at `capacity` entries, entry id `<seq>-0`;
 * - `<prefix>seq:<topic>`, the last position given;
 * - `<prefix>seen:<topic>:<event id>`, set for `dedupSeconds` once an event is recorded.
 * Recording is one Lua script (check the id, take the next position, append), so two replicas
 * taking the same event at once record it once. Each replica reads the streams with one blocking
 * `XREAD` on its own connection, from the last entry it read, so no entry is skipped; subscribers
 * join that reading exactly as in memory (see event-log.ts on `seq`).
 *
 *   const log = await createRedisEventLog({ url: 'redis://127.0.0.1:6379', topics: ['shipments', 'invoices'] });
 */
import { Redis } from 'ioredis';
import { log } from '../logging/log.js';
import { backlogOf, createListeners, DEFAULT_CAPACITY, type EventLog, type LoggedEvent, type WebhookEvent } from './event-log.js';

export interface RedisEventLogOptions {
  url: string;
  /** The topics this gateway reads (every source's webhooks publish to one of them). */
  topics: readonly string[];
  /** Put before every key, so that several deployments can share one Redis. */
  keyPrefix?: string;
  capacity?: number;
  /** How long an event id is remembered after it was recorded: redeliveries within it are dropped. */
  dedupSeconds?: number;
  warn?: (message: string) => void;
  /** Told, for each event heard, how long after Redis recorded it (the metrics' event log lag). */
  heard?: (lagSeconds: number) => void;
}

/** How long a command may take before the caller gets an error; the reader's blocking read has none. */
const COMMAND_TIMEOUT_MS = 2000;

/** A week: longer than payment providers keep retrying a delivery. */
export const DEFAULT_DEDUP_SECONDS = 7 * 24 * 3600;

const RECORD = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) then return 0 end
local seq = redis.call('INCR', KEYS[3])
local now = redis.call('TIME')
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'event', ARGV[1], 'at', now[1] * 1000 + math.floor(now[2] / 1000))
return seq`;

export async function createRedisEventLog(options: RedisEventLogOptions): Promise<EventLog> {
  const prefix = options.keyPrefix ?? 'switchboard:';
  const capacity = options.capacity ?? DEFAULT_CAPACITY;
  const dedupSeconds = options.dedupSeconds ?? DEFAULT_DEDUP_SECONDS;
  const warn = options.warn ?? ((message: string) => log.warn(message));
  const streamOf = (topic: string) => `${prefix}events:${topic}`;
  const listeners = createListeners();
  const connect = async (commandTimeout?: number) => {
    // Commands fail at once while Redis is away, and within `commandTimeout` when it stops answering
    // (a webhook is then answered 503 and sent again); the connection comes back by itself.
    const client = new Redis(options.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout });
    // One line per outage once running; failing to connect at start is the start's own error.
    let quiet = true;
    let lastError: Error | undefined;
    client.on('error', (error: Error) => {
      lastError = error;
      if (!quiet) warn(`Redis at ${redactedUrl(options.url)} failed: ${error.message}`);
      quiet = true;
    });
    client.on('ready', () => (quiet = false));
    await client.connect().catch((error: Error) => {
      client.disconnect();
      throw new Error(`REDIS_URL: cannot connect to ${redactedUrl(options.url)}: ${(lastError ?? error).message}`);
    });
    return client;
  };
  const commands = await connect(COMMAND_TIMEOUT_MS);
  const reader = await connect().catch(async (error: unknown) => {
    commands.disconnect();
    throw error;
  });

  // Read from the newest entry of each stream now: what was recorded before is the backlog's.
  const positions = new Map<string, string>();
  for (const topic of options.topics) {
    const [newest] = await commands.xrevrange(streamOf(topic), '+', '-', 'COUNT', 1);
    positions.set(topic, newest?.[0] ?? '0-0');
  }
  let closed = false;
  const reading = (async () => {
    while (!closed) {
      try {
        const topics = [...positions.keys()];
        const answer = await reader.xread('BLOCK', 5000, 'STREAMS', ...topics.map(streamOf), ...topics.map((topic) => positions.get(topic)!));
        for (const [stream, entries] of answer ?? []) {
          const topic = topics.find((candidate) => streamOf(candidate) === stream)!;
          for (const entry of entries) {
            positions.set(topic, entry[0]);
            // Redis' clock when it recorded the event, against this gateway's: keep the hosts' clocks in sync (NTP).
            const at = Number(entry[1][3]);
            if (options.heard && Number.isFinite(at)) options.heard((Date.now() - at) / 1000);
            listeners.publish(toLogged(entry));
          }
        }
      } catch (error) {
        if (closed) return;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();

  return {
    async record(event: WebhookEvent) {
      const seq = await commands.eval(RECORD, 3, `${prefix}seen:${event.topic}:${event.id}`, streamOf(event.topic), `${prefix}seq:${event.topic}`,
        JSON.stringify(event), capacity, dedupSeconds);
      return Number(seq) > 0;
    },
    async since(topic, afterId) {
      const entries = await commands.xrange(streamOf(topic), '-', '+');
      const events = entries.map(toLogged);
      const lastSeq = events.length > 0 ? events.at(-1)!.seq : Number(await commands.get(`${prefix}seq:${topic}`) ?? 0);
      return backlogOf(events, lastSeq, afterId);
    },
    listen: listeners.listen,
    listenerCount: listeners.listenerCount,
    onEvent: listeners.onEvent,
    endStreams: listeners.endAll,
    async reachable() {
      const answer = commands.ping();
      const timeout = new Promise<null>((resolve) => setTimeout(resolve, 1000, null).unref());
      return (await Promise.race([answer.catch(() => null), timeout])) === 'PONG';
    },
    async close() {
      closed = true;
      reader.disconnect();
      // A read that was waiting to be sent again when Redis went away is never settled by
      // ioredis' disconnect (it stays in the offline queue): the loop ends when it next wakes, or is
      // left to end then.
      await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}

/** Private: a stream entry (`[id, ['event', json]]`) as the event it holds. */
function toLogged([id, fields]: [string, string[]]): LoggedEvent {
  return { ...(JSON.parse(fields[1]!) as WebhookEvent), seq: Number(id.split('-')[0]) };
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'the configured Redis';
  }
}

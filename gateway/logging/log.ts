/**
 * The gateway's log (pino): one JSON object per line in production, one readable line in
 * development (`NODE_ENV` other than production, or `LOG_FORMAT=pretty`), at `LOG_LEVEL` (info by
 * default). The lines of a request carry its `requestId`, the value of the `x-request-id` header
 * (http-server.ts sets it on the request as it arrives, and the upstream side reads it from the
 * client's headers it already carries): passed along, not kept in an AsyncLocalStorage, which on
 * Node 22 hooks every promise and cost W3-vars a quarter of its throughput (bench, 2026-12-07). Credentials
 * never reach a line: the fields that hold them are redacted wherever they sit, and messages are
 * written by the gateway, which never puts a secret in one.
 *
 *   log.warn({ source: 'crm', code: 'UPSTREAM_TIMEOUT' }, 'upstream attempt failed');
 *   // {"level":"warn","time":"2026-12-07T10:00:00.000Z","requestId":"9f1c…","source":"crm","code":"UPSTREAM_TIMEOUT","msg":"upstream attempt failed"}
 */
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** Keys whose values are never written, at any depth pino can name. */
const SECRETS = ['authorization', 'cookie', 'password', 'secret', 'token', 'apiKey', 'clientSecret', 'accessToken'];

/** A client's `x-request-id` when it is a sane one (letters, digits, `.:_-`, at most 128), else a new UUID. */
export function requestIdFrom(given: string | string[] | null | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

export function createLog(env: Record<string, string | undefined> = process.env, destination?: DestinationStream): Logger {
  const level = LEVELS.includes(env.LOG_LEVEL as LogLevel) ? (env.LOG_LEVEL as LogLevel) : 'info';
  const pretty = env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT !== 'json' && env.NODE_ENV !== 'production');
  return pino({
    level,
    base: undefined,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: SECRETS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]), censor: '[redacted]' },
  }, destination ?? (pretty ? readableLines(process.stdout) : pino.destination({ fd: 1, sync: false })));
}

/** The log of this process. */
export const log = createLog();

/** Private: pino's JSON lines as one readable line each: `10:00:00.000 WARN  upstream attempt failed source=crm …`. */
function readableLines(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const { time, level, msg, requestId, ...fields } = JSON.parse(line) as Record<string, unknown>;
      const rest = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      out.write(`${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg ?? '')}${rest.length ? ` ${rest.join(' ')}` : ''}${requestId ? ` requestId=${String(requestId)}` : ''}\n`);
    },
  };
}

/**
 * Fault injection for the demo upstreams, off until asked for: `POST /_admin/faults` with one fault or
 * a list sets them, `GET /_admin/faults` lists them, `DELETE /_admin/faults` clears them. Each fault
 * hits the requests it matches (all, or some `operations`), for `count` requests or until cleared,
 * with probability `rate`. The first matching fault wins.
 *
 *   curl -X POST localhost:4101/_admin/faults -d '{"kind":"rate-limit","retryAfterSeconds":2,"count":3}'
 *   curl -X POST localhost:4102/_admin/faults -d '{"kind":"latency","ms":3000,"phase":"after","operations":["createPayment"]}'
 *
 * Kinds:
 * - `latency`: waits `ms` before the service does the work (`phase: "before"`, the default), or after
 *   it did and before it answers (`"after"`: the work is done, the answer is late);
 * - `error`: answers HTTP `status` (500 by default; `retryAfterSeconds` adds Retry-After) without doing the work;
 * - `rate-limit`: answers 429 with `Retry-After: retryAfterSeconds` (1 by default);
 * - `malformed`: answers 200 with a body cut short, in the service's own format;
 * - `reset`: sends the headers and half a body, then resets the connection (`phase: "after"` does the work first);
 * - `down`: drops the connection without a word, as a crashed host does (`phase: "after"`: after the work);
 * - `soap-fault` (SOAP services): answers a SOAP 1.1 Fault `soap:Server` without doing the work;
 * - actions that happen once, when posted, rather than staying set: `expire-tokens` (payments).
 */
import type { IncomingMessage } from 'node:http';

export type FaultKind = 'latency' | 'error' | 'rate-limit' | 'malformed' | 'reset' | 'down' | 'soap-fault';
export type Dialect = 'json' | 'soap' | 'graphql';

export interface Fault {
  kind: FaultKind;
  /** The operations it hits (REST operationId, SOAP operation); every request when absent. */
  operations?: string[];
  /** How many matching requests it hits before it is gone; unlimited when absent. */
  count?: number;
  /** The chance that a matching request is hit, from 0 to 1; 1 when absent. */
  rate?: number;
  ms?: number;
  phase?: 'before' | 'after';
  status?: number;
  retryAfterSeconds?: number;
}

export interface FaultBook {
  /** Adds the faults of a `POST /_admin/faults` body, or runs its action; throws a `FaultError` naming what is wrong. */
  add(body: unknown): Fault[];
  clear(): void;
  list(): Fault[];
  /** The fault that hits this request, if any; counts it. */
  pick(req: IncomingMessage): Fault | undefined;
}

export class FaultError extends Error {}

export interface FaultBookOptions {
  dialect: Dialect;
  /** The operation a request asks for, read before the service runs; services that cannot tell leave it out. */
  operationOf?: (req: IncomingMessage) => string | undefined;
  /** One-off actions a service offers (`expire-tokens`). */
  actions?: Record<string, () => void>;
}

const KINDS: readonly FaultKind[] = ['latency', 'error', 'rate-limit', 'malformed', 'reset', 'down', 'soap-fault'];

export function createFaultBook(options: FaultBookOptions): FaultBook {
  let faults: Fault[] = [];
  return {
    add(body) {
      const items = Array.isArray(body) ? body : [body];
      const added: Fault[] = [];
      for (const item of items) {
        const kind = (item as { kind?: unknown } | null)?.kind;
        const action = typeof kind === 'string' ? options.actions?.[kind] : undefined;
        if (action) action();
        else added.push(checkFault(item, options));
      }
      faults.push(...added);
      return added;
    },
    clear() {
      faults = [];
    },
    list() {
      return faults.map((fault) => ({ ...fault }));
    },
    pick(req) {
      if (faults.length === 0) return undefined;
      const operation = options.operationOf?.(req);
      const fault = faults.find((candidate) =>
        (!candidate.operations || (operation !== undefined && candidate.operations.includes(operation)))
        && (candidate.rate === undefined || Math.random() < candidate.rate));
      if (fault?.count !== undefined && --fault.count <= 0) faults = faults.filter((candidate) => candidate !== fault);
      return fault;
    },
  };
}

/** A body the service's clients cannot read: valid up to a point, then cut. */
export function malformedBody(dialect: Dialect): { contentType: string; body: string } {
  switch (dialect) {
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: '[{"id":"prod-0001","name":"Aurora' };
    case 'graphql':
      return { contentType: 'application/graphql-response+json; charset=utf-8', body: '{"data":{"productReviews":[{"productId":' };
    case 'soap':
      return {
        contentType: 'text/xml; charset=utf-8',
        body: '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStockLevelsResponse><StockLevel><Sku>SKU-0001',
      };
  }
}

/** The body of an `error` fault: a problem in the service's format. */
export function errorBody(dialect: Dialect, status: number): { contentType: string; body: string } {
  if (dialect === 'soap') return { contentType: 'text/plain; charset=utf-8', body: `HTTP ${status}: the service is having trouble.` };
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: 'injected_fault', message: `HTTP ${status}: the service is having trouble.` }) };
}

/** Private: a fault from an admin request, checked field by field. */
function checkFault(item: unknown, options: FaultBookOptions): Fault {
  if (typeof item !== 'object' || item === null) throw new FaultError('A fault must be a JSON object with a `kind`.');
  const raw = item as Record<string, unknown>;
  const kinds = [...KINDS, ...Object.keys(options.actions ?? {})];
  if (!KINDS.includes(raw.kind as FaultKind)) throw new FaultError(`\`kind\` must be one of ${kinds.join(', ')}, but got: ${JSON.stringify(raw.kind)}.`);
  const kind = raw.kind as FaultKind;
  if (kind === 'soap-fault' && options.dialect !== 'soap') throw new FaultError('`soap-fault` is for SOAP services only.');
  const known = new Set(['kind', 'operations', 'count', 'rate', 'ms', 'phase', 'status', 'retryAfterSeconds']);
  const unknown = Object.keys(raw).find((key) => !known.has(key));
  if (unknown) throw new FaultError(`A fault has no field ${JSON.stringify(unknown)}; known: ${[...known].join(', ')}.`);
  const int = (name: string, min: number, max: number) => {
    const value = raw[name];
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      throw new FaultError(`\`${name}\` must be an integer from ${min} to ${max}, but got: ${JSON.stringify(value)}.`);
    }
    return value as number;
  };
  const fault: Fault = { kind };
  if (raw.operations !== undefined) {
    if (!Array.isArray(raw.operations) || raw.operations.some((op) => typeof op !== 'string')) {
      throw new FaultError('`operations` must be a list of operation names.');
    }
    if (!options.operationOf) throw new FaultError('This service cannot tell operations apart before it reads a request; leave `operations` out.');
    fault.operations = raw.operations as string[];
  }
  if (raw.rate !== undefined) {
    if (typeof raw.rate !== 'number' || raw.rate < 0 || raw.rate > 1) throw new FaultError(`\`rate\` must be a number from 0 to 1, but got: ${JSON.stringify(raw.rate)}.`);
    fault.rate = raw.rate;
  }
  if (raw.phase !== undefined) {
    if (raw.phase !== 'before' && raw.phase !== 'after') throw new FaultError(`\`phase\` must be "before" or "after", but got: ${JSON.stringify(raw.phase)}.`);
    fault.phase = raw.phase;
  }
  const count = int('count', 1, 1_000_000);
  const ms = int('ms', 0, 600_000);
  const status = int('status', 400, 599);
  const retryAfterSeconds = int('retryAfterSeconds', 0, 86_400);
  if (kind === 'latency' && ms === undefined) throw new FaultError('A `latency` fault needs `ms`.');
  return {
    ...fault,
    ...(count !== undefined ? { count } : {}),
    ...(ms !== undefined ? { ms } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/**
 * What a demo upstream received: one entry per HTTP request, so that tests prove batching by the
 * shape of the calls (the `keys` of each entry) and not only by the data that came back.
 *
 *   const log = new RequestLog();
 *   log.record({ method: 'GET', path: '/products', operation: 'listProducts', keys: ['prod-0001'], status: 200 });
 *   log.entries.map((entry) => entry.keys); // [['prod-0001']]
 */

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The REST operationId, the SOAP operation name, or the GraphQL root fields joined by ","; '' when unknown. */
  operation: string;
  /** The ids, SKUs or product ids the request asked for, in its order; [] when none. */
  keys: string[];
  /** The HTTP status of the response. */
  status: number;
  /** The query string, for REST calls. */
  query?: Record<string, string>;
  /** The request's headers, as received. */
  headers?: Record<string, string>;
  /** The injected fault that hit the request, if one did (faults.ts). */
  fault?: string;
}

export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #count = 0;
  readonly #countOnly: boolean;

  /** `countOnly` keeps the number of requests but not the entries (long benchmark runs). */
  constructor(options: { countOnly?: boolean } = {}) {
    this.#countOnly = options.countOnly ?? false;
  }

  /** Records a copy of `entry`, so a caller that keeps its object cannot rewrite history. */
  record(entry: RequestLogEntry): void {
    this.#count += 1;
    if (!this.#countOnly) this.#entries.push({ ...entry, keys: [...entry.keys] });
  }

  get entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  get count(): number {
    return this.#count;
  }

  reset(): void {
    this.#entries = [];
    this.#count = 0;
  }

  /** The body of `GET /_admin/requests`. */
  toJSON(): { count: number; requests: RequestLogEntry[] } {
    return { count: this.count, requests: [...this.#entries] };
  }
}

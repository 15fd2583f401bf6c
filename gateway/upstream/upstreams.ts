/**
 * The way out of the gateway: every call to an upstream goes through `Upstreams.send`, which runs it
 * under that source's policy (in-flight sharing, circuit breaker, request budget, concurrency limit,
 * timeout, retries: policy.ts), passes on the client headers the source allows, and adds the source's
 * own credentials to each attempt. A REST source is asked for what the operation's contract says it
 * answers in, and its answer is taken only in such a media type (media-types.ts). Mesh's handlers
 * reach it through `mesh-fetch.ts`; the SOAP source through its transport; plain REST reads through
 * gateway/sources/source-clients.ts.
 *
 *   const upstreams = createUpstreams(config);
 *   const response = await upstreams.request('carrier', `${config.sources.carrier.url}/parcels?ids=PCL-1001`);
 */
import type { GatewayConfig, SourceConfig } from '../config/config.js';
import { errorForStatus } from '../errors.js';
import { createRestMediaLookup, type RestMedia } from '../sources/rest/openapi-media.js';
import { PROJECT_ROOT } from '../config/project.js';
import { createCredentials, type Attempt, type SourceCredentials } from './credentials/index.js';
import { exchange, toResponse, type UpstreamReply } from './http-exchange.js';
import { JSON_ONLY, readAnswer, type OperationMedia } from './media-types.js';
import { createUpstreamPolicy, type UpstreamPolicy } from './policy.js';
import type { AttemptTrace, UpstreamObserver } from './observer.js';
import type { SharedBudgets } from './shared-budget.js';
import { traceAttempt, type TraceScope } from '../tracing/spans.js';

export interface CallOptions {
  /**
   * A read: safe to send again, and shared with identical reads in flight. By default GET, HEAD and
   * OPTIONS requests and GraphQL queries are reads.
   */
  read?: boolean;
  /** Safe to send again (retried), as reads and calls with an `Idempotency-Key` header are by default. */
  idempotent?: boolean;
  /** The headers of the client request the call is made for: the source gets those it allows. */
  clientHeaders?: Headers;
  /**
   * The contract's name for the call, for the metrics: a SOAP operation, a GraphQL root field. A REST
   * call's is its operationId, found by its method and path.
   */
  operation?: string;
  /** Where the call's attempts are traced (the span of the batch or execution it serves), when the request is. */
  trace?: TraceScope;
  /** The version of the cached entities a read is for: reads are shared in flight only with the same (scope.ts). */
  dataVersion?: string;
}

export interface UpstreamsOptions {
  /**
   * What each REST source's operations answer in, by source (undefined for one that is not REST): the
   * `Accept` its calls carry and the answers `request` and `requestText` take. By default, read from
   * the contracts that `.meshrc.yaml` gives Mesh's OpenAPI handler.
   */
  restMedia?: (source: string) => RestMedia | undefined;
  /** Told of every attempt, retry, short circuit and budget wait (gateway/metrics/). */
  observer?: UpstreamObserver;
  /** The request budgets replicas share through Redis (shared-budget.ts); each gateway's own without. */
  budgets?: SharedBudgets;
}

/** A source's name, as its folder in `sources/` gives it. */
type AnySource = string;

export interface Upstreams {
  /** The source whose upstream serves `url`, if any. */
  sourceFor(url: string): AnySource | undefined;
  /** Sends a request to a source's upstream under its policy; any HTTP status comes back as is. */
  send(source: AnySource, url: string, init?: RequestInit, options?: CallOptions): Promise<Response>;
  /**
   * Like `send`, but a non-2xx answer becomes the typed error the affected fields get, and a REST
   * source's answer is read as its operation declares: XML as the JSON of its value, an undeclared
   * media type as UPSTREAM_BAD_RESPONSE.
   */
  request(source: AnySource, url: string, init?: RequestInit, options?: CallOptions): Promise<Response>;
  /**
   * Like `request`, answered with the body's text: one string for all callers that shared the call,
   * decoded once, with no `Response` made for each (the stitched graph's reads, gateway/sources/source-clients.ts).
   */
  requestText(source: AnySource, url: string, init?: RequestInit, options?: CallOptions): Promise<string>;
  /**
   * A read made above the HTTP exchange (a source client's query, with the work of building the
   * request and shaping the answer): the same read in flight for clients whose forwarded headers
   * are the same shares one outcome, until the source's policy forgets its reads in flight.
   */
  shareRead<T>(source: AnySource, key: string, clientHeaders: Headers | undefined, read: () => Promise<T>): Promise<T>;
  /**
   * What of a client's headers a source sees (its allowed headers, as lines): two clients who differ
   * here may get different answers, so a read shared or kept for one is not the other's.
   */
  seenHeaders(source: AnySource, clientHeaders: Headers | undefined): string;
  /** The client headers any source is allowed, as `seenHeaders` gives them: what a whole answer may depend on. */
  seenByAny(clientHeaders: Headers): string;
  /** Each source's policy, for health reports and tests. */
  readonly policies: Readonly<Record<string, UpstreamPolicy>>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const IDEMPOTENT_METHODS = new Set([...READ_METHODS, 'PUT', 'DELETE']);
// A GraphQL request whose document starts with a query (or its shorthand `{`), as JSON sends it.
const GRAPHQL_QUERY = /^\s*\{\s*"query"\s*:\s*"\s*(query\b|\{)/;

export function createUpstreams(config: GatewayConfig, options: UpstreamsOptions = {}): Upstreams {
  const restMedia = options.restMedia ?? createRestMediaLookup(PROJECT_ROOT);
  const settings = new Map<string, SourceConfig>(Object.values(config.sources).map((source) => [source.name, source]));
  // Longest first, so that two sources on one host under different paths are told apart.
  const prefixes = [...settings.values()]
    .map((source) => ({ source: source.name, prefix: source.url }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const policies = Object.fromEntries([...settings.values()].map(({ name, policy }) => [name, createUpstreamPolicy(name, policy, options.observer, options.budgets)])) as Upstreams['policies'];
  const credentials = new Map<string, SourceCredentials>([...settings.values()].map((source) => [
    source.name,
    createCredentials(source.name, source.credentials, { sourceUrl: source.url, timeoutMs: source.policy.timeoutMs, observer: options.observer }),
  ]));

  /**
   * Private: one attempt, with the source's credentials put on it anew; a 401 to a credential that
   * can be renewed (an OAuth2 token the provider revoked early) is tried once more with a new one.
   */
  const attempt = async (source: AnySource, url: string, init: RequestInit, headers: Headers, trace?: AttemptTrace): Promise<UpstreamReply> => {
    const timeoutMs = policies[source]!.timeoutMs;
    const credential = credentials.get(source)!;
    if (trace) for (const [name, value] of Object.entries(trace.headers)) headers.set(name, value);
    const send = async () => {
      // The attempt's own headers (the caller made them for it), so the second try carries a new credential over the first's.
      const outgoing: Attempt = { url: new URL(url), headers, body: init.body as Attempt['body'] };
      await credential.apply(outgoing);
      return { outgoing, reply: await exchange(outgoing.url, { ...init, headers: outgoing.headers, body: outgoing.body as BodyInit | undefined }, timeoutMs, credential.agent) };
    };
    const first = await send();
    if (first.reply.status !== 401 || !credential.renew(first.outgoing)) return first.reply;
    return (await send()).reply;
  };

  /** Private: what a REST source's operation at `url` answers in; undefined for a source of another protocol. */
  const mediaOf = (source: AnySource, method: string, url: string): OperationMedia | undefined => {
    const media = restMedia(source);
    if (!media) return undefined;
    const base = settings.get(source)?.url;
    const below = base !== undefined && url.startsWith(base) ? url.slice(base.length) : new URL(url).pathname;
    const path = below.split(/[?#]/)[0]!;
    return media.operation(method, path.startsWith('/') ? path : `/${path}`) ?? JSON_ONLY;
  };

  const call = (
    source: AnySource, url: string, init: RequestInit = {}, options: CallOptions = {},
    media = mediaOf(source, (init.method ?? 'GET').toUpperCase(), url),
  ): Promise<UpstreamReply> => {
    const policy = policies[source];
    if (!policy) return Promise.reject(new Error(`Switchboard has no source named ${source}.`));
    const method = (init.method ?? 'GET').toUpperCase();
    const base = new Headers(init.headers);
    const forwarded = forwardedHeaders(settings.get(source)!.forwardHeaders, options.clientHeaders);
    for (const [name, value] of forwarded) base.set(name, value);
    // What the gateway reads, JSON first, over what the handler wrote (a Swagger 2.0 `produces` in the
    // contract's order) or a client sent: the answer is the gateway's to read.
    if (media) base.set('accept', media.accept);
    const operation = options.operation ?? media?.name ?? method;
    const scope = options.trace;
    const read = options.read ?? (READ_METHODS.has(method) || media?.read === true || (method === 'POST' && typeof init.body === 'string' && GRAPHQL_QUERY.test(init.body)));
    return policy.run({
      idempotent: options.idempotent ?? (read || IDEMPOTENT_METHODS.has(method) || base.has('idempotency-key')),
      shareKey: read ? `${method} ${url}\n${headerLines(forwarded)}\n${String(init.body ?? '')}\n${options.dataVersion ?? ''}` : undefined,
      operation,
      requestId: options.clientHeaders?.get('x-request-id') ?? undefined,
      // Each attempt gets its own copy: credentials and its trace headers are set on it.
      attempt: (trace) => attempt(source, url, init, new Headers(base), trace),
      ...(scope ? { trace: (retry: number) => traceAttempt(scope, { source, operation, method, url, retry }) } : {}),
    });
  };
  const seenHeaders = (source: AnySource, clientHeaders: Headers | undefined) => headerLines(forwardedHeaders(settings.get(source)?.forwardHeaders ?? [], clientHeaders));
  const send: Upstreams['send'] = async (source, url, init, options) => toResponse(await call(source, url, init, options));
  /**
   * Private: a success answer, a REST source's as its operation declares it (media-types.ts), read
   * once for all who share it; any other status is the typed error of its fields.
   */
  const callOk = async (source: AnySource, url: string, init: RequestInit = {}, options?: CallOptions): Promise<UpstreamReply> => {
    const media = mediaOf(source, (init.method ?? 'GET').toUpperCase(), url);
    const reply = await call(source, url, init, options, media);
    if (reply.status < 200 || reply.status > 299) throw errorForStatus(source, reply.status, reply.headers);
    if (!media) return reply;
    let read = answers.get(reply);
    if (!read) answers.set(reply, (read = readAnswer(source, media, reply)));
    return read;
  };

  return {
    sourceFor(url) {
      // A whole path segment: http://127.0.0.1:4101 is not http://127.0.0.1:41012.
      return prefixes.find(({ prefix }) => url.startsWith(prefix) && (url.length === prefix.length || '/?#'.includes(url[prefix.length]!)))?.source;
    },
    send,
    request: async (source, url, init, options) => toResponse(await callOk(source, url, init, options)),
    requestText: async (source, url, init, options) => textOf(await callOk(source, url, init, options)),
    shareRead(source, key, clientHeaders, read) {
      const policy = policies[source];
      if (!policy) return Promise.reject(new Error(`Switchboard has no source named ${source}.`));
      // Not an HTTP method: these never meet the exchanges' keys.
      return policy.share(`read ${key}\n${seenHeaders(source, clientHeaders)}`, read);
    },
    seenHeaders,
    seenByAny: (clientHeaders) => Object.keys(policies).map((source) => seenHeaders(source, clientHeaders)).join('\n'),
    policies,
  };
}

function headerLines(headers: [string, string][]): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

const texts = new WeakMap<UpstreamReply, string>();
/** The answers as their operations declare them, by the reply they came in: one reading for every sharer. */
const answers = new WeakMap<UpstreamReply, UpstreamReply>();

/** Private: a reply's body as text (UTF-8, without a byte order mark, as `Response.text()` reads it), decoded once. */
function textOf(reply: UpstreamReply): string {
  let text = texts.get(reply);
  if (text === undefined) {
    text = reply.body.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    texts.set(reply, text);
  }
  return text;
}

/**
 * Private: the client request headers a source allows, in the order of its allowlist. A client's
 * `Authorization` is never among them unless an operator lists it, and a source's own credentials
 * are set after these, so they win.
 */
function forwardedHeaders(allowed: readonly string[], client: Headers | undefined): [string, string][] {
  if (allowed.length === 0 || !client) return [];
  return allowed.flatMap((name) => {
    const value = client.get(name);
    return value === null ? [] : [[name, value] as [string, string]];
  });
}

/**
 * The way out of the gateway: every call to an upstream goes through `Upstreams.send`, which injects
 * that source's credentials, bounds the call with a timeout and turns transport failures into typed
 * errors. Mesh's handlers reach it through `mesh-fetch.ts`; the SOAP source through its transport.
 */
import type { GatewayConfig, SourceName } from '../config.js';
import { codeForUpstreamStatus, upstreamError } from '../errors.js';
import { exchange } from './http-exchange.js';
import { createClientCredentials } from './oauth2.js';

export interface Upstreams {
  /** The source whose upstream serves `url`, if any. */
  sourceFor(url: string): SourceName | undefined;
  /** Sends a request to a source's upstream with its credentials; any HTTP status comes back as is. */
  send(source: SourceName, url: string, init?: RequestInit): Promise<Response>;
  /** Like `send`, but a non-2xx answer becomes the typed error the affected fields get. */
  request(source: SourceName, url: string, init?: RequestInit): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createUpstreams(config: GatewayConfig): Upstreams {
  const { catalog, payments, reviews } = config.sources;
  // Longest first, so that two sources on one host under different paths are told apart.
  const prefixes = Object.values(config.sources)
    .map((source) => ({ source: source.name, prefix: source.url }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const paymentsTokens = createClientCredentials({
    source: 'payments',
    tokenUrl: payments.tokenUrl,
    clientId: payments.clientId,
    clientSecret: payments.clientSecret,
    variables: 'PAYMENTS_CLIENT_ID and PAYMENTS_CLIENT_SECRET',
    send: (url, init) => transmit('payments', url, init),
  });

  /** Private: one HTTP exchange, with failures of the transport itself as typed errors. */
  const transmit = async (source: SourceName, url: string, init: RequestInit): Promise<Response> => {
    try {
      return await exchange(url, init, DEFAULT_TIMEOUT_MS);
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw upstreamError(source, 'UPSTREAM_TIMEOUT', `${source} did not answer within ${DEFAULT_TIMEOUT_MS} ms.`);
      }
      throw upstreamError(source, 'UPSTREAM_UNAVAILABLE', `${source} could not be reached.`);
    }
  };

  const withHeaders = (init: RequestInit, extra: Record<string, string>): RequestInit => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return { ...init, headers };
  };

  const send = async (source: SourceName, url: string, init: RequestInit = {}): Promise<Response> => {
    switch (source) {
      case 'catalog':
        return transmit(source, url, withHeaders(init, { 'x-api-key': catalog.apiKey }));
      case 'reviews':
        return transmit(source, url, withHeaders(init, { authorization: `Bearer ${reviews.token}` }));
      case 'payments': {
        const token = await paymentsTokens.get();
        const response = await transmit(source, url, withHeaders(init, { authorization: `Bearer ${token}` }));
        if (response.status !== 401) return response;
        // The upstream may revoke a token before its announced expiry: fetch a new one, once.
        paymentsTokens.invalidate(token);
        await response.body?.cancel();
        const fresh = await paymentsTokens.get();
        return transmit(source, url, withHeaders(init, { authorization: `Bearer ${fresh}` }));
      }
      case 'inventory':
        // WS-Security travels inside the SOAP envelope (see gateway/soap), not in HTTP headers.
        return transmit(source, url, init);
    }
  };

  return {
    sourceFor(url) {
      return prefixes.find(({ prefix }) => url.startsWith(prefix))?.source;
    },
    send,
    async request(source, url, init) {
      const response = await send(source, url, init);
      if (response.ok) return response;
      await response.body?.cancel();
      throw errorForStatus(source, response);
    },
  };
}

/** Private: the client-safe error for an upstream's non-2xx answer. */
function errorForStatus(source: SourceName, response: Response) {
  const code = codeForUpstreamStatus(response.status);
  const retryAfter = response.headers.get('retry-after');
  const message =
    code === 'UPSTREAM_AUTH_FAILED'
      ? `${source} refused Switchboard's credentials (HTTP ${response.status}).`
      : `${source} answered HTTP ${response.status}.`;
  return upstreamError(source, code, message, {
    upstreamStatus: response.status,
    ...(retryAfter ? { retryAfter } : {}),
  });
}

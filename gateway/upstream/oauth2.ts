/**
 * OAuth2 client-credentials tokens for one upstream (RFC 6749 §4.4): fetched on first use, cached,
 * refreshed before they expire, and fetched by one call however many requests wait for one.
 *
 *   const tokens = createClientCredentials({ source: 'payments', tokenUrl, clientId, clientSecret, send });
 *   const token = await tokens.get();    // one POST /oauth/token, then cached
 *   tokens.invalidate(token);             // after a 401: the next get() fetches a new one
 */
import { upstreamError } from '../errors.js';

export interface ClientCredentialsOptions {
  source: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** The variables that hold the credentials, named in the error an operator sees when they are wrong. */
  variables: string;
  send: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => number;
}

export interface ClientCredentials {
  get(): Promise<string>;
  invalidate(token: string): void;
}

// Refresh this long before the upstream's expiry, so a token never expires on its way to the upstream.
const EXPIRY_MARGIN_MS = 10_000;

export function createClientCredentials(options: ClientCredentialsOptions): ClientCredentials {
  const now = options.now ?? Date.now;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const response = await options.send(options.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    if (response.status === 400 || response.status === 401) {
      throw upstreamError(options.source, 'UPSTREAM_AUTH_FAILED',
        `${options.source} refused Switchboard's client credentials; check ${options.variables}.`);
    }
    if (!response.ok) {
      throw upstreamError(options.source, 'UPSTREAM_UNAVAILABLE', `${options.source} could not issue an access token (HTTP ${response.status}).`);
    }
    const body = (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof body?.access_token !== 'string') {
      throw upstreamError(options.source, 'UPSTREAM_BAD_RESPONSE', `${options.source} answered the token request without an access_token.`);
    }
    const lifetimeMs = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 60_000;
    cached = { token: body.access_token, refreshAt: now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return body.access_token;
  };

  return {
    get() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

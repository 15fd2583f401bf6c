/**
 * OAuth2 client-credentials tokens for one upstream (RFC 6749 §4.4): fetched on first use, cached,
 * refreshed before they expire, and fetched by one call however many requests wait for one. The
 * scopes and audience asked for are the source's declaration; the client authenticates with HTTP
 * Basic (the RFC's default) or, for providers that want it, with form fields.
 *
 *   const tokens = createClientCredentials({ source: 'crm', tokenUrl, clientId, clientSecret, scopes: ['contacts:read'], send });
 *   const token = await tokens.get();    // one POST to the token URL, then cached
 *   tokens.invalidate(token);             // after a 401: the next get() fetches a new one
 */
import { upstreamError } from '../../errors.js';
import type { Credential } from './index.js';

export interface ClientCredentialsOptions {
  source: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as `scope`, space-separated; none by default. */
  scopes?: readonly string[];
  /** Sent as `audience` (Auth0, Okta and others name the API a token is for this way). */
  audience?: string;
  /** `basic` (default): an `Authorization: Basic` header; `body`: `client_id` and `client_secret` form fields. */
  clientAuthentication?: 'basic' | 'body';
  /** The variables that hold the credentials, named in the error an operator sees when they are wrong. */
  variables: string;
  send: (url: string, init: RequestInit) => Promise<Response>;
  /** Told how each token request ended (the metrics). */
  observe?: (outcome: 'ok' | 'failed') => void;
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
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scopes?.length) form.set('scope', options.scopes.join(' '));
    if (options.audience) form.set('audience', options.audience);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (options.clientAuthentication === 'body') {
      form.set('client_id', options.clientId);
      form.set('client_secret', options.clientSecret);
    } else {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;
    }
    const response = await options.send(options.tokenUrl, { method: 'POST', headers, body: form.toString() });
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
    // Some providers send the lifetime as a string of digits.
    const expiresIn = typeof body.expires_in === 'string' && /^\d+$/.test(body.expires_in) ? Number(body.expires_in) : body.expires_in;
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : 60_000;
    cached = { token: body.access_token, refreshAt: now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return body.access_token;
  };

  return {
    get() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().then((token) => {
        options.observe?.('ok');
        return token;
      }, (error: unknown) => {
        options.observe?.('failed');
        throw error;
      }).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/**
 * The bearer token of a client-credentials grant on each attempt; after a 401 the token that
 * attempt carried is forgotten and the attempt is made once more with a new one (the provider may
 * revoke a token before its announced expiry).
 */
export function clientCredentialsCredential(tokens: ClientCredentials): Credential {
  const carried = new WeakMap<Headers, string>();
  return {
    async apply(attempt) {
      const token = await tokens.get();
      carried.set(attempt.headers, token);
      attempt.headers.set('authorization', `Bearer ${token}`);
    },
    renew(attempt) {
      const token = carried.get(attempt.headers);
      if (token === undefined) return false;
      tokens.invalidate(token);
      return true;
    },
  };
}

/**
 * The payment processor's OAuth2 side: the client-credentials token endpoint (RFC 6749 §4.4) and the
 * bearer token check of every other route (RFC 6750). Tokens are random, kept in memory, and expire.
 *
 *   const tokens = createTokenStore(300);
 *   const routes = [createTokenRoute({ clientId, clientSecret }, tokens), ...];
 *   createJsonHandler(routes, (request) => requireBearerToken(request, tokens));
 */
import { randomBytes } from 'node:crypto';
import { safeEqual } from '../world/config.js';
import { HttpError, problem, readBody, type JsonRequest, type JsonRoute } from '../world/json-api.js';

export const SCOPE = 'payments:read payments:write';

export interface TokenStore {
  readonly ttlSeconds: number;
  issue(): string;
  /** 'valid', or why the token is refused. */
  check(token: string): 'valid' | 'expired' | 'unknown';
  /** Every token issued so far expires now (fault injection: `expire-tokens`). */
  expireAll(): void;
}

export function createTokenStore(ttlSeconds: number, now: () => number = Date.now): TokenStore {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new Error(`tokenTtlSeconds must be a positive integer, but got: ${ttlSeconds}.`);
  }
  const expiries = new Map<string, number>();
  return {
    ttlSeconds,
    issue() {
      // Forget expired tokens here, so a long-running demo does not keep every token it ever issued.
      for (const [token, expiresAt] of expiries) if (expiresAt <= now()) expiries.delete(token);
      const token = randomBytes(32).toString('base64url');
      expiries.set(token, now() + ttlSeconds * 1000);
      return token;
    },
    check(token) {
      const expiresAt = expiries.get(token);
      if (expiresAt === undefined) return 'unknown';
      return expiresAt > now() ? 'valid' : 'expired';
    },
    expireAll() {
      for (const token of expiries.keys()) expiries.set(token, now());
    },
  };
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** `POST /oauth/token`: `grant_type=client_credentials`, the client by HTTP Basic or by form fields. */
export function createTokenRoute(client: OAuthClient, tokens: TokenStore): JsonRoute {
  return {
    method: 'POST',
    path: '/oauth/token',
    operation: 'issueToken',
    public: true,
    async handle({ req }) {
      if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
        throw oauthError(400, 'invalid_request');
      }
      const form = new URLSearchParams(await readBody(req));
      const presented = presentedClient(req.headers.authorization, form);
      if (!presented || !safeEqual(presented.id, client.clientId) || !safeEqual(presented.secret, client.clientSecret)) {
        // RFC 6749 §5.2: a client that tried HTTP Basic is told which scheme to retry with.
        throw oauthError(401, 'invalid_client', presented?.basic ? { 'www-authenticate': 'Basic realm="payments"' } : {});
      }
      const grantType = form.get('grant_type');
      if (!grantType) throw oauthError(400, 'invalid_request');
      if (grantType !== 'client_credentials') throw oauthError(400, 'unsupported_grant_type');
      return {
        status: 200,
        headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
        body: { access_token: tokens.issue(), token_type: 'Bearer', expires_in: tokens.ttlSeconds, scope: SCOPE },
      };
    },
  };
}

/** Refuses a request whose bearer token is missing, unknown or expired, with a 401 as RFC 6750 §3 describes. */
export function requireBearerToken({ req }: JsonRequest, tokens: TokenStore): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const verdict = match ? tokens.check(match[1]!) : 'missing';
  if (verdict === 'valid') return;
  const reasons = { missing: 'The bearer token is missing.', unknown: 'The bearer token is not known.', expired: 'The bearer token has expired.' };
  throw problem(401, 'invalid_token', reasons[verdict], { 'www-authenticate': 'Bearer error="invalid_token"' });
}

/** Private: an error of RFC 6749 §5.2; token responses must not be cached either way. */
function oauthError(status: number, error: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { error }, { 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
}

/**
 * Private: the client's credentials from an `Authorization: Basic` header or the `client_id` and
 * `client_secret` form fields. Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1).
 */
function presentedClient(authorization: string | undefined, form: URLSearchParams): { id: string; secret: string; basic: boolean } | undefined {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { id: '', secret: '', basic: true };
    const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)].map(formDecode) as [string, string];
    return { id, secret, basic: true };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret, basic: false } : undefined;
}

/** Private: `application/x-www-form-urlencoded` decoding; a malformed escape is kept as is, and fails the check. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

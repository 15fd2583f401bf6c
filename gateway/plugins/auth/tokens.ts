/**
 * Client tokens: JWT bearer tokens, checked for their signature (a shared secret, or the issuer's
 * keys from a JWKS URL), issuer, audience and expiry, with 30 s of clock skew allowed. What a valid
 * token says is the viewer: whose data it may read (`subject`, a customer id) and whether it carries
 * the staff scope (every customer's).
 *
 *   const verify = createTokenVerifier(config.auth);
 *   await verify(token);   // { subject: 'cust-0003', staff: false }, or throws TokenError('the token has expired')
 *   await mintToken(config.auth, { subject: 'cust-0003', ttlSeconds: 3600 });   // for the demo and tests
 */
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AuthConfig } from '../../config/config.js';

export interface Viewer {
  /** The token's `sub`: the customer it acts for. */
  subject: string;
  /** Whether the token carries the staff scope. */
  staff: boolean;
}

/** A token that was presented but cannot be trusted; the message says why, without the token. */
export class TokenError extends Error {}

const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;

export function createTokenVerifier(auth: AuthConfig): (token: string) => Promise<Viewer> {
  const key = auth.secret
    ? new TextEncoder().encode(auth.secret)
    : auth.jwksUrl
      ? createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
      : undefined;
  return async (token) => {
    if (!key) throw new TokenError('this gateway has no key to check tokens with (AUTH_JWT_SECRET or AUTH_JWKS_URL)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: auth.secret ? SECRET_ALGORITHMS : KEY_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new TokenError(reasonOf(error));
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    return { subject: payload.sub!, staff: scopes.includes(auth.staffScope) };
  };
}

export interface TokenClaims {
  subject: string;
  /** Space-separated, as OAuth 2 writes scopes (`staff`). */
  scope?: string;
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** A token signed with the gateway's shared secret (the demo's, or a test's). */
export async function mintToken(auth: Pick<AuthConfig, 'secret' | 'issuer' | 'audience'>, claims: TokenClaims): Promise<string> {
  if (!auth.secret) throw new Error('Minting a token needs AUTH_JWT_SECRET.');
  const jwt = new SignJWT(claims.scope ? { scope: claims.scope } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer ?? auth.issuer)
    .setAudience(claims.audience ?? auth.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.ttlSeconds ?? 3600));
  return jwt.sign(new TextEncoder().encode(auth.secret));
}

/** Private: why jose refused a token, in words a client can act on. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the token is not meant for this API (aud)';
    if (error.claim === 'iss') return 'the token comes from another issuer (iss)';
    if (error.claim === 'nbf') return 'the token is not valid yet (nbf)';
    return `the token lacks a valid ${error.claim} claim`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token\'s signature does not match';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this gateway does not accept';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token is signed with a key the issuer does not publish';
  // Not jose's verdict on the token: the issuer's keys could not be fetched.
  if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'the issuer\'s keys cannot be read now';
  return 'the token is not a well-formed JWT';
}

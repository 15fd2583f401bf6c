/**
 * A static bearer token (RFC 6750): `Authorization: Bearer …` on every call, such as a provider's
 * personal access token. A token that changes is an OAuth2 grant (oauth2-client-credentials.ts).
 *
 *   bearerCredential({ token: process.env.REVIEWS_TOKEN });
 */
import type { Credential } from './index.js';

export function bearerCredential({ token }: { token: string }): Credential {
  const value = `Bearer ${token}`;
  return {
    apply(attempt) {
      attempt.headers.set('authorization', value);
    },
  };
}

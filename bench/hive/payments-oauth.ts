/**
 * Gateway plugin: OAuth2 client credentials (RFC 6749 §4.4) for the payments upstream. Hive Gateway /
 * Mesh v1 have no built-in client-credentials flow for upstream REST sources, so this fetches a token
 * from `${PAYMENTS_URL}/oauth/token` (form fields client_id/client_secret), caches it until shortly
 * before `expires_in`, and adds `authorization: Bearer <token>` to every request to PAYMENTS_URL.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway';

export function usePaymentsOAuth(): GatewayPlugin {
  const base = process.env.PAYMENTS_URL!;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const getToken = (): Promise<string> => {
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.token);
    pending ??= (async () => {
      const res = await fetch(new URL('/oauth/token', base), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: process.env.PAYMENTS_CLIENT_ID!,
          client_secret: process.env.PAYMENTS_CLIENT_SECRET!,
        }),
      });
      if (!res.ok) throw new Error(`payments token endpoint answered ${res.status}`);
      const body = (await res.json()) as { access_token: string; expires_in: number };
      cached = { token: body.access_token, expiresAt: Date.now() + Math.max(1, body.expires_in - 30) * 1000 };
      return body.access_token;
    })().finally(() => (pending = undefined));
    return pending;
  };
  return {
    async onFetch({ url, options, setOptions }) {
      if (!url.startsWith(base)) return;
      const token = await getToken();
      setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    },
  };
}

/**
 * An API key, in a header or a query parameter of any name, as the provider asks for it
 * (`x-api-key: …`, `?api_key=…`, `Authorization: Token …`).
 *
 *   apiKeyCredential({ in: 'query', name: 'api_key', value: process.env.SHIPPING_API_KEY });
 */
import type { Credential } from './index.js';

export interface ApiKey {
  in: 'header' | 'query';
  name: string;
  value: string;
}

export function apiKeyCredential(key: ApiKey): Credential {
  return {
    apply(attempt) {
      if (key.in === 'header') attempt.headers.set(key.name, key.value);
      else attempt.url.searchParams.set(key.name, key.value);
    },
  };
}

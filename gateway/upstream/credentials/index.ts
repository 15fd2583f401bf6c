/**
 * A source's credentials on each call it makes: what its manifest declares
 * (gateway/config/credentials.ts), one file here per kind. Each attempt gets them anew, so that a
 * retried call carries a fresh token, timestamp or nonce. Several kinds combine: a client
 * certificate and an API key, a UsernameToken and SOAP headers.
 *
 *   const credentials = createCredentials('crm', settings, { sourceUrl, timeoutMs });
 *   await credentials.apply(attempt);                    // before sending
 *   if (reply.status === 401 && credentials.renew(attempt)) { await credentials.apply(retry); … }
 */
import type { Agent } from 'node:http';
import type { CredentialSettings } from '../../config/credentials.js';
import { exchange, toResponse } from '../http-exchange.js';
import { transportError } from '../policy.js';
import { apiKeyCredential } from './api-key.js';
import { basicCredential } from './basic.js';
import { bearerCredential } from './bearer.js';
import { mutualTlsAgent } from './mutual-tls.js';
import { clientCredentialsCredential, createClientCredentials } from './oauth2-client-credentials.js';
import { usernameTokenCredential } from './ws-security.js';
import type { UpstreamObserver } from '../observer.js';

/** One attempt on its way out: a credential may change its URL (a query parameter), headers and body. */
export interface Attempt {
  url: URL;
  headers: Headers;
  body: string | Uint8Array | undefined;
}

export interface Credential {
  /** Puts the credential on one attempt; may wait for a token. */
  apply(attempt: Attempt): void | Promise<void>;
  /**
   * The upstream answered 401 to `attempt`: forgets what it carried, and says whether one more
   * attempt with a new credential may pass. Static secrets leave it out: trying them again cannot.
   */
  renew?(attempt: Attempt): boolean;
}

export interface SourceCredentials {
  apply(attempt: Attempt): Promise<void>;
  renew(attempt: Attempt): boolean;
  /** The connection agent for a source with a client certificate; the shared one otherwise. */
  agent?: Agent;
}

export interface CredentialContext {
  /** The source's URL, under which a token URL that is a path (`/oauth/token`) lies. */
  sourceUrl: string;
  timeoutMs: number;
  /** Told of each OAuth2 token request (the metrics). */
  observer?: UpstreamObserver;
}

export function createCredentials(source: string, settings: readonly CredentialSettings[], context: CredentialContext): SourceCredentials {
  const tls = settings.find((setting) => setting.type === 'mutualTls');
  const agent = tls ? mutualTlsAgent(source, tls) : undefined;
  const credentials = settings.flatMap((setting): Credential[] => {
    switch (setting.type) {
      case 'apiKey':
        return [apiKeyCredential(setting)];
      case 'bearer':
        return [bearerCredential(setting)];
      case 'basic':
        return [basicCredential(setting)];
      case 'wsSecurity':
        return [usernameTokenCredential(setting)];
      case 'oauth2ClientCredentials': {
        const tokenUrl = setting.tokenUrl.startsWith('/') ? `${context.sourceUrl}${setting.tokenUrl}` : setting.tokenUrl;
        return [clientCredentialsCredential(createClientCredentials({
          source,
          ...setting,
          tokenUrl,
          variables: setting.variables.join(' and ') || `the clientId and clientSecret in sources/${source}/source.json`,
          observe: (outcome) => context.observer?.tokenFetched(source, outcome),
          // The token call goes around the policy: it is made from inside an attempt, which holds a slot already.
          send: async (url, init) => {
            try {
              return toResponse(await exchange(url, init, context.timeoutMs, url.startsWith('https:') ? agent : undefined));
            } catch (error) {
              throw transportError(source, error, context.timeoutMs);
            }
          },
        }))];
      }
      // The SOAP source writes these into its envelopes, where the WSDL says (gateway/sources/soap/soap-source.ts);
      // a client certificate is the connection's, not the attempt's.
      case 'soapHeaders':
      case 'mutualTls':
        return [];
    }
  });
  return {
    async apply(attempt) {
      for (const credential of credentials) await credential.apply(attempt);
    },
    renew(attempt) {
      let renewed = false;
      for (const credential of credentials) renewed = (credential.renew?.(attempt) ?? false) || renewed;
      return renewed;
    },
    ...(agent ? { agent } : {}),
  };
}

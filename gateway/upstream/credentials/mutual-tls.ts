/**
 * Mutual TLS: the gateway shows the provider a client certificate on every connection to the
 * source, and may trust a private certificate authority for the provider's own. Each value is PEM
 * text or the path of a PEM file (a mounted secret); a file that cannot be read stops the start.
 *
 *   const agent = mutualTlsAgent('ledger', { cert: '/run/secrets/ledger.crt', key: '/run/secrets/ledger.key' });
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { ConfigError } from '../../config/config.js';
import { AGENT_OPTIONS } from '../http-exchange.js';

export interface MutualTls {
  cert: string;
  key: string;
  ca?: string;
  passphrase?: string;
}

/** One keep-alive agent per source: connections made with its certificate are never used for another source. */
export function mutualTlsAgent(source: string, tls: MutualTls): Agent {
  const pem = (value: string, what: string): string => {
    if (value.trimStart().startsWith('-----BEGIN')) return value;
    try {
      return readFileSync(value, 'utf8');
    } catch {
      throw new ConfigError(`${source}: the mutualTls ${what} is neither PEM text nor a readable PEM file (${value}).`);
    }
  };
  try {
    return new Agent({
      ...AGENT_OPTIONS,
      cert: pem(tls.cert, 'cert'),
      key: pem(tls.key, 'key'),
      ...(tls.ca ? { ca: pem(tls.ca, 'ca') } : {}),
      ...(tls.passphrase ? { passphrase: tls.passphrase } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${source}: the mutualTls certificate and key do not make a TLS client (${(error as Error).message}).`);
  }
}

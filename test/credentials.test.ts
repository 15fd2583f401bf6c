// Every kind of upstream credential a manifest can declare (sources/<name>/source.json), from the
// declaration through the environment to the wire, against local upstreams that check each one the
// way its providers do, written here apart from the gateway's code: an API key in a header and in the
// query, a bearer token, Basic, OAuth2 client credentials (scopes, audience, both ways for a client to
// authenticate; cached, single-flight, refreshed before expiry, renewed once on 401), WS-Security
// UsernameToken as text and as digest, and mutual TLS. A wrong secret is UPSTREAM_AUTH_FAILED.
// (SOAP header values are declared with source:add --auth soapHeaders, and checked by the upstreams
// of bring-your-own.test.ts.)
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../gateway/config/config.js';
import type { DeclaredCredential } from '../gateway/config/credentials.js';
import type { SourceManifest } from '../gateway/config/source-manifests.js';
import { createUpstreams } from '../gateway/upstream/index.js';
import { usernameTokenValid } from './helpers/username-token.js';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
const issued = new Set<string>();
let tokenLifetime: number | string = 300;
let server: Server;
let base: string;

// The provider's own checks.
const USER = 'shop';
const PASSWORD = 'pässword 4';
function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://provider');
  seen.push({ path: `${url.pathname}${url.search}`, headers: req.headers, body });
  const ok = () => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  const refuse = () => void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
  const auth = req.headers.authorization ?? '';
  switch (url.pathname) {
    case '/header-key/items': return req.headers['x-api-key'] === 'key-1' ? ok() : refuse();
    case '/query-key/items': return url.searchParams.get('api_key') === 'key-2' ? ok() : refuse();
    case '/bearer/items': return auth === 'Bearer token-3' ? ok() : refuse();
    case '/basic/items': return auth === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` ? ok() : refuse();
    case '/oauth/token': {
      const form = new URLSearchParams(body);
      const basic = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':').map(decodeURIComponent) : undefined;
      const [id, secret] = basic ?? [form.get('client_id'), form.get('client_secret')];
      if (form.get('grant_type') !== 'client_credentials' || id !== 'crm-client' || secret !== 'crm-secret') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      const token = `at-${randomUUID()}`;
      issued.add(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: tokenLifetime }));
      return;
    }
    case '/oauth/items': return issued.has(auth.replace(/^Bearer /, '')) ? ok() : refuse();
    case '/soap/text':
    case '/soap/digest': {
      const valid = usernameTokenValid(body, { username: USER, password: PASSWORD, type: url.pathname.endsWith('digest') ? 'digest' : 'text' });
      res.writeHead(valid ? 200 : 500, { 'content-type': 'text/xml' }).end(valid
        ? '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Ok/></soap:Body></soap:Envelope>'
        : '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>wsse:FailedAuthentication</faultcode><faultstring>refused</faultstring></soap:Fault></soap:Body></soap:Envelope>');
      return;
    }
    default:
      res.writeHead(404).end();
  }
}

const serve = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
};

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));

/** A gateway's upstreams for one source declared with `credentials`, its secrets in `env`. */
function upstreamsFor(path: string, credentials: DeclaredCredential[], env: Record<string, string>, url = `${base}${path}`) {
  const manifest: SourceManifest = { name: 'provider', kind: 'openapi', contract: 'openapi.json', credentials, policy: { retries: 0 }, idempotentOperations: [] };
  const config = loadConfig({ PROVIDER_URL: url, ...env }, [manifest]);
  return { url, upstreams: createUpstreams(config, { restMedia: () => undefined }) };
}

const AUTH_FAILED = { extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'provider', upstreamStatus: 401 } };

describe('static secrets', () => {
  it.each([
    ['an API key in a header', '/header-key', { type: 'apiKey', in: 'header', name: 'x-api-key', value: '{env.PROVIDER_KEY}' }, 'key-1'],
    ['an API key in the query', '/query-key', { type: 'apiKey', in: 'query', name: 'api_key', value: '{env.PROVIDER_KEY}' }, 'key-2'],
    ['a bearer token', '/bearer', { type: 'bearer', token: '{env.PROVIDER_KEY}' }, 'token-3'],
    ['Basic, UTF-8', '/basic', { type: 'basic', username: USER, password: '{env.PROVIDER_KEY}' }, PASSWORD],
  ] as const)('sends %s, and a wrong one is UPSTREAM_AUTH_FAILED', async (_, path, credential, secret) => {
    const right = upstreamsFor(path, [credential as DeclaredCredential], { PROVIDER_KEY: secret });
    const response = await right.upstreams.request('provider', `${right.url}/items?page=2`);
    expect(await response.json()).toEqual({ ok: true });
    // The query key joins the call's own parameters; it is on no other call.
    expect(seen.at(-1)!.path).toBe(path === '/query-key' ? `${path}/items?page=2&api_key=key-2` : `${path}/items?page=2`);
    const wrong = upstreamsFor(path, [credential as DeclaredCredential], { PROVIDER_KEY: 'wrong' });
    await expect(wrong.upstreams.request('provider', `${wrong.url}/items`)).rejects.toMatchObject(AUTH_FAILED);
  });
});

describe('OAuth2 client credentials', () => {
  const declared = (more: Record<string, unknown> = {}): DeclaredCredential => ({
    type: 'oauth2ClientCredentials', tokenUrl: '/oauth/token', clientId: '{env.CRM_CLIENT_ID}', clientSecret: '{env.CRM_CLIENT_SECRET}', ...more,
  });
  const env = { CRM_CLIENT_ID: 'crm-client', CRM_CLIENT_SECRET: 'crm-secret' };
  const tokenCalls = () => seen.filter((entry) => entry.path === '/oauth/token');

  it('asks for the declared scopes and audience once for 20 concurrent calls, authenticating with Basic or in the body', async () => {
    for (const clientAuthentication of ['basic', 'body']) {
      seen.length = 0;
      const { upstreams } = upstreamsFor('', [declared({ scopes: ['contacts:read', 'deals:read'], audience: 'https://crm.example/api', clientAuthentication })], env);
      const answers = await Promise.all(Array.from({ length: 20 }, () => upstreams.request('provider', `${base}/oauth/items`).then((response) => response.json())));
      expect(answers).toEqual(Array(20).fill({ ok: true }));
      expect(tokenCalls()).toHaveLength(1);
      const form = new URLSearchParams(tokenCalls()[0]!.body);
      expect([form.get('scope'), form.get('audience'), form.has('client_secret'), (tokenCalls()[0]!.headers.authorization ?? '').startsWith('Basic ')])
        .toEqual(['contacts:read deals:read', 'https://crm.example/api', clientAuthentication === 'body', clientAuthentication === 'basic']);
      // The secret never travels to the API itself.
      expect(seen.filter((entry) => entry.path === '/oauth/items').every((entry) => /^Bearer at-/.test(entry.headers.authorization ?? ''))).toBe(true);
    }
  });

  it('takes a new token before the old one expires, and a lifetime sent as a string', async () => {
    seen.length = 0;
    tokenLifetime = '2';
    try {
      const { upstreams } = upstreamsFor('', [declared()], env);
      await upstreams.request('provider', `${base}/oauth/items`);
      await upstreams.request('provider', `${base}/oauth/items`);
      expect(tokenCalls()).toHaveLength(1);
      // Refreshed at half of a short life: the token still worked when it was replaced.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await upstreams.request('provider', `${base}/oauth/items`);
      expect(tokenCalls()).toHaveLength(2);
    } finally {
      tokenLifetime = 300;
    }
  });

  it('renews a token the provider revoked early, once, and names the variables when the client is refused', async () => {
    seen.length = 0;
    const { upstreams } = upstreamsFor('', [declared()], env);
    await upstreams.request('provider', `${base}/oauth/items`);
    issued.clear();
    expect(await (await upstreams.request('provider', `${base}/oauth/items`)).json()).toEqual({ ok: true });
    expect(tokenCalls()).toHaveLength(2);
    expect(seen.filter((entry) => entry.path === '/oauth/items').map((entry) => entry.headers.authorization !== undefined)).toEqual([true, true, true]);

    const wrong = upstreamsFor('', [declared()], { ...env, CRM_CLIENT_SECRET: 'wrong' });
    await expect(wrong.upstreams.request('provider', `${base}/oauth/items`)).rejects.toMatchObject({
      message: "provider refused Switchboard's client credentials; check CRM_CLIENT_ID and CRM_CLIENT_SECRET.",
      extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'provider' },
    });
  });
});

describe('WS-Security UsernameToken', () => {
  const envelope = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetRates/></soap:Body></soap:Envelope>';
  it.each(['text', 'digest'] as const)('puts a %s password in each envelope, anew on every attempt', async (passwordType) => {
    const declared: DeclaredCredential = { type: 'wsSecurity', username: USER, password: '{env.BILLING_PASSWORD}', passwordType };
    const { url, upstreams } = upstreamsFor(`/soap/${passwordType}`, [declared], { BILLING_PASSWORD: PASSWORD });
    const send = () => upstreams.send('provider', url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: envelope });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const [first, second] = seen.slice(-2).map((entry) => /<wsse:Nonce[^>]*>([^<]+)</.exec(entry.body)?.[1]);
    if (passwordType === 'digest') expect(first).not.toBe(second);
    const wrong = upstreamsFor(`/soap/${passwordType}`, [declared], { BILLING_PASSWORD: 'wrong' });
    const refused = await wrong.upstreams.send('provider', url, { method: 'POST', body: envelope });
    expect([refused.status, await refused.text()]).toEqual([500, expect.stringContaining('wsse:FailedAuthentication')]);
  });
});

describe('mutual TLS', () => {
  let folder: string;
  let tls: ReturnType<typeof createTlsServer>;
  let tlsUrl: string;
  const openssl = (...args: string[]) => {
    const run = spawnSync('openssl', args, { cwd: folder, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
  };
  /** A key and a certificate for `name`, signed by the authority `ca`. */
  const issue = (name: string, ca: string, altName?: string) => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    if (altName) writeFileSync(join(folder, `${name}.ext`), `subjectAltName=${altName}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2',
      ...(altName ? ['-extfile', `${name}.ext`] : []));
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'switchboard-mtls-'));
    for (const ca of ['provider-ca', 'other-ca']) {
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-subj', `/CN=${ca}`, '-days', '2');
    }
    issue('server', 'provider-ca', 'IP:127.0.0.1');
    issue('shop', 'provider-ca');
    issue('intruder', 'other-ca');
    const pem = (name: string) => readFileSync(join(folder, name), 'utf8');
    tls = createTlsServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('provider-ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client: peer.subject?.CN }));
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => tls?.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  const declared: DeclaredCredential = { type: 'mutualTls', cert: '{env.LEDGER_CERT}', key: '{env.LEDGER_KEY}', ca: '{env.LEDGER_CA}' };
  const files = (client: string) => ({ LEDGER_CERT: join(folder, `${client}.crt`), LEDGER_KEY: join(folder, `${client}.key`), LEDGER_CA: join(folder, 'provider-ca.crt') });

  it('shows the declared client certificate (files or PEM text), and trusts the provider\'s own authority', async () => {
    const { upstreams } = upstreamsFor('', [declared], files('shop'), tlsUrl);
    expect(await (await upstreams.request('provider', `${tlsUrl}/ledger`)).json()).toEqual({ client: 'shop' });
    const pemText = Object.fromEntries(Object.entries(files('shop')).map(([name, path]) => [name, readFileSync(path, 'utf8')]));
    const inline = upstreamsFor('', [declared], pemText, tlsUrl);
    expect(await (await inline.upstreams.request('provider', `${tlsUrl}/ledger`)).json()).toEqual({ client: 'shop' });
  });

  it('is UPSTREAM_AUTH_FAILED when the provider refuses the certificate, and stops the start when a file is missing', async () => {
    // OpenSSL's own server, as TLS servers do, refuses a certificate with an alert (unknown CA). Node's
    // TLS server instead drops the connection without one: that is UPSTREAM_UNAVAILABLE, as any drop is.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const strict = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'server.crt', '-key', 'server.key', '-CAfile', 'provider-ca.crt',
      '-Verify', '1', '-verify_return_error', '-www', '-quiet'], { cwd: folder, stdio: 'ignore' });
    try {
      const strictUrl = `https://127.0.0.1:${port}`;
      await expect.poll(() => new Promise((resolve) => connect(port, '127.0.0.1').once('connect', function (this: Socket) {
        this.destroy();
        resolve(true);
      }).once('error', () => resolve(false))), { timeout: 5000 }).toBe(true);
      const shop = upstreamsFor('', [declared], files('shop'), strictUrl);
      expect((await shop.upstreams.send('provider', `${strictUrl}/`)).status).toBe(200);
      const intruder = upstreamsFor('', [declared], files('intruder'), strictUrl);
      await expect(intruder.upstreams.request('provider', `${strictUrl}/`)).rejects.toMatchObject({
        message: "provider refused Switchboard's client certificate.",
        extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'provider' },
      });
    } finally {
      strict.kill();
    }
    expect(() => upstreamsFor('', [declared], { ...files('shop'), LEDGER_KEY: '/nowhere/shop.key' }, tlsUrl))
      .toThrow('provider: the mutualTls key is neither PEM text nor a readable PEM file (/nowhere/shop.key).');
  });
});

/**
 * Providers change their APIs: `npm run sources:drift` reads each live contract with the source's
 * credentials and says what changed and whether known clients would meet it; `source:add --update`
 * re-pins a provider's new version, refusing what would break known clients unless told to accept it.
 * First against the demo world as it runs (every contract as pinned), then in a copy of the project
 * with added sources whose local upstreams publish changed contracts (OpenAPI, WSDL, GraphQL).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkDrift, driftExitCode } from '../gateway/compose/contract-drift.js';
import { FIXTURES, listen, serveGraphQL, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, fileDigests, type ProjectCopy } from './helpers/project-copy.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

describe('npm run sources:drift against the demo world', () => {
  let switchboard: TestSwitchboard;
  beforeAll(async () => {
    switchboard = await startTestSwitchboard();
  }, 60_000);
  afterAll(() => switchboard?.close());

  it('reads every live contract with the source\'s credentials, and finds each as pinned', async () => {
    await switchboard.resetLogs();
    const report = await checkDrift(process.env);
    const { catalog, payments, inventory, reviews } = switchboard.world;
    expect(report.sources).toEqual([
      { source: 'catalog', status: 'unchanged', from: `${catalog.url}/openapi.json` },
      { source: 'inventory', status: 'unchanged', from: `${process.env.INVENTORY_URL}?wsdl` },
      { source: 'payments', status: 'unchanged', from: `${payments.url}/openapi.json` },
      { source: 'reviews', status: 'unchanged', from: process.env.REVIEWS_URL },
    ]);
    expect(driftExitCode(report)).toBe(0);
    const requests = await switchboard.requests();
    expect(requests.catalog.map((request) => [request.operation, request.status, request.headers['x-api-key'] !== undefined])).toEqual([['openApiDocument', 200, true]]);
    // The OAuth2 token first, then the document with it.
    expect(requests.payments.map((request) => [request.operation, request.status])).toEqual([['issueToken', 200], ['openApiDocument', 200]]);
    expect(requests.reviews.map((request) => request.status)).toEqual([200]);
    void inventory;
    void reviews;
  }, 60_000);

  it('says which sources it could not check, and why, in one line each', async () => {
    const report = await checkDrift({ ...process.env, CATALOG_API_KEY: 'not-the-key', PAYMENTS_CLIENT_SECRET: '', INVENTORY_URL: '' }, { only: ['catalog', 'inventory', 'payments'] });
    expect(report.sources).toEqual([
      { source: 'catalog', status: 'unchecked', from: `${switchboard.world.catalog.url}/openapi.json`, reason: `its live contract could not be read at ${switchboard.world.catalog.url}/openapi.json: it answered HTTP 401` },
      { source: 'inventory', status: 'unchecked', reason: 'INVENTORY_URL is not set, and its manifest names no endpoint' },
      { source: 'payments', status: 'unchecked', reason: 'PAYMENTS_CLIENT_SECRET must be set: sources/payments/source.json sends it to payments (credentials[0].clientSecret, of its oauth2ClientCredentials credential), but it is missing.' },
    ]);
    expect(driftExitCode(report)).toBe(2);
    await expect(checkDrift(process.env, { only: ['nosuch'] })).rejects.toThrow('there is no source named nosuch (sources: catalog, inventory, payments, reviews)');
  }, 60_000);
});

describe('drift and updates of added sources, in a copy of the project', () => {
  const CRM_KEY = 'crm-key-1';
  let project: ProjectCopy;
  let changed: string;
  let crm: Upstream;
  let tracking: Upstream;
  let lockers: Upstream;
  /** What the lockers' network publishes at ?wsdl. */
  let lockersWsdl: string;
  /** The CRM's live contract: `visits` gone, a third account status. */
  let crmLive: Record<string, any>;
  const env = () => ({ CRM_API_KEY: CRM_KEY });
  // Asynchronously: the upstreams answer from this process.
  const drift = async (...args: string[]) => {
    const result = await project.runAsync('npm', ['run', '-s', 'sources:drift', '--', ...args], env());
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) };
  };
  const update = (...args: string[]) => project.run('npm', ['run', '-s', 'source:add', '--', '--update', ...args]);

  beforeAll(async () => {
    project = copyProject();
    changed = mkdtempSync(join(tmpdir(), 'switchboard-changed-'));
    crmLive = parseYaml(readFileSync(join(FIXTURES, 'crm-accounts.openapi.yaml'), 'utf8'));
    delete crmLive.components.schemas.Account.properties.visits;
    crmLive.components.schemas.Account.properties.status.enum.push('suspended');
    writeFileSync(join(changed, 'crm-accounts.openapi.yaml'), JSON.stringify(crmLive, null, 2));
    crm = await listen((req, res) => {
      const ok = req.url === '/v1/openapi.json' && req.headers['x-api-key'] === CRM_KEY;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? crmLive : { message: 'no' }));
    });
    const sdl = readFileSync(join(FIXTURES, 'tracking.graphql'), 'utf8').replace('  DELIVERED\n', '  DELIVERED\n  RETURNED\n').replace('  attributes: JSON\n', '  attributes: JSON\n  weightGrams: Int\n');
    writeFileSync(join(changed, 'tracking.graphql'), sdl);
    tracking = await serveGraphQL(join(changed, 'tracking.graphql'), {});
    lockersWsdl = readFileSync(join(FIXTURES, 'parcel-lockers.wsdl'), 'utf8');
    lockers = await listen((req, res) => {
      res.writeHead(req.url === '/soap?wsdl' ? 200 : 404, { 'content-type': 'text/xml' });
      res.end(req.url === '/soap?wsdl' ? lockersWsdl : '');
    });
    for (const args of [
      ['crm', join(FIXTURES, 'crm-accounts.openapi.yaml'), '--endpoint', `${crm.url}/v1`, '--auth', 'apiKey:header:X-Api-Key'],
      ['tracking', join(FIXTURES, 'tracking.graphql'), '--endpoint', `${tracking.url}/graphql`],
      ['lockers', join(FIXTURES, 'parcel-lockers.wsdl'), '--endpoint', `${lockers.url}/soap`],
    ]) {
      const added = project.run('npm', ['run', '-s', 'source:add', '--', ...args]);
      expect(added.status, added.stderr).toBe(0);
    }
    const manifest = join(project.root, 'sources', 'crm', 'source.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), liveContract: '/openapi.json' }));
    // A client is known to read the accounts' visits.
    const documents = join(project.root, 'generated', 'client', 'persisted-documents.json');
    writeFileSync(documents, JSON.stringify({ ...JSON.parse(readFileSync(documents, 'utf8')), 'sha256:crm-visits': 'query Visits { crm_listAccounts { id visits } }' }));
  }, 300_000);

  afterAll(async () => {
    await Promise.all([crm, tracking, lockers].filter(Boolean).map((upstream) => upstream.close()));
    project?.remove();
    if (changed) rmSync(changed, { recursive: true, force: true });
  });

  it('reports each change of the live contracts, and whether known clients would meet it, as JSON and with exit code 1', async () => {
    const result = await drift('--json', '--source', 'crm', '--source', 'tracking', '--source', 'lockers');
    expect(result.status, result.stderr).toBe(1);
    const report = result.json();
    expect(report.sources.map((source: { source: string; status: string; breaksClients?: boolean }) => [source.source, source.status, source.breaksClients])).toEqual([
      ['crm', 'changed', true], ['lockers', 'unchanged', undefined], ['tracking', 'changed', false],
    ]);
    const [crmDrift, lockersDrift, trackingDrift] = report.sources;
    expect(crmDrift.from).toBe(`${crm.url}/v1/openapi.json`);
    expect(crmDrift.contract).toEqual(expect.arrayContaining([
      { level: 'BREAKING', message: "Field 'visits' was removed from object type 'CrmAccount'", path: 'CrmAccount.visits' },
    ]));
    expect(crmDrift.public.unacknowledged).toEqual([{ level: 'BREAKING', message: "Field 'visits' was removed from object type 'CrmAccount'", path: 'CrmAccount.visits' }]);
    expect(lockersDrift.from).toBe(`${lockers.url}/soap?wsdl`);
    expect(trackingDrift.contract).toEqual([
      { level: 'DANGEROUS', message: "Enum value 'RETURNED' was added to enum 'TrackingShipmentState'", path: 'TrackingShipmentState.RETURNED' },
      { level: 'SAFE', message: "Field 'weightGrams' was added to object type 'TrackingShipment'", path: 'TrackingShipment.weightGrams' },
    ]);
    expect(trackingDrift.public.unacknowledged).toEqual([]);
    // Drift is looked at in a copy: the project's pinned contracts are as they were.
    expect(readFileSync(join(project.root, 'sources', 'tracking', 'schema.graphql'), 'utf8')).toBe(readFileSync(join(FIXTURES, 'tracking.graphql'), 'utf8'));
  }, 240_000);

  it('says drift that no known client meets with exit code 3, and no drift with 0, in words', async () => {
    const safe = await drift('--source', 'tracking');
    expect([safe.status, safe.stdout.trim().split('\n')]).toEqual([3, [
      `tracking: its live contract changed (${tracking.url}/graphql).`,
      '  In its contract:',
      "    DANGEROUS Enum value 'RETURNED' was added to enum 'TrackingShipmentState'",
      "    SAFE      Field 'weightGrams' was added to object type 'TrackingShipment'",
      '  In the public schema:',
      "    SAFE      Field 'weightGrams' was added to object type 'TrackingShipment'",
      "    DANGEROUS Enum value 'RETURNED' was added to enum 'TrackingShipmentState'",
      '',
      'Drift, none of it breaking known clients: update the sources with npm run source:add -- --update <name> <contract>.',
    ]]);
    const none = await drift('--source', 'lockers');
    expect([none.status, none.stdout.trim()]).toEqual([0, `lockers: as pinned (${lockers.url}/soap?wsdl).\n\nNo drift: every live contract read is the pinned one.`]);
    const bad = await drift('--source');
    expect([bad.status, bad.stderr.trim()]).toEqual([2, 'sources:drift: --source is not an option here (usage: npm run sources:drift [-- --json] [--source <name>]...)']);
  }, 240_000);

  it('refuses an update that would break known clients, changing nothing, and takes it with --accept-breaking', async () => {
    const watched = ['.meshrc.yaml', 'sources', '.mesh/schema.graphql', 'generated'];
    const before = fileDigests(project.root, watched);
    const refused = update('crm', join(changed, 'crm-accounts.openapi.yaml'));
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("Changes of the public schema (");
    expect(refused.stdout).toContain("  BREAKING  Field 'visits' was removed from object type 'CrmAccount'\n");
    expect(refused.stderr.trim()).toBe('source:add --update crm: 1 breaking change(s) of the public schema that known clients would meet (above): make them safe for clients first (deprecate, then remove), or take them with --accept-breaking (nothing was changed)');
    expect(fileDigests(project.root, watched)).toEqual(before);

    const accepted = update('crm', join(changed, 'crm-accounts.openapi.yaml'), '--accept-breaking');
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain(`Updated crm to the OpenAPI 3.0 contract in ${join(changed, 'crm-accounts.openapi.yaml')} (pinned in sources/crm/).`);
    const acknowledged = JSON.parse(readFileSync(join(project.root, 'generated', 'acknowledged-changes.json'), 'utf8'));
    expect(acknowledged).toEqual([{ change: "Field 'visits' was removed from object type 'CrmAccount'", reason: expect.stringMatching(/^accepted with source:add --update crm on \d{4}-\d\d-\d\d$/) }]);
    expect(readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8')).not.toMatch(/^ {2}visits:/m);
    // Now pinned as it is published.
    expect((await drift('--source', 'crm')).status).toBe(0);
  }, 240_000);

  it('takes a safe update at once, after which the live contract is the pinned one', async () => {
    const result = update('tracking', join(changed, 'tracking.graphql'));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Changes of tracking's contract (2):\n  DANGEROUS Enum value 'RETURNED' was added to enum 'TrackingShipmentState'\n");
    expect(readFileSync(join(project.root, 'sources', 'tracking', 'schema.graphql'), 'utf8')).toBe(readFileSync(join(changed, 'tracking.graphql'), 'utf8'));
    expect((await drift('--source', 'tracking')).status).toBe(0);
  }, 240_000);

  it('refuses what it cannot update in one line, changing nothing', () => {
    const watched = ['.meshrc.yaml', 'sources', '.mesh/schema.graphql'];
    const before = fileDigests(project.root, watched);
    const wrongKind = update('crm', join(FIXTURES, 'parcel-lockers.wsdl'));
    expect([wrongKind.status, wrongKind.stderr.trim()]).toEqual([1, `source:add --update crm: ${join(FIXTURES, 'parcel-lockers.wsdl')}: it is a WSDL contract, but crm is an openapi source (nothing was changed)`]);
    const unknown = update('nosuch', join(FIXTURES, 'tracking.graphql'));
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, 'source:add --update nosuch: there is no source named nosuch (npm run source:add -- nosuch <contract file> adds one)']);
    const missing = update('tracking', join(changed, 'nothing-here.graphql'));
    expect([missing.status, missing.stderr.trim()]).toEqual([1, `source:add --update tracking: ${join(changed, 'nothing-here.graphql')}: there is no file ${join(changed, 'nothing-here.graphql')}`]);
    expect(fileDigests(project.root, watched)).toEqual(before);
  }, 240_000);

  it('reads a SOAP service\'s changed WSDL: a new locker size, a new optional element, a new required parameter', async () => {
    lockersWsdl = lockersWsdl
      .replace('<xs:enumeration value="L"/>', '<xs:enumeration value="L"/>\n          <xs:enumeration value="XL"/>')
      .replace('<xs:element name="Photo" type="xs:base64Binary" minOccurs="0"/>', '<xs:element name="Photo" type="xs:base64Binary" minOccurs="0"/>\n          <xs:element name="Floor" type="xs:int" minOccurs="0"/>')
      .replace('<xs:element name="PostalCode" type="xs:string"/>', '<xs:element name="PostalCode" type="xs:string"/>\n            <xs:element name="Country" type="xs:string"/>');
    const result = await drift('--json', '--source', 'lockers');
    expect(result.status, result.stderr).toBe(3);
    const [lockersDrift] = result.json().sources;
    expect([lockersDrift.status, lockersDrift.breaksClients, lockersDrift.contract]).toEqual(['changed', false, [
      { level: 'BREAKING', message: "Argument 'country: String!' added to field 'Query.lockers_findLockers'", path: 'Query.lockers_findLockers.country' },
      { level: 'SAFE', message: "Field 'floor' was added to object type 'LockersLocker'", path: 'LockersLocker.floor' },
      { level: 'DANGEROUS', message: "Enum value 'XL' was added to enum 'LockersLockerSize'", path: 'LockersLockerSize.XL' },
    ]]);
    // Breaking for any client of the operation; no known client calls it, so the public schema takes it.
    expect(lockersDrift.public.changes.find((change: { path: string }) => change.path === 'Query.lockers_findLockers.country'))
      .toEqual({ level: 'SAFE', message: "Argument 'country: String!' added to field 'Query.lockers_findLockers'", path: 'Query.lockers_findLockers.country', safeBecause: 'no known operation uses it' });
  }, 240_000);
});

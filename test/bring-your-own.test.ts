/**
 * Bring your own API, as an integration engineer does it: in a copy of the project, each contract in
 * test/fixtures/contracts is added with `npm run source:add`, the gateway is rebuilt and started as
 * `npm start` runs it, and each new source is queried end to end against its own local upstream.
 * Failures leave the project as it was; `npm run source:remove` undoes an addition.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_USAGE } from '../gateway/config/credential-templates.js';
import { FIXTURES, serveGraphQL, serveRest, serveSoap, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';
import { writeLargeOpenApi, writeLargeWsdl } from './helpers/large-contract.js';

const PARCEL = {
  id: 'PCL-1001',
  status: 'in_transit',
  weightGrams: 2300,
  declaredValue: 49.9,
  destination: { line1: '1 Quay Street', city: 'Dublin', postcode: 'D02', country: 'IE' },
  events: [
    { at: '2026-11-20T08:00:00Z', description: 'Collected', location: 'Cork' },
    { at: '2026-11-21T06:30:00Z', description: 'At hub', location: 'Dublin' },
  ],
};

const CHARGES: Record<string, unknown> = {
  ch_card: { id: 'ch_card', status: 'succeeded', amount: { value: 4990, currency: 'EUR' }, description: null, paymentMethod: { type: 'card', brand: 'visa', last4: '4242', expMonth: 12 } },
  ch_bank: { id: 'ch_bank', status: 'pending', amount: { value: 120000, currency: 'EUR' }, description: 'Invoice 7', paymentMethod: { type: 'bank_transfer', iban: 'IE29AIBK93115212345678', bankName: 'AIB' } },
};

/** A value of every XSD built-in type (NOTATION aside): the GraphQL field, the XML element, the value as GraphQL gives it. */
const BUILT_INS: [field: string, element: string, value: string | number | boolean][] = [
  ['stringValue', 'StringValue', 'Dune & "Sable" <cups>'], ['booleanValue', 'BooleanValue', true],
  ['decimalValue', 'DecimalValue', '12345678901234567890.123456789'], ['floatValue', 'FloatValue', 1.5], ['doubleValue', 'DoubleValue', -0.125],
  ['durationValue', 'DurationValue', 'P1Y2M3DT4H5M6.7S'], ['dateTimeValue', 'DateTimeValue', '2026-11-24T12:00:00.123+01:00'],
  ['timeValue', 'TimeValue', '13:20:00Z'], ['dateValue', 'DateValue', '2026-11-24'], ['gYearMonthValue', 'GYearMonthValue', '2026-11'],
  ['gYearValue', 'GYearValue', '2026'], ['gMonthDayValue', 'GMonthDayValue', '--11-24'], ['gDayValue', 'GDayValue', '---24'], ['gMonthValue', 'GMonthValue', '--11'],
  ['hexBinaryValue', 'HexBinaryValue', '0FB7'], ['base64BinaryValue', 'Base64BinaryValue', 'U3dpdGNoYm9hcmQ='],
  ['anyURIValue', 'AnyURIValue', 'https://lab.example/s/1?x=1&y=2'], ['qNameValue', 'QNameValue', 'tns:Sample'],
  ['normalizedStringValue', 'NormalizedStringValue', 'one two'], ['tokenValue', 'TokenValue', 'one two'], ['languageValue', 'LanguageValue', 'en-IE'],
  ['nmtokenValue', 'NMTOKENValue', 'A-1'], ['nmtokensValue', 'NMTOKENSValue', 'A-1 B-2'], ['nameValue', 'NameValue', 'sample:one'],
  ['ncNameValue', 'NCNameValue', 'sample_one'], ['idValue', 'IDValue', 'S1'], ['idrefValue', 'IDREFValue', 'S1'], ['idrefsValue', 'IDREFSValue', 'S1 S2'],
  ['entityValue', 'ENTITYValue', 'logo'], ['entitiesValue', 'ENTITIESValue', 'logo banner'],
  ['integerValue', 'IntegerValue', '-98765432109876543210'], ['nonPositiveIntegerValue', 'NonPositiveIntegerValue', '0'],
  ['negativeIntegerValue', 'NegativeIntegerValue', '-1'], ['longValue', 'LongValue', '9223372036854775807'], ['intValue', 'IntValue', -2147483648],
  ['shortValue', 'ShortValue', -32768], ['byteValue', 'ByteValue', -128], ['nonNegativeIntegerValue', 'NonNegativeIntegerValue', '18446744073709551616'],
  ['unsignedLongValue', 'UnsignedLongValue', '18446744073709551615'], ['unsignedIntValue', 'UnsignedIntValue', '4294967295'],
  ['unsignedShortValue', 'UnsignedShortValue', 65535], ['unsignedByteValue', 'UnsignedByteValue', 255],
  ['positiveIntegerValue', 'PositiveIntegerValue', '1'], ['anySimpleTypeValue', 'AnySimpleTypeValue', 'anything at all'],
];

/** The text of an element in an envelope, whatever its prefix, its entities read. */
function textOf(envelope: string, element: string): string | undefined {
  const text = new RegExp(`<(?:[\\w.-]+:)?${element}>([^<]*)</`).exec(envelope)?.[1];
  return text?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const SHIPMENT = { id: 'shp-1', state: 'IN_TRANSIT', updatedAt: '2026-11-23T10:00:00Z', carrier: { id: 'car-1', name: 'Green Post' }, attributes: { fragile: true, dims: [30, 20, 10] } };

let project: ProjectCopy;
let carrier: Upstream;
let provider: Upstream;
let warehouse: Upstream;
let tracking: Upstream;
let loyalty: Upstream;
let tax: Upstream;
let large: Upstream;
let lockers: Upstream;
let fx: Upstream;
let erp: Upstream;
let samples: Upstream;
let gateway: RunningCopy | undefined;
/** The types of the composition before any source was added. */
let ownTypes: Set<string>;

const fixture = (file: string) => join(FIXTURES, file);

function sourceAdd(...args: string[]) {
  return project.run('npm', ['run', '-s', 'source:add', '--', ...args]);
}

async function query(document: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gateway!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document, variables }),
  }).catch((error: unknown) => {
    throw new Error(`The gateway did not answer (${(error as Error).message}); it wrote:\n${gateway!.output().slice(-4000)}`);
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] } };
}

/** The names of the types in the copy's composition. */
function typeNames(): string[] {
  const schema = readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8');
  return [...schema.matchAll(/^(?:type|enum|input|union|scalar|interface) (\w+)/gm)].map((match) => match[1]!);
}

/** The project's state that a failed command must leave as it was. */
function snapshot() {
  return {
    meshrc: readFileSync(join(project.root, '.meshrc.yaml'), 'utf8'),
    sources: readdirSync(join(project.root, 'sources')).sort(),
    schema: readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8'),
  };
}

beforeAll(async () => {
  project = copyProject();
  carrier = await serveRest({
    'GET /v1/parcels/:id': ({ id }) => (id === PARCEL.id ? { body: PARCEL } : undefined),
    'GET /v1/parcels': (_, query) => ({ body: [PARCEL].filter((parcel) => !query.get('status') || parcel.status === query.get('status')).slice(0, Number(query.get('limit') ?? 20)) }),
    'POST /v1/parcels': (_, __, body) => ({ status: 201, body: { id: 'PCL-2002', status: 'created', ...(body as object), events: [] } }),
  });
  provider = await serveRest({
    'GET /v2/charges/:id': ({ id }) => (CHARGES[id!] ? { body: CHARGES[id!] } : undefined),
    'GET /v2/charges': () => ({ body: { data: Object.values(CHARGES), hasMore: false } }),
    'GET /v2/refunds/:id': ({ id }) => ({
      body: id === 're_1'
        ? { id, charge: 'ch_card', refundedTo: { type: 'card', brand: 'visa', last4: '4242' } }
        : { id, charge: CHARGES.ch_bank, refundedTo: { type: 'bank_transfer', iban: 'IE29AIBK93115212345678', bankName: 'AIB' } },
    }),
    'GET /v2/disputes/:id': ({ id }) => ({ body: { id, reason: 'product_not_received', evidence: [{ kind: 'document', fileName: 'receipt.pdf', pages: 2 }, { kind: 'note', text: 'Signed for by a neighbour' }] } }),
  });
  warehouse = await serveRest({
    'GET /api/bins/:code': ({ code }) => ({ body: { code, kind: 'storage-bin', capacity: 40, label: null, tags: ['cold'] } }),
  });
  tracking = await serveGraphQL('tracking.graphql', {
    Query: {
      shipment: (_: unknown, { id }: { id: string }) => (id === SHIPMENT.id ? SHIPMENT : null),
      node: (_: unknown, { id }: { id: string }) => (id === SHIPMENT.id ? SHIPMENT : id === 'car-1' ? SHIPMENT.carrier : null),
      search: () => [SHIPMENT, SHIPMENT.carrier],
    },
    Node: { __resolveType: (value: { state?: string }) => (value.state ? 'Shipment' : 'Carrier') },
    SearchResult: { __resolveType: (value: { state?: string }) => (value.state ? 'Shipment' : 'Carrier') },
  });
  loyalty = await serveGraphQL('loyalty.introspection.json', {
    Query: {
      member: (_: unknown, { id }: { id: string }) => ({ id, name: 'Aoife Byrne', tier: 'GOLD', points: 1200, joinedOn: '2024-03-01' }),
      shipment: (_: unknown, { id }: { id: string }) => ({ id, memberId: 'mem-7', reward: 'Espresso cups' }),
    },
    Mutation: {
      addPoints: (_: unknown, { input }: { input: { memberId: string; points: number } }) => ({ id: input.memberId, name: 'Aoife Byrne', tier: 'GOLD', points: 1200 + input.points, joinedOn: '2024-03-01' }),
    },
  });
  tax = await serveSoap('tax-rates.wsdl', {
    TaxRateService: {
      TaxRatePort: {
        GetRates: ({ CountryCode }: { CountryCode: string }) => ({
          Rate: CountryCode === 'IE' ? [{ Category: 'standard', Percent: 23 }, { Category: 'reduced', Percent: 13.5 }] : [],
        }),
      },
    },
  });
  lockers = await serveSoap('parcel-lockers.wsdl', {
    LockerService: {
      LockerSoap: { FindLockers: () => ({ Locker: [{ Id: 'LK-7', Size: 'M', FreeSlots: '12', MaxWeightKg: '25.50', OpensAt: '2026-11-24T06:00:00Z', Accessible: true }] }) },
    },
    ReturnsService: {
      ReturnsSoap12: { CreateReturn: ({ ParcelId, LockerId }: { ParcelId: string; LockerId: string }) => ({ ReturnCode: `RET-${ParcelId}-${LockerId}`, ExpiresAt: '2026-12-08T23:59:59Z' }) },
    },
  }, ['/soap', '/returns/soap12'],
  // node-soap's server keeps one SOAPAction per portType, the last binding's, and would not find the
  // SOAP 1.1 binding's action: the double serves the WSDL without the SOAP 1.2 binding of lockers.
  (wsdl) => wsdl.replace(/<binding name="LockerSoap12"[\s\S]*?<\/binding>/, '').replace(/<port name="LockerSoap12"[\s\S]*?<\/port>/, ''));
  fx = await serveSoap('fx-quotes/quotes.wsdl', {
    FxService: {
      FxSoap: {
        GetQuote: ({ From, To, Amount }: { From: string; To: string; Amount: string }) => {
          if (To === 'XAU') throw { Fault: { faultcode: 'soap:Client', faultstring: 'No quote for XAU', detail: { UnknownCurrency: { Currency: To } } } };
          return {
            Quote: { Rate: From === 'EUR' && To === 'USD' ? '1.0825' : '1', Converted: (Number(Amount) * 1.0825).toFixed(2), QuotedAt: '2026-11-24T12:00:00Z', ValidSeconds: 30 },
          };
        },
      },
    },
  });
  samples = await serveSoap('xsd-types.wsdl', {
    // Whatever it is sent, it answers with the sample as XML text: node-soap's reading of a request
    // would turn some types into numbers and dates.
    SampleService: { SampleSoap: { StoreSample: () => ({ Sample: Object.fromEntries(BUILT_INS.map(([, element, value]) => [element, String(value)])) }) } },
  });
  const largeWsdl = join(project.root, 'large-erp.wsdl');
  expect(writeLargeWsdl(largeWsdl, { operations: 250 })).toEqual({ bytes: 397_023 });
  erp = await serveSoap(largeWsdl, {
    LargeErpService: {
      LargeErpSoap: {
        GetOp0123: ({ Id }: { Id: string }) => ({ Record: [{ Id, State: 'OPEN', Quantity: 4, UpdatedAt: '2026-11-24T08:00:00Z', Note: ['first', 'second'] }] }),
      },
    },
  });
  large = await serveRest({
    'GET /large/resources:n/:id': ({ n, id }) => ({ body: { id, state: 'active', count: Number(n), parent: { id: `family-${n}`, state: 'draft' }, related: [] } }),
  });
  // The copy starts from a built composition, as a project does after `npm run build`.
  const built = project.run('npm', ['run', '-s', 'build']);
  expect(built.status, built.stderr).toBe(0);
  ownTypes = new Set(typeNames());
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([carrier, provider, warehouse, tracking, loyalty, tax, large, lockers, fx, erp, samples].filter(Boolean).map((upstream) => upstream.close()));
  project?.remove();
});

describe('npm run source:add', () => {
  it('adds a Swagger 2.0 source, with its endpoint given, and prints its new root fields', () => {
    const result = sourceAdd('carrier', fixture('parcel-carrier.swagger.json'), '--endpoint', `${carrier.url}/v1`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added carrier (Swagger 2.0, 1 file pinned in sources/carrier/, the copies Mesh reads in sources/carrier/prepared/).');
    expect(result.stdout).toContain('New root fields (3):');
    expect(result.stdout).toContain('Query.carrier_getParcel(parcelId: String!): CarrierParcel');
    // Its body is required in the contract, and so in the schema clients see.
    expect(result.stdout).toMatch(/Mutation\.carrier_bookParcel\(input: CarrierNewParcel_Input!\): CarrierParcel/);
    expect(JSON.parse(readFileSync(join(project.root, 'sources', 'carrier', 'source.json'), 'utf8'))).toEqual({
      name: 'carrier', kind: 'openapi', contract: 'prepared/parcel-carrier.swagger.json', endpoint: `${carrier.url}/v1`, typePrefix: 'Carrier', fieldPrefix: 'carrier_',
    });
  }, 120_000);

  it('adds an OpenAPI 3.0 source with oneOf, anyOf and allOf, pinning the file it refers to', () => {
    const result = sourceAdd('payprovider', fixture('payment-provider/openapi.yaml'), '--prefix', 'Pay');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added payprovider (OpenAPI 3.0, 2 files pinned in sources/payprovider/, the copies Mesh reads in sources/payprovider/prepared/).');
    // The contract's own server, its variable at its default.
    expect(result.stdout).toContain('Its upstream: https://api.payment-provider.example/v2 (set PAYPROVIDER_URL to point it elsewhere).');
    expect(result.stdout).toContain('Query.pay_getCharge(chargeId: String!): PayCharge');
    // As given, and the copies the handler reads: the discriminated anyOf says oneOf, unnamed types have titles.
    expect(readdirSync(join(project.root, 'sources', 'payprovider')).sort()).toEqual(['common.yaml', 'openapi.yaml', 'prepared', 'source.json']);
    expect(readdirSync(join(project.root, 'sources', 'payprovider', 'prepared')).sort()).toEqual(['common.yaml', 'openapi.yaml']);
    expect(readFileSync(join(project.root, 'sources', 'payprovider', 'openapi.yaml'), 'utf8')).toBe(readFileSync(fixture('payment-provider/openapi.yaml'), 'utf8'));
  }, 120_000);

  it('adds an OpenAPI 3.1 source whose server is relative, once given an endpoint', () => {
    const result = sourceAdd('warehouse', fixture('warehouse-bins.openapi31.yaml'), '--endpoint', `${warehouse.url}/api`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added warehouse (OpenAPI 3.1');
    expect(result.stdout).toContain('Query.warehouse_getBin(code: String!): WarehouseBin');
  }, 120_000);

  it('adds GraphQL sources from SDL and from introspection JSON, whose type names are the same', () => {
    const sdl = sourceAdd('tracking', fixture('tracking.graphql'), '--endpoint', `${tracking.url}/graphql`);
    expect(sdl.status, sdl.stderr).toBe(0);
    expect(sdl.stdout).toContain('Query.tracking_shipment(id: ID!): TrackingShipment');
    expect(sdl.stdout).toContain('Query.tracking_search(text: String!): [TrackingSearchResult!]!');
    const introspection = sourceAdd('loyalty', fixture('loyalty.introspection.json'), '--endpoint', `${loyalty.url}/graphql`);
    expect(introspection.status, introspection.stderr).toBe(0);
    expect(introspection.stdout).toContain('Added loyalty (GraphQL introspection, 2 files pinned in sources/loyalty/).');
    expect(introspection.stdout).toContain('Query.loyalty_shipment(id: ID!): LoyaltyShipment');
    expect(introspection.stdout).toContain('Mutation.loyalty_addPoints(input: LoyaltyPointsInput!): LoyaltyMember!');
  }, 120_000);

  it('adds a SOAP source from its WSDL', () => {
    const result = sourceAdd('tax', fixture('tax-rates.wsdl'), '--endpoint', `${tax.url}/soap`, '--auth', 'soapHeaders:AgencyAuth.ApiKey');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added tax (WSDL, 1 file pinned in sources/tax/).');
    expect(result.stdout).toContain('Query.tax_getRates(countryCode: String!): [TaxRate!]!');
    // The header's value is declared in the manifest as a variable, and the variable is named to the operator.
    expect(result.stdout).toContain('Its credentials (sources/tax/source.json) are read from: TAX_AGENCY_AUTH_API_KEY; set them before starting the gateway.');
    expect(JSON.parse(readFileSync(join(project.root, 'sources', 'tax', 'source.json'), 'utf8')).credentials)
      .toEqual([{ type: 'soapHeaders', values: { AgencyAuth: { ApiKey: '{env.TAX_AGENCY_AUTH_API_KEY}' } } }]);
  }, 120_000);

  it('adds a SOAP source whose WSDL has two services, and a portType bound to SOAP 1.1 and to SOAP 1.2', () => {
    const result = sourceAdd('lockers', fixture('parcel-lockers.wsdl'), '--endpoint', `${lockers.url}/soap`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('New root fields (2):');
    expect(result.stdout).toContain('Query.lockers_findLockers(postalCode: String!): [LockersLocker!]!');
    expect(result.stdout).toContain('Mutation.lockers_createReturn(parcelId: String!, lockerId: String!): LockersCreateReturnResult');
  }, 120_000);

  it('adds an rpc-style SOAP source whose types are in an imported XSD, pinning both files', () => {
    const result = sourceAdd('fx', fixture('fx-quotes/quotes.wsdl'), '--endpoint', `${fx.url}/soap`, '--auth', 'soapHeaders:BankCredentials.ClientId,BankCredentials.Secret');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Added fx (WSDL, 2 files pinned in sources/fx/).');
    expect(result.stdout).toContain('Query.fx_getQuote(from: String!, to: String!, amount: String!): FxQuote');
  }, 120_000);

  it('adds a SOAP source whose record has an element of every XSD built-in type, and whose only operation writes', () => {
    const result = sourceAdd('samples', fixture('xsd-types.wsdl'), '--endpoint', `${samples.url}/soap`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('New root fields (1):\n  Mutation.samples_storeSample(sample: SamplesSampleInput!): SamplesSample!\n');
  }, 120_000);

  it('adds a 400 KB WSDL: 250 operations, 250 record types and enumerations', () => {
    const result = sourceAdd('erp', join(project.root, 'large-erp.wsdl'), '--endpoint', `${erp.url}/soap`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('New root fields (250):');
    expect(result.stdout).toContain('Query.erp_getOp0123(id: String!, limit: Int): [ErpOp0123Record!]!');
  }, 120_000);

  it('adds a large OpenAPI document: 3,000 types, 750 operations, 1.6 MB (its build time: npm run bench:contracts)', () => {
    const contract = join(project.root, 'large-provider.json');
    expect(writeLargeOpenApi(contract, { schemas: 3000 })).toEqual({ operations: 750, bytes: 1_621_383 });
    const result = sourceAdd('large', contract, '--endpoint', `${large.url}/large`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('New root fields (750):');
    expect(result.stdout).toContain('Query.large_getResource02996(id: String!): LargeResource02996');
  }, 180_000);

  it('refuses what it cannot add in one line that names the source and the cause, and changes nothing', () => {
    const before = snapshot();
    const broken = join(project.root, 'broken.yaml');
    writeFileSync(broken, 'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths: {}\n');
    const refusals: [string[], string][] = [
      [['carrier', fixture('tracking.graphql')], 'source:add carrier: there is a source named carrier already (npm run source:remove -- carrier first)'],
      [['catalog', fixture('tracking.graphql')], 'source:add catalog: there is a source named catalog already (npm run source:remove -- catalog first)'],
      [['keyed', fixture('tracking.graphql'), '--auth', 'apiKey:cookie:k'], `source:add keyed: --auth "apiKey:cookie:k" is not one of ${AUTH_USAGE}`],
      [['Bad-Name', fixture('tracking.graphql')], 'source:add Bad-Name: a source name is 1 to 30 lower-case letters and digits, starting with a letter'],
      [['nothing', join(project.root, 'missing.yaml')], `source:add nothing: ${join(project.root, 'missing.yaml')}: there is no file ${join(project.root, 'missing.yaml')}`],
      [['empty', broken], `source:add empty: ${broken}: the OpenAPI 3.0 document has no paths, so it gives no operations`],
      [['nohost', fixture('tracking.graphql'), '--endpoint', 'ftp://x'], 'source:add nohost: --endpoint must be an http(s) URL, but got: "ftp://x"'],
      [['again', fixture('tracking.graphql'), '--prefix', 'Tracking', '--endpoint', 'http://127.0.0.1:9/graphql'], "source:add again: the prefix Tracking is tracking's already: give another with --prefix"],
    ];
    for (const [args, message] of refusals) {
      const result = sourceAdd(...args);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr.trim()).toBe(message);
    }
    expect(snapshot()).toEqual(before);
  }, 60_000);

  it('puts everything back when the composition does not build', () => {
    const before = snapshot();
    // A WSDL that reads as one but offers no <service> to call: only the build finds out.
    const wsdl = join(project.root, 'no-service.wsdl');
    writeFileSync(wsdl, readFileSync(fixture('tax-rates.wsdl'), 'utf8').replace(/<wsdl:service[\s\S]*<\/wsdl:service>/, ''));
    const result = sourceAdd('noservice', wsdl, '--endpoint', 'http://127.0.0.1:9/soap');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('source:add noservice: The composition in .meshrc.yaml does not build: Failed to generate the schema for the source: the WSDL declares no <service> with a SOAP port (nothing was changed)');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(project.root, 'sources', 'noservice'))).toBe(false);
  }, 120_000);
});

describe('the added sources, end to end', () => {
  beforeAll(async () => {
    gateway = await project.start({
      PAYPROVIDER_URL: `${provider.url}/v2`,
      TAX_AGENCY_AUTH_API_KEY: 'agency-key-7',
      FX_BANK_CREDENTIALS_CLIENT_ID: 'shop-1',
      FX_BANK_CREDENTIALS_SECRET: 's3cret & co',
    });
  }, 60_000);

  it('answers the Swagger 2.0 source: a read with nested objects and lists, a filtered list, a write', async () => {
    const before = carrier.requests.length;
    const { status, body } = await query(`{
      carrier_getParcel(parcelId: "PCL-1001") { id status weightGrams declaredValue destination { city country } events { at description } }
      carrier_listParcels(status: in_transit, limit: 5) { id }
    }`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({
      data: {
        carrier_getParcel: {
          id: 'PCL-1001', status: 'in_transit', weightGrams: 2300, declaredValue: 49.9,
          destination: { city: 'Dublin', country: 'IE' },
          // Mesh reads `format: date-time` as its DateTime scalar, which answers with milliseconds.
          events: [{ at: '2026-11-20T08:00:00.000Z', description: 'Collected' }, { at: '2026-11-21T06:30:00.000Z', description: 'At hub' }],
        },
        carrier_listParcels: [{ id: 'PCL-1001' }],
      },
    });
    expect(carrier.requests.slice(before).map((request) => `${request.method} ${request.url}`).sort()).toEqual([
      'GET /v1/parcels/PCL-1001',
      'GET /v1/parcels?status=in_transit&limit=5',
    ]);
    const booked = await query(`mutation { carrier_bookParcel(input: { weightGrams: 900, destination: { city: "Galway", country: "IE" } }) { id status weightGrams } }`);
    expect(booked.body).toEqual({ data: { carrier_bookParcel: { id: 'PCL-2002', status: 'created', weightGrams: 900 } } });
    expect(JSON.parse(carrier.requests.at(-1)!.body)).toEqual({ weightGrams: 900, destination: { city: 'Galway', country: 'IE' } });
  });

  it('answers the OpenAPI 3.0 source: oneOf by discriminator, allOf merged, anyOf', async () => {
    const before = provider.requests.length;
    const { body } = await query(`{
      card: pay_getCharge(chargeId: "ch_card") { id status amount { value currency } paymentMethod { __typename ... on PayCard { brand last4 } ... on PayBankTransfer { iban } } }
      bank: pay_getCharge(chargeId: "ch_bank") { id description paymentMethod { __typename ... on PayBankTransfer { iban bankName } } }
      pay_getDispute(disputeId: "dp_1") { reason evidence { __typename ... on PayDocumentEvidence { fileName pages } ... on PayNoteEvidence { text } } }
    }`);
    expect(body).toEqual({
      data: {
        card: { id: 'ch_card', status: 'succeeded', amount: { value: 4990, currency: 'EUR' }, paymentMethod: { __typename: 'PayCard', brand: 'visa', last4: '4242' } },
        bank: { id: 'ch_bank', description: 'Invoice 7', paymentMethod: { __typename: 'PayBankTransfer', iban: 'IE29AIBK93115212345678', bankName: 'AIB' } },
        pay_getDispute: {
          reason: 'product_not_received',
          evidence: [{ __typename: 'PayDocumentEvidence', fileName: 'receipt.pdf', pages: 2 }, { __typename: 'PayNoteEvidence', text: 'Signed for by a neighbour' }],
        },
      },
    });
    expect(provider.requests.length - before).toBe(3);
  });

  it('answers an anyOf without a discriminator as a union: an id or the object expanded, a card or a bank account', async () => {
    const before = provider.requests.length;
    const refund = (id: string) => `${id}: pay_getRefund(refundId: "${id}") {
      id
      charge { __typename ... on PayString_container { String } ... on PayCharge { id status } }
      refundedTo { __typename ... on PayCard { brand last4 } ... on PayBankTransfer { iban } }
    }`;
    const { body } = await query(`{ ${refund('re_1')} ${refund('re_2')} }`);
    expect(body).toEqual({
      data: {
        re_1: { id: 're_1', charge: { __typename: 'PayString_container', String: 'ch_card' }, refundedTo: { __typename: 'PayCard', brand: 'visa', last4: '4242' } },
        re_2: { id: 're_2', charge: { __typename: 'PayCharge', id: 'ch_bank', status: 'pending' }, refundedTo: { __typename: 'PayBankTransfer', iban: 'IE29AIBK93115212345678' } },
      },
    });
    expect(provider.requests.slice(before).map((request) => request.url).sort()).toEqual(['/v2/refunds/re_1', '/v2/refunds/re_2']);
  });

  it('names the types its OpenAPI contracts leave unnamed from the words around them', () => {
    const added = typeNames().filter((name) => !ownTypes.has(name) && /^(Carrier|Pay|Warehouse)/.test(name));
    expect(added.sort()).toEqual([
      'CarrierAddress', 'CarrierAddressCountry', 'CarrierAddress_Input', 'CarrierHTTPMethod', 'CarrierNewParcel_Input', 'CarrierParcel',
      // One enum for a parcel's status and for the status filter of listParcels.
      'CarrierParcelStatus', 'CarrierTrackingEvent',
      'PayBankTransfer', 'PayCard', 'PayCardBrand', 'PayCardLast4', 'PayCharge', 'PayChargeList', 'PayChargeStatus', 'PayDispute', 'PayDisputeEvidence',
      // Money is in common.yaml, which the contract refers to.
      'PayDocumentEvidence', 'PayHTTPMethod', 'PayMoney', 'PayMoneyCurrency', 'PayNoteEvidence', 'PayPaymentMethod',
      // A refund's anyOf without a discriminator, as unions; Mesh holds a string member in a String_container.
      'PayRefund', 'PayRefundCharge', 'PayRefundRefundedTo', 'PayString_container',
      'WarehouseBin', 'WarehouseBinKind', 'WarehouseHTTPMethod',
    ]);
    expect(readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8')).toContain('carrier_listParcels(status: CarrierParcelStatus, limit: Int = 20): [CarrierParcel]');
  });

  it('answers the OpenAPI 3.1 source at the endpoint it was given', async () => {
    const { body } = await query('{ warehouse_getBin(code: "A-01-03") { code capacity label tags } }');
    expect(body).toEqual({ data: { warehouse_getBin: { code: 'A-01-03', capacity: 40, label: null, tags: ['cold'] } } });
    // Besides the HEAD at start-up that checks the upstream answers.
    expect(warehouse.requests.filter((request) => request.method === 'GET').map((request) => request.url)).toEqual(['/api/bins/A-01-03']);
  });

  it('answers the GraphQL sources: custom scalars, an interface, a union, the same type names side by side', async () => {
    const before = { tracking: tracking.requests.length, loyalty: loyalty.requests.length };
    const { body } = await query(`{
      tracking_shipment(id: "shp-1") { id state updatedAt attributes carrier { name } }
      tracking_node(id: "car-1") { id __typename ... on TrackingCarrier { name } }
      tracking_search(text: "green") { __typename ... on TrackingShipment { id state } ... on TrackingCarrier { name } }
      loyalty_shipment(id: "rw-3") { id memberId reward }
      loyalty_member(id: "mem-7") { name tier points joinedOn }
    }`);
    expect(body).toEqual({
      data: {
        tracking_shipment: { id: 'shp-1', state: 'IN_TRANSIT', updatedAt: '2026-11-23T10:00:00Z', attributes: { fragile: true, dims: [30, 20, 10] }, carrier: { name: 'Green Post' } },
        tracking_node: { id: 'car-1', __typename: 'TrackingCarrier', name: 'Green Post' },
        tracking_search: [{ __typename: 'TrackingShipment', id: 'shp-1', state: 'IN_TRANSIT' }, { __typename: 'TrackingCarrier', name: 'Green Post' }],
        loyalty_shipment: { id: 'rw-3', memberId: 'mem-7', reward: 'Espresso cups' },
        loyalty_member: { name: 'Aoife Byrne', tier: 'GOLD', points: 1200, joinedOn: '2024-03-01' },
      },
    });
    // Mesh asks each upstream once for all of its root fields, in the upstream's own names
    // (the gateway's only as aliases).
    expect(tracking.requests.length - before.tracking).toBe(1);
    expect(loyalty.requests.length - before.loyalty).toBe(1);
    const asked = (JSON.parse(tracking.requests.at(-1)!.body) as { query: string }).query;
    expect(asked).toMatch(/:shipment\(id:\$\w+\)\{id state updatedAt attributes carrier\{name\}\}/);
    expect(asked).toMatch(/:search\(text:\$\w+\)\{__typename \.\.\.on Shipment\{id state\}\.\.\.on Carrier\{name\}\}/);
    expect(asked).not.toMatch(/TrackingCarrier|[{ ]tracking_\w+\(/);
    const added = await query('mutation { loyalty_addPoints(input: { memberId: "mem-7", points: 50, reason: "review" }) { points tier } }');
    expect(added.body).toEqual({ data: { loyalty_addPoints: { points: 1250, tier: 'GOLD' } } });
  });

  it('answers the SOAP source, with the SOAP header its binding declares', async () => {
    const { body } = await query('{ tax_getRates(countryCode: "IE") { category percent } }');
    expect(body).toEqual({ data: { tax_getRates: [{ category: 'standard', percent: 23 }, { category: 'reduced', percent: 13.5 }] } });
    expect(tax.requests.map((request) => request.url)).toEqual(['/soap#GetRates']);
    // The header the binding declares, with its value from TAX_SOAP_HEADERS.
    expect(tax.requests[0]!.soapHeaders).toEqual({ AgencyAuth: { ApiKey: 'agency-key-7' } });
    // Its schema says elementFormDefault="qualified": the children are in the header's namespace too.
    expect(tax.requests[0]!.envelope).toContain('<sbh:AgencyAuth xmlns:sbh="http://tax-agency.example/rates"><sbh:ApiKey>agency-key-7</sbh:ApiKey></sbh:AgencyAuth>');
  });

  it('answers the large source', async () => {
    const { body } = await query('{ large_getResource00040(id: "r-40") { id state count parent { id state } related { id } } }');
    expect(body).toEqual({ data: { large_getResource00040: { id: 'r-40', state: 'active', count: 40, parent: { id: 'family-40', state: 'draft' }, related: [] } } });
    expect(large.requests.filter((request) => request.method === 'GET').map((request) => request.url)).toEqual(['/large/resources40/r-40']);
  });

  it('answers the SOAP source of two services, each call in its binding\'s SOAP version with its own SOAPAction', async () => {
    const found = await query('{ lockers_findLockers(postalCode: "D02") { id size freeSlots maxWeightKg opensAt accessible photo } }');
    // Wide XSD numbers (nonNegativeInteger, decimal) come as strings, so that no digit is lost.
    expect(found.body).toEqual({ data: { lockers_findLockers: [{ id: 'LK-7', size: 'M', freeSlots: '12', maxWeightKg: '25.50', opensAt: '2026-11-24T06:00:00Z', accessible: true, photo: null }] } });
    // The XSD enumeration is a GraphQL enum.
    const size = await query('{ __type(name: "LockersLockerSize") { kind enumValues { name } } }');
    expect(size.body).toEqual({ data: { __type: { kind: 'ENUM', enumValues: [{ name: 'S' }, { name: 'M' }, { name: 'L' }] } } });
    const created = await query('mutation { lockers_createReturn(parcelId: "PCL-1001", lockerId: "LK-7") { returnCode expiresAt } }');
    expect(created.body).toEqual({ data: { lockers_createReturn: { returnCode: 'RET-PCL-1001-LK-7', expiresAt: '2026-12-08T23:59:59Z' } } });
    // The first port of the locker portType is the SOAP 1.1 one; returns have only SOAP 1.2. Each
    // port keeps its own path on the host given with --endpoint.
    expect(lockers.requests.map((request) => ({ url: request.url, ...request.headers }))).toEqual([
      { url: '/soap#FindLockers', contentType: 'text/xml; charset=utf-8', soapAction: '"urn:parcel-lockers/FindLockers"' },
      { url: '/returns/soap12#CreateReturn', contentType: 'application/soap+xml; charset=utf-8; action="urn:parcel-lockers/returns/CreateReturn"', soapAction: undefined },
    ]);
  });

  it('answers the rpc-style SOAP source, with its SOAP header from the imported XSD', async () => {
    const { body } = await query('{ fx_getQuote(from: "EUR", to: "USD", amount: "100.00") { rate converted quotedAt validSeconds } }');
    expect(body).toEqual({ data: { fx_getQuote: { rate: '1.0825', converted: '108.25', quotedAt: '2026-11-24T12:00:00Z', validSeconds: 30 } } });
    expect(fx.requests.map((request) => [request.url, request.headers?.soapAction, JSON.parse(request.body)])).toEqual([
      ['/soap#GetQuote', '"urn:bank:fx#GetQuote"', { From: 'EUR', To: 'USD', Amount: '100.00' }],
    ]);
    // The credentials header, declared in the imported XSD, whose children are unqualified.
    expect(fx.requests[0]!.envelope).toContain('<sbh:BankCredentials xmlns:sbh="urn:bank:fx:quotes"><ClientId>shop-1</ClientId><Secret>s3cret &amp; co</Secret></sbh:BankCredentials>');
    // The operation's declared fault: its code, message and detail, on the field.
    const refused = await query('{ fx_getQuote(from: "EUR", to: "XAU", amount: "1") { rate } }');
    expect(refused.body).toEqual({
      data: { fx_getQuote: null },
      errors: [{
        message: 'fx answered with a SOAP Fault: No quote for XAU',
        path: ['fx_getQuote'],
        extensions: { code: 'SOAP_FAULT', source: 'fx', faultCode: 'soap:Client', faultDetail: { UnknownCurrency: { Currency: 'XAU' } } },
      }],
    });
  });

  it('carries every XSD built-in type both ways, as GraphQL Int, Float, Boolean or String, without losing a digit', async () => {
    const sample = Object.fromEntries(BUILT_INS.map(([field, , value]) => [field, value]));
    const { body } = await query(`mutation ($sample: SamplesSampleInput!) { samples_storeSample(sample: $sample) { ${BUILT_INS.map(([field]) => field).join(' ')} } }`, { sample });
    expect(body).toEqual({ data: { samples_storeSample: sample } });
    expect(samples.requests).toHaveLength(1);
    const envelope = samples.requests[0]!.envelope!;
    expect(BUILT_INS.map(([, element]) => [element, textOf(envelope, element)])).toEqual(BUILT_INS.map(([, element, value]) => [element, String(value)]));
    // GraphQL needs a Query, which a WSDL of writes only does not give: its placeholder is not in the API.
    const roots = await query('{ __schema { queryType { fields { name } } } }');
    const names = (roots.body.data!.__schema as { queryType: { fields: { name: string }[] } }).queryType.fields.map((field) => field.name);
    expect(names.filter((name) => name.startsWith('samples_'))).toEqual([]);
    expect(names).toContain('fx_getQuote');
  });

  it('answers the large WSDL source', async () => {
    const { body } = await query('{ erp_getOp0123(id: "R-9") { id state quantity weight updatedAt note } }');
    expect(body).toEqual({ data: { erp_getOp0123: [{ id: 'R-9', state: 'OPEN', quantity: 4, weight: null, updatedAt: '2026-11-24T08:00:00Z', note: ['first', 'second'] }] } });
    expect(erp.requests.map((request) => [request.url, request.headers?.soapAction])).toEqual([['/soap#GetOp0123', '"urn:large-erp/GetOp0123"']]);
  });

  it('keeps the unified graph whole beside them', async () => {
    const { body } = await query('{ products(first: 2) { id name } }');
    expect((body.data!.products as unknown[]).length).toBe(2);
  });

  it("gives an added source's upstream failure its typed error, with nothing internal", async () => {
    const { body } = await query('{ carrier_getParcel(parcelId: "PCL-404") { id } }');
    expect(body.data).toEqual({ carrier_getParcel: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['carrier_getParcel'], extensions: { code: 'UPSTREAM_REJECTED', source: 'carrier', upstreamStatus: 404 } });
    expect(JSON.stringify(body)).not.toContain(carrier.url);
  });
});

describe('npm run source:remove', () => {
  it('takes a source out of the project and the schema, and refuses what is not an added source', async () => {
    await gateway?.stop();
    gateway = undefined;
    const result = project.run('npm', ['run', '-s', 'source:remove', '--', 'warehouse']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Removed warehouse');
    expect(existsSync(join(project.root, 'sources', 'warehouse'))).toBe(false);
    expect(readFileSync(join(project.root, '.meshrc.yaml'), 'utf8')).not.toContain('warehouse');
    expect(readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8')).not.toContain('warehouse_getBin');
    const own = project.run('npm', ['run', '-s', 'source:remove', '--', 'catalog']);
    expect(own.status).toBe(1);
    expect(own.stderr.trim()).toBe('source:remove catalog: catalog was not added with source:add (its manifest has no prefixes): take it out of .meshrc.yaml and the stitched graph by hand');
    const none = project.run('npm', ['run', '-s', 'source:remove', '--', 'nowhere']);
    expect(none.stderr.trim()).toBe('source:remove nowhere: there is no source named nowhere');
  }, 120_000);
});

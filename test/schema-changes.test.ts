// Breaking changes caught before clients meet them (issue 22, first part): each change of the public
// schema classified breaking, dangerous or safe; a breaking change no known operation uses reported
// safe; `npm run schema:check` failing, and `npm run generate` refusing the new schema, until a
// breaking change clients may meet is acknowledged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAcknowledgements, schemaChanges } from '../gateway/compose/schema-changes.js';
import { copyProject, type ProjectCopy } from './helpers/project-copy.js';

const BEFORE = `
  type Query { product(id: ID!): Product products(first: Int): [Product!]! }
  type Product { id: ID! name: String! sku: String! legacyCode: String price(currency: String): Float status: Status }
  enum Status { ACTIVE RETIRED }
`;
const CLIENT = 'query Page { products(first: 10) { id name sku price(currency: "EUR") status } }';

describe('classifying a change of the public schema', () => {
  const classify = async (after: string, acknowledged: { change: string; reason: string }[] = []) =>
    schemaChanges(BEFORE, after, { documents: [CLIENT], acknowledged });

  it.each([
    ['a field removed that a client reads', BEFORE.replace(' sku: String!', ''), [{ level: 'BREAKING', message: "Field 'sku' was removed from object type 'Product'", path: 'Product.sku' }]],
    ['a field removed that no known operation reads', BEFORE.replace(' legacyCode: String', ''),
      [{ level: 'SAFE', message: "Field 'legacyCode' was removed from object type 'Product'", path: 'Product.legacyCode', safeBecause: 'no known operation uses it' }]],
    ['a field added', BEFORE.replace(' name: String!', ' name: String! brand: String'), [{ level: 'SAFE', message: "Field 'brand' was added to object type 'Product'", path: 'Product.brand' }]],
    ['a field\'s type changed', BEFORE.replace(' name: String!', ' name: Int!'), [{ level: 'BREAKING', message: "Field 'Product.name' changed type from 'String!' to 'Int!'", path: 'Product.name' }]],
    ['an enum value added', BEFORE.replace('ACTIVE RETIRED', 'ACTIVE RETIRED DRAFT'), [{ level: 'DANGEROUS', message: "Enum value 'DRAFT' was added to enum 'Status'", path: 'Status.DRAFT' }]],
  ])('%s', async (_, after, changes) => {
    const report = await classify(after);
    expect(report.changes).toEqual(changes);
    expect(report.unacknowledged).toEqual(changes.filter((change) => change.level === 'BREAKING'));
  });

  it('takes a breaking change once it is acknowledged, with its reason', async () => {
    const report = await classify(BEFORE.replace(' sku: String!', ''), [{ change: "Field 'sku' was removed from object type 'Product'", reason: 'the apps stopped reading it in 4.2' }]);
    expect([report.changes[0]?.acknowledged, report.unacknowledged]).toEqual(['the apps stopped reading it in 4.2', []]);
  });

  it.each([
    ['{', 'generated/acknowledged-changes.json is not valid JSON.'],
    ['{"change": "x"}', 'generated/acknowledged-changes.json must be a list of { "change": "<the change\'s message>", "reason": "<why clients are ready>" }.'],
    ['[{"change": "x", "reason": " "}]', 'generated/acknowledged-changes.json must be a list of { "change": "<the change\'s message>", "reason": "<why clients are ready>" }.'],
  ])('refuses acknowledgements reading %s', (text, message) => {
    expect(() => readAcknowledgements(text, 'generated/acknowledged-changes.json')).toThrow(message);
  });
});

describe('npm run schema:check and npm run generate, in a copy of the project', () => {
  let project: ProjectCopy;
  let reviewed: string;
  beforeAll(() => {
    project = copyProject();
    reviewed = join(project.root, 'generated', 'schema.graphql');
    // As if the reviewed schema had a field the build no longer has: clients read `Product.sku`.
    writeFileSync(reviewed, readFileSync(reviewed, 'utf8').replace(/^type Product \{\n/m, 'type Product {\n  barcode: String!\n'));
  });
  afterAll(() => project?.remove());
  const check = (...args: string[]) => project.run('npx', ['tsx', 'scripts/schema-check.ts', ...args], {}, 240_000);

  it('reports the project\'s own schema as the reviewed one', async () => {
    // The removal is breaking for a client that reads it, and the test operations do not: safe, and said why.
    const report = check('--json');
    expect(report.status).toBe(0);
    expect(JSON.parse(report.stdout.slice(report.stdout.indexOf('{')))).toEqual({
      changes: [{ level: 'SAFE', message: "Field 'barcode' was removed from object type 'Product'", path: 'Product.barcode', safeBecause: 'no known operation uses it' }],
      unacknowledged: [],
    });
  });

  it('fails on a breaking change a known operation meets, and generate keeps the reviewed schema, until it is acknowledged', () => {
    const manifest = join(project.root, 'generated', 'client', 'persisted-documents.json');
    const documents = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
    writeFileSync(manifest, JSON.stringify({ ...documents, 'sha256:barcode-reader': 'query Barcode { product(id: "prod-0001") { barcode } }' }));
    const failed = check();
    expect([failed.status, failed.stdout.split('\n').filter((line) => line.startsWith('BREAKING'))]).toEqual([1, ["BREAKING  Field 'barcode' was removed from object type 'Product'"]]);
    expect(failed.stdout).toContain('1 breaking change(s) clients may meet: make them safe (deprecate first), or acknowledge each in generated/acknowledged-changes.json');
    const before = readFileSync(reviewed, 'utf8');
    const generate = project.run('npx', ['tsx', 'scripts/generate.ts'], {}, 240_000);
    expect([generate.status, readFileSync(reviewed, 'utf8') === before]).toEqual([1, true]);
    writeFileSync(join(project.root, 'generated', 'acknowledged-changes.json'), JSON.stringify([{ change: "Field 'barcode' was removed from object type 'Product'", reason: 'the scanner app reads sku since 3.0' }]));
    const passed = check();
    expect([passed.status, passed.stdout]).toEqual([0, expect.stringContaining("BREAKING  Field 'barcode' was removed from object type 'Product' (acknowledged: the scanner app reads sku since 3.0)")]);
  });
});

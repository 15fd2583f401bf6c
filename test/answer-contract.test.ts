/**
 * An upstream's answer that breaks the contract (issue 25) costs only the values that break it: each
 * is null (bubbled to the nearest nullable parent, as graphql-js does), with an error at its path that
 * says it is the provider's doing, `UPSTREAM_CONTRACT_MISMATCH`, and what is wrong with the value; the
 * rest of the answer arrives. A CRM API (OpenAPI 3.0: a date-time, an int64, a uri, an enum and a
 * required field) is added with `npm run source:add` to a copy of the project and asked end to end.
 * The demo's sources answer through the stitched graph, whose leaves graphql-jit completes: that
 * path is checked in process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, type ExecutionResult, type GraphQLScalarType } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { checkLeafValues } from '../gateway/sources/leaf-checks.js';
import { contractMismatch } from '../gateway/plugins/contract-mismatch.js';
import { createSourceClients } from '../gateway/sources/source-clients.js';
import { FIXTURES, serveRest, type Upstream } from './helpers/contract-upstreams.js';
import { startWithSource, type AddedSourceCopy } from './helpers/added-source.js';

const GOOD = { id: 'a1', name: 'Acme', created_at: '2019-05-01T10:00:00.000Z', visits: 12, homepage: 'https://acme.example/', status: 'active' };

describe('an upstream answer against its contract', () => {
  let crm: Upstream;
  let copy: AddedSourceCopy;

  beforeAll(async () => {
    crm = await serveRest({
      'GET /v1/accounts': () => ({ body: [
        GOOD,
        { id: 'a2', name: 'Bad values', created_at: '2019-13-45', visits: 'many', homepage: 'not a uri', status: 'frozen' },
        { id: 'a3', created_at: '2020-01-01T00:00:00.000Z' },
        { ...GOOD, id: 'a4' },
      ] }),
    });
    copy = await startWithSource('crm', `${FIXTURES}crm-accounts.openapi.yaml`, crm, '/v1');
  }, 240_000);

  afterAll(async () => {
    await copy?.close();
    await crm?.close();
  });

  const mismatch = (path: (string | number)[], what: string) => ({
    message: `The upstream's answer does not fit the contract at ${path[0]}[${path[1]}].${path[2]}: ${what}`,
    path,
    extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH', source: 'crm' },
  });

  it('answers the values that fit, and null with a typed error for each one that does not', async () => {
    const { status, body, calls } = await copy.ask('{ crm_listAccounts { id created_at visits homepage status } }');
    const { name: _name, ...good } = GOOD;
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { crm_listAccounts: [
        good,
        { id: 'a2', created_at: null, visits: null, homepage: null, status: null },
        { id: 'a3', created_at: '2020-01-01T00:00:00.000Z', visits: null, homepage: null, status: null },
        { ...good, id: 'a4' },
      ] },
      errors: [
        mismatch(['crm_listAccounts', 1, 'created_at'], '"2019-13-45" is not a date-time (DateTime).'),
        mismatch(['crm_listAccounts', 1, 'visits'], '"many" is not a 64-bit integer (BigInt).'),
        mismatch(['crm_listAccounts', 1, 'homepage'], '"not a uri" is not a URI (URL).'),
        mismatch(['crm_listAccounts', 1, 'status'], '"frozen" is not one of the values AccountStatus lists (active, closed).'),
      ],
    });
    expect(calls).toEqual(['GET /v1/accounts']);
    // Counted per source, for the operator who watches a provider drift from its contract.
    const metrics = await (await fetch(new URL('/metrics', copy.gateway.url))).text();
    expect(metrics).toMatch(/^switchboard_upstream_contract_mismatches_total\{source="crm"\} 4$/m);
  });

  it('nulls the item that lacks a required value, at the nearest nullable parent, and keeps the others', async () => {
    const { body, calls } = await copy.ask('{ crm_listAccounts { id name } }');
    expect(body).toEqual({
      data: { crm_listAccounts: [{ id: 'a1', name: 'Acme' }, { id: 'a2', name: 'Bad values' }, null, { id: 'a4', name: 'Acme' }] },
      errors: [mismatch(['crm_listAccounts', 2, 'name'], 'there is no value, and the contract requires one.')],
    });
    expect(calls).toEqual(['GET /v1/accounts']);
  });
});

describe('a leaf the gateway completes itself (graphql-jit, the demo sources)', () => {
  it('says the same of a refused value, without a source, and leaves a null the gateway may have made as it is', async () => {
    const schema = buildSchema('scalar DateTime enum Status { OPEN SHUT } type Item { at: DateTime status: Status count: Int name: String! } type Query { items: [Item] }');
    (schema.getType('DateTime') as GraphQLScalarType).serialize = (value) => {
      if (Number.isNaN(Date.parse(String(value)))) throw new TypeError('Invalid time value');
      return value;
    };
    checkLeafValues(schema);
    const compiled = compileQuery(schema, parse('{ items { at status count name } }'));
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    const result = (await compiled.query({ items: [{ at: 'soon', status: 'AJAR', count: 3e10, name: 'a' }, {}] }, {}, {})) as ExecutionResult;
    expect(result.data).toEqual({ items: [{ at: null, status: null, count: null, name: 'a' }, null] });
    expect(result.errors!.map((error) => contractMismatch(error, () => undefined)?.toJSON() ?? error.message)).toEqual([
      { message: 'The upstream\'s answer does not fit the contract at items[0].at: "soon" is not a date-time (DateTime).', path: ['items', 0, 'at'], extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH' } },
      { message: 'The upstream\'s answer does not fit the contract at items[0].status: "AJAR" is not one of the values Status lists (OPEN, SHUT).', path: ['items', 0, 'status'], extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH' } },
      { message: 'The upstream\'s answer does not fit the contract at items[0].count: Int cannot represent non 32-bit signed integer value: 30000000000.', path: ['items', 0, 'count'], extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH' } },
      'Cannot return null for non-nullable field Item.name.',
    ]);
  });
});

describe('a stitched field, whose root field names no source', () => {
  it('names the source whose own execution the value that breaks the contract came out of', async () => {
    // A source executed in the gateway (a SOAP service's schema, say), with its leaves checked as the gateway checks them.
    const lockers = buildSchema('enum Size { S M L } type Locker { id: ID! size: Size freeSlots: Int } type Query { lockers: [Locker] }');
    lockers.getQueryType()!.getFields().lockers!.resolve = () => [{ id: 'LK-1', size: 'XXL', freeSlots: 3 }];
    checkLeafValues(lockers);
    const clients = createSourceClients([{ name: 'lockers', schema: lockers }], { requestText: () => Promise.reject(new Error('no upstream call here')), env: {} });
    // The stitched graph's field, completed by graphql-jit as the gateway's own.
    const graph = buildSchema('type Locker { id: ID! size: String freeSlots: Int } type Query { nearby: [Locker] }');
    graph.getQueryType()!.getFields().nearby!.resolve = (_root, _args, context) => clients.lockers!.query('lockers', {}, '{ id size freeSlots }', context);
    const compiled = compileQuery(graph, parse('{ nearby { id size } }'));
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    // Shares reads in flight as the upstream scope of a request does; no read is in flight here.
    const context = { upstreamScope: { upstreams: { shareRead: (_source: string, _key: string, _headers: unknown, read: () => unknown) => read() }, clientHeaders: {} } };
    const result = (await compiled.query(undefined, context, {})) as ExecutionResult;
    expect(result.data).toEqual({ nearby: null });
    expect(result.errors!.map((error) => contractMismatch(error, () => undefined)?.toJSON())).toEqual([{
      message: 'The upstream\'s answer does not fit the contract at nearby: "XXL" is not one of the values Size lists (S, M, L).',
      path: ['nearby'],
      extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH', source: 'lockers' },
    }]);
  });
});

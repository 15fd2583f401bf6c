/**
 * A REST API answers as its provider wrote it (issue 25). An FX rates API (OpenAPI 3.0) is added with
 * `npm run source:add` (with `--reads` and `--auth apiKey:header:X-Api-Key`) to a copy of the project
 * and asked end to end:
 * - a client's value that breaks the contract's own constraint (a `pattern`, lengths) is the client's
 *   mistake, said as such: `BAD_USER_INPUT`, naming the argument, the constraint and what is wrong,
 *   in the document or as a variable; no call goes upstream; a required body is a required argument;
 * - POSTs declared as reads are Query fields, retried and shared as reads;
 * - the parameter the credential fills and Google's transport parameters are no arguments, and
 *   spelled-out names are clean;
 * - a file answer is a FileContent, and uploads reach the provider as its contract asks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askThrough, FIXTURES, serveRest, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';

/** A PNG's first bytes, with a byte that is not UTF-8: the answer must reach the client as bytes. */
const CHART = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);

describe('an argument against its contract constraint', () => {
  let project: ProjectCopy;
  let fx: Upstream;
  let gateway: RunningCopy;
  let faulted = false;
  let addedOutput = '';
  const historyKeys: unknown[] = [];
  const uploads: { contentType: unknown; body: unknown }[] = [];

  beforeAll(async () => {
    fx = await serveRest({
      'GET /v1/rates/:base': ({ base }) => ({ body: { base, rate: 1.25 } }),
      'POST /v1/quotes': (_params, _query, body) => ({ status: 201, body: { id: 'q-1', ...(body as object) } }),
      'POST /v1/quotes/search': (_params, _query, body) => {
        const { currencies } = body as { currencies: string[] };
        // A fault on the first search for Swiss francs only: a read is tried again.
        if (currencies.includes('CHF') && !faulted) {
          faulted = true;
          return { status: 503, body: { message: 'busy' } };
        }
        return { body: currencies.map((currency, index) => ({ id: `q-${index + 1}`, currency })) };
      },
      'GET /v1/history/:base': (_params, _query, _body, headers) => {
        historyKeys.push(headers['x-api-key']);
        return { body: [{ day: '2026-12-06', rate: 1.5 }] };
      },
      'GET /v1/rates/:base/chart': () => ({ contentType: 'image/png', body: CHART }),
      'GET /v1/rates/:base/statement': ({ base }) => ({ contentType: 'application/pdf', body: `%PDF-1.7 ${base}` }),
      // (`:lookup` reads as a parameter here, which matches the literal path all the same.)
      'POST /v1/documents': (_params, _query, body, headers) => {
        uploads.push({ contentType: headers['content-type'], body });
        return { status: 201, body: { id: 'd-1', size: String(body).length } };
      },
      'POST /v1/documents/form': (_params, _query, body, headers) => {
        uploads.push({ contentType: headers['content-type'], body });
        return { status: 201, body: { id: 'd-2', size: String(body).length, title: 'kept' } };
      },
      'GET /v1/tenants/:tenant/limits': ({ tenant }) => ({ body: { daily: tenant === 'acme' ? 5e6 : 0 } }),
      'POST /v1/rates:lookup': (_params, _query, body) => ({ body: { rates: (body as { bases: string[] }).bases.map((base) => ({ base, rate: 2 })) } }),
    });
    project = copyProject();
    const built = project.run('npm', ['run', '-s', 'build']);
    expect(built.status, built.stderr).toBe(0);
    const added = project.run('npm', ['run', '-s', 'source:add', '--', 'fx', `${FIXTURES}fx-rates.openapi.yaml`, '--endpoint', `${fx.url}/v1`,
      '--reads', 'search*', '--reads', 'POST /rates:lookup', '--auth', 'apiKey:header:X-Api-Key', '--param', 'api-version=2026-12-01', '--param', 'tenant-id=acme']);
    expect(added.status, added.stderr).toBe(0);
    addedOutput = added.stdout;
    gateway = await project.start({ FX_API_KEY: 'fx-secret' });
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await fx?.close();
    project?.remove();
  });

  const ask = (query: string, variables?: Record<string, unknown>) => askThrough(gateway.url, fx, query, variables);

  const errorsOf = (body: { errors?: { message: string; extensions?: { code?: string } }[] }) =>
    body.errors?.map((error) => [error.extensions?.code, error.message]);

  it('answers a value that meets the constraints', async () => {
    const { body, calls } = await ask('{ fx_getRate(base: "EUR", note: "hi") { base rate } }');
    expect(body).toEqual({ data: { fx_getRate: { base: 'EUR', rate: 1.25 } } });
    expect(calls).toEqual(['GET /v1/rates/EUR?note=hi']);
  });

  it('names the argument and the pattern for a value written in the document', async () => {
    // A validation error, answered as yoga answers every one (HTTP 200 to a client that accepts application/json).
    const { body, calls } = await ask('{ fx_getRate(base: "eur") { rate } }');
    expect(errorsOf(body)).toEqual([['BAD_USER_INPUT', 'Argument "base" of "fx_getRate": "eur" does not match the contract\'s pattern ^[A-Z]{3}$.']]);
    expect(calls).toEqual([]);
  });

  it('names the variable and the lengths or pattern for a value sent as a variable, before any call', async () => {
    const query = 'query ($base: FxGetRateBase!, $note: FxGetRateNote) { fx_getRate(base: $base, note: $note) { rate } }';
    const tooLong = await ask(query, { base: 'EUR', note: 'far too long' });
    expect([tooLong.status, errorsOf(tooLong.body), tooLong.calls]).toEqual([400, [['BAD_USER_INPUT', 'Variable "$note" got invalid value "far too long"; it is 12 characters long, and the contract allows at most 5.']], []]);
    const tooShort = await ask(query, { base: 'EUR', note: 'x' });
    expect(errorsOf(tooShort.body)).toEqual([['BAD_USER_INPUT', 'Variable "$note" got invalid value "x"; it is 1 character long, and the contract asks for at least 2.']]);
    const pattern = await ask(query, { base: 'E1R' });
    expect(errorsOf(pattern.body)).toEqual([['BAD_USER_INPUT', 'Variable "$base" got invalid value "E1R"; it does not match the contract\'s pattern ^[A-Z]{3}$.']]);
    expect([tooShort.calls, pattern.calls]).toEqual([[], []]);
    const good = await ask(query, { base: 'GBP', note: 'ok' });
    expect([good.body, good.calls]).toEqual([{ data: { fx_getRate: { rate: 1.25 } } }, ['GET /v1/rates/GBP?note=ok']]);
  });

  it('requires a request body the contract requires, and checks what is inside it', async () => {
    const { body: schema } = await ask('{ __type(name: "Mutation") { fields { name args { name type { kind ofType { name } } } } } }');
    const createQuote = (schema.data.__type.fields as { name: string; args: { name: string; type: { kind: string; ofType: { name: string } | null } }[] }[])
      .find((field) => field.name === 'fx_createQuote')!;
    expect(createQuote.args.map((arg) => [arg.name, arg.type.kind])).toEqual([['input', 'NON_NULL']]);
    const inputType = createQuote.args[0]!.type.ofType!.name;

    const missing = await ask('mutation { fx_createQuote { id } }');
    expect([errorsOf(missing.body), missing.calls]).toEqual([[['GRAPHQL_VALIDATION_FAILED', `Field "fx_createQuote" argument "input" of type "${inputType}!" is required, but it was not provided.`]], []]);
    const badCurrency = await ask('mutation { fx_createQuote(input: { currency: "eu", amount: 10 }) { id } }');
    expect([errorsOf(badCurrency.body), badCurrency.calls]).toEqual([[['BAD_USER_INPUT', 'Argument "input" of "fx_createQuote", at "currency": "eu" does not match the contract\'s pattern ^[A-Z]{3}$.']], []]);
    const created = await ask('mutation { fx_createQuote(input: { currency: "CHF", amount: 10 }) { id currency amount } }');
    expect([created.body, created.calls]).toEqual([{ data: { fx_createQuote: { id: 'q-1', currency: 'CHF', amount: 10 } } }, ['POST /v1/quotes']]);
  });

  // Reads that are POST (issue 25): the source was added with `--reads 'search*' --reads 'POST /rates:lookup'`.
  it('serves the POSTs declared as reads as Query fields, and the other POSTs as mutations', async () => {
    expect(addedOutput).toContain('  Query.fx_searchQuotes(input: FxSearchQuotesRequest_Input!): [FxSearchQuotesResponse]\n  Query.fx_post_rates_lookup(');
    // As clients see them: the key and the version the gateway sends are no arguments.
    expect(addedOutput).toContain('  Query.fx_getHistory(base: String!, filter: String, page_size: Int): [FxGetHistoryResponse]\n');
    const { body } = await ask('{ query: __type(name: "Query") { fields { name } } mutation: __type(name: "Mutation") { fields { name } } }');
    const names = (type: { fields: { name: string }[] }) => type.fields.map((field) => field.name).filter((name) => name.startsWith('fx_')).sort();
    expect([names(body.data.query), names(body.data.mutation)]).toEqual([['fx_getHistory', 'fx_getLimits', 'fx_getRate', 'fx_getRateChart', 'fx_getRateStatement', 'fx_post_rates_lookup', 'fx_searchQuotes'], ['fx_createQuote', 'fx_uploadDocument', 'fx_uploadDocumentForm']]);
  });

  it('answers a POST read with its body sent as the contract asks', async () => {
    const { body, calls } = await ask('{ fx_post_rates_lookup(input: { bases: ["EUR", "USD"] }) { rates { base rate } } }');
    expect(body).toEqual({ data: { fx_post_rates_lookup: { rates: [{ base: 'EUR', rate: 2 }, { base: 'USD', rate: 2 }] } } });
    expect(calls).toEqual(['POST /v1/rates:lookup']);
    expect(JSON.parse(fx.requests.at(-1)!.body)).toEqual({ bases: ['EUR', 'USD'] });
  });

  it('gives a POST read the traits of a read: tried again after a fault, shared while in flight', async () => {
    const retried = await ask('{ fx_searchQuotes(input: { currencies: ["CHF"] }) { id currency } }');
    expect([retried.body, retried.calls]).toEqual([{ data: { fx_searchQuotes: [{ id: 'q-1', currency: 'CHF' }] } }, ['POST /v1/quotes/search', 'POST /v1/quotes/search']]);
    const shared = await ask('{ a: fx_searchQuotes(input: { currencies: ["GBP"] }) { id } b: fx_searchQuotes(input: { currencies: ["GBP"] }) { currency } }');
    expect([shared.body, shared.calls]).toEqual([{ data: { a: [{ id: 'q-1' }], b: [{ currency: 'GBP' }] } }, ['POST /v1/quotes/search']]);
    // A POST that changes data is neither: the same quote asked twice is two quotes.
    const twice = await ask('mutation { a: fx_createQuote(input: { currency: "CHF", amount: 1 }) { id } b: fx_createQuote(input: { currency: "CHF", amount: 1 }) { id } }');
    expect(twice.calls).toEqual(['POST /v1/quotes', 'POST /v1/quotes']);
  });

  it('refuses a --reads that names no operation, changing nothing', () => {
    const refused = project.run('npm', ['run', '-s', 'source:add', '--', 'fxtwo', `${FIXTURES}fx-rates.openapi.yaml`, '--reads', 'lookupRates']);
    expect([refused.status, refused.stderr.trim()]).toEqual([1, 'source:add fxtwo: --reads "lookupRates" names no operation of the contract (an operationId, a pattern of them with *, or a method and path such as "POST /search"; its operations that are not GET include POST /quotes (createQuote), POST /quotes/search (searchQuotes), POST /rates:lookup, POST /documents (uploadDocument), POST /documents/form (uploadDocumentForm))']);
  });

  // The provider's plumbing (issue 25): the source holds the X-Api-Key credential (`--auth apiKey:header:X-Api-Key`)
  // and sets the API's version (`--param api-version=2026-12-01`).
  it('hides the parameters the gateway fills and Google\'s transport parameters, and cleans spelled-out names', async () => {
    expect(JSON.parse(readFileSync(join(project.root, 'sources', 'fx', 'source.json'), 'utf8')).parameters).toEqual({ 'api-version': '2026-12-01', 'tenant-id': 'acme' });
    const { body } = await ask('{ __type(name: "Query") { fields { name args { name type { name kind } } } } }');
    const history = (body.data.__type.fields as { name: string; args: { name: string; type: { name: string | null; kind: string } }[] }[]).find((field) => field.name === 'fx_getHistory')!;
    expect(history.args.map((arg) => [arg.name, arg.type.kind])).toEqual([['base', 'NON_NULL'], ['filter', 'SCALAR'], ['page_size', 'SCALAR']]);
  });

  it('sends the credential in place of the hidden parameter, and the clean names under the contract\'s', async () => {
    const { body, calls } = await ask('{ fx_getHistory(base: "EUR", filter: "day gt 2026-12-01", page_size: 1) { day rate } }');
    expect(body).toEqual({ data: { fx_getHistory: [{ day: '2026-12-06', rate: 1.5 }] } });
    expect(calls).toEqual(['GET /v1/history/EUR?api-version=2026-12-01&%24filter=day%20gt%202026-12-01&page%5Bsize%5D=1']);
    const bare = await ask('{ fx_getHistory(base: "USD") { day } }');
    expect([bare.body, bare.calls]).toEqual([{ data: { fx_getHistory: [{ day: '2026-12-06' }] } }, ['GET /v1/history/USD?api-version=2026-12-01']]);
    expect(historyKeys).toEqual(['fx-secret', 'fx-secret']);
    // A path parameter the source sets: the field has no arguments left.
    const limits = await ask('{ fx_getLimits { daily } }');
    expect([limits.body, limits.calls]).toEqual([{ data: { fx_getLimits: { daily: 5e6 } } }, ['GET /v1/tenants/acme/limits']]);
  });

  // Files (issue 25): an image and a PDF, with a schema (`format: binary`) and without one.
  it('answers a file as its media type, size and bytes in base64', async () => {
    const chart = await ask('{ fx_getRateChart(base: "EUR") { contentType size base64 } }');
    expect([chart.body, chart.calls]).toEqual([{ data: { fx_getRateChart: { contentType: 'image/png', size: 10, base64: CHART.toString('base64') } } }, ['GET /v1/rates/EUR/chart']]);
    expect(fx.requests.at(-1)!.accept).toBe('image/png');
    const statement = await ask('{ fx_getRateStatement(base: "EUR") { contentType size base64 } }');
    expect(statement.body).toEqual({ data: { fx_getRateStatement: { contentType: 'application/pdf', size: 12, base64: Buffer.from('%PDF-1.7 EUR').toString('base64') } } });
  });

  // Uploads (issue 25): the GraphQL multipart request spec on the client's side, the contract's media type on the provider's.
  async function upload(query: string, variables: Record<string, unknown>, path: string) {
    const before = fx.requests.length;
    const form = new FormData();
    form.set('operations', JSON.stringify({ query, variables }));
    form.set('map', JSON.stringify({ 0: [path] }));
    form.set('0', new Blob(['quarterly rates'], { type: 'text/plain' }), 'rates.txt');
    const response = await fetch(gateway.url, { method: 'POST', body: form, headers: { 'x-graphql-csrf': '1' } });
    return { body: await response.json(), calls: fx.requests.slice(before).map((call) => `${call.method} ${call.url}`) };
  }

  it('sends an uploaded file as the body an application/octet-stream operation asks for', async () => {
    const sent = await upload('mutation ($file: FxFile!) { fx_uploadDocument(input: $file) { id size } }', { file: null }, 'variables.file');
    expect([sent.body, sent.calls]).toEqual([{ data: { fx_uploadDocument: { id: 'd-1', size: 15 } } }, ['POST /v1/documents']]);
    // The media type the contract declares for the body, whatever the client called its file.
    expect(uploads.at(-1)).toEqual({ contentType: 'application/octet-stream', body: 'quarterly rates' });
  });

  it('sends an uploaded file and the other fields as the form a multipart/form-data operation asks for', async () => {
    const sent = await upload('mutation ($file: FxFile) { fx_uploadDocumentForm(input: { title: "Q4", file: $file }) { id title } }', { file: null }, 'variables.file');
    expect([sent.body, sent.calls]).toEqual([{ data: { fx_uploadDocumentForm: { id: 'd-2', title: 'kept' } } }, ['POST /v1/documents/form']]);
    const { contentType, body } = uploads.at(-1)! as { contentType: string; body: string };
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(body).toMatch(/name="title"\r\n\r\nQ4\r\n/);
    expect(body).toMatch(/name="file"; filename="rates.txt"\r\nContent-Type: text\/plain\r\n\r\nquarterly rates\r\n/);
  });
});

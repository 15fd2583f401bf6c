/**
 * A client's value that breaks the contract's own constraint (issue 25) is the client's mistake, said
 * as such: `BAD_USER_INPUT`, naming the argument, the constraint and what is wrong with the value,
 * whether the value is written in the document or sent as a variable; and no call goes upstream.
 * An FX rates API (OpenAPI 3.0, a `pattern` on a path parameter, lengths on a query parameter) is
 * added with `npm run source:add` to a copy of the project and asked end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, serveRest, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';

describe('an argument against its contract constraint', () => {
  let project: ProjectCopy;
  let fx: Upstream;
  let gateway: RunningCopy;

  beforeAll(async () => {
    fx = await serveRest({ 'GET /v1/rates/:base': ({ base }) => ({ body: { base, rate: 1.25 } }) });
    project = copyProject();
    const built = project.run('npm', ['run', '-s', 'build']);
    expect(built.status, built.stderr).toBe(0);
    const added = project.run('npm', ['run', '-s', 'source:add', '--', 'fx', `${FIXTURES}fx-rates.openapi.yaml`, '--endpoint', `${fx.url}/v1`]);
    expect(added.status, added.stderr).toBe(0);
    gateway = await project.start({});
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await fx?.close();
    project?.remove();
  });

  async function ask(query: string, variables?: Record<string, unknown>) {
    const before = fx.requests.length;
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: await response.json(), calls: fx.requests.slice(before).map((call) => `${call.method} ${call.url}`) };
  }

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

  it('refuses a variable of the contract\'s type that breaks it, naming the variable, before any call', async () => {
    const query = 'query ($base: FxGetRateBase!, $note: FxGetRateNote) { fx_getRate(base: $base, note: $note) { rate } }';
    const tooLong = await ask(query, { base: 'EUR', note: 'far too long' });
    // graphql-jit coerces variables itself and words the error its own way: the variable and its type, not yet the constraint.
    expect([tooLong.status, errorsOf(tooLong.body), tooLong.calls]).toEqual([400, [['BAD_USER_INPUT', 'Variable "$note" got invalid value "far too long"; Expected type FxGetRateNote.']], []]);
    const tooShort = await ask(query, { base: 'EUR', note: 'x' });
    expect(errorsOf(tooShort.body)).toEqual([['BAD_USER_INPUT', 'Variable "$note" got invalid value "x"; Expected type FxGetRateNote.']]);
    const pattern = await ask(query, { base: 'E1R' });
    expect(errorsOf(pattern.body)).toEqual([['BAD_USER_INPUT', 'Variable "$base" got invalid value "E1R"; Expected type FxGetRateBase.']]);
    expect([tooShort.calls, pattern.calls]).toEqual([[], []]);
    const good = await ask(query, { base: 'GBP', note: 'ok' });
    expect([good.body, good.calls]).toEqual([{ data: { fx_getRate: { rate: 1.25 } } }, ['GET /v1/rates/GBP?note=ok']]);
  });
});

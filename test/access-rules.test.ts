// @owner read from the composition's SDL: on a field (the owner's id in its answer, parent or
// arguments) and on a type for the fields it lists, run by graphql-js over a schema of its own; the
// demo's rules are served end to end in auth.test.ts.
import { readFileSync } from 'node:fs';
import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readAccessRules, withAccessRules } from '../gateway/plugins/auth/rules.js';

const sdl = (customerDirective: string) => `${readFileSync('gateway/compose/directives.graphql', 'utf8')}
  type Query {
    invoices: [Invoice!]! @owner(in: ANSWER, path: "account.id", noun: "account")
    account(id: ID!): Account @owner(in: ARGUMENTS, path: "id", noun: "account")
  }
  type Invoice { number: String! account: Account! }
  type Account ${customerDirective} { id: ID! name: String! iban: String }
`;

const ROOT = {
  invoices: [{ number: 'INV-1', account: { id: 'acc-1', name: 'Ada', iban: 'NL01' } }, { number: 'INV-2', account: { id: 'acc-2', name: 'Bo', iban: 'NL02' } }],
  account: ({ id }: { id: string }) => ({ id, name: 'Ada', iban: 'NL01' }),
};
const run = (source: string, viewer: { subject: string; staff: boolean } | null) => {
  const schema = buildSchema(sdl('@owner(in: PARENT, path: "id", noun: "account", fields: ["iban"])'));
  return graphql({ schema: withAccessRules(schema, readAccessRules(schema)), source, rootValue: ROOT, contextValue: { viewer } });
};

describe('@owner', () => {
  it('refuses a list whose items are not all the subject\'s, and answers it to staff', async () => {
    expect((await run('{ invoices { number } }', { subject: 'acc-1', staff: false })).errors?.map((error) => [error.message, error.extensions.code]))
      .toEqual([['This token may not read or act for another account.', 'FORBIDDEN']]);
    expect((await run('{ invoices { number } }', { subject: 'x', staff: true })).data).toEqual({ invoices: [{ number: 'INV-1' }, { number: 'INV-2' }] });
    expect((await run('{ invoices { number } }', null)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('guards only the fields a type lists, by the parent\'s id, and an argument\'s', async () => {
    expect(await run('{ account(id: "acc-1") { name iban } }', { subject: 'acc-1', staff: false })).toEqual({ data: { account: { name: 'Ada', iban: 'NL01' } } });
    const other = await run('{ account(id: "acc-2") { name } }', { subject: 'acc-1', staff: false });
    expect([other.data, other.errors?.[0]?.message]).toEqual([{ account: null }, 'This token may not read or act for another account.']);
  });

  it('refuses a type-level guard of a field the type lacks', () => {
    expect(() => readAccessRules(buildSchema(sdl('@owner(in: PARENT, path: "id", fields: ["email"])'))))
      .toThrow('Account: @owner guards the field email, which Account does not have.');
  });
});

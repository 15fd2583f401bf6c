/**
 * The check that keeps the gateway from serving a schema graphql-js refuses (gateway/compose/check-public-schema.ts),
 * on schemas made invalid by hand: it holds whatever the adapters come to produce. How a user meets
 * it (source:add, npm start) is tested in invalid-contract.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema, GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLOutputType } from 'graphql';
import { checkBuiltSchema, checkPublicSchema, publicSchemaProblem } from '../gateway/compose/check-public-schema.js';
import { ConfigError } from '../gateway/config/config.js';

const ADDED = [
  { name: 'learning', typePrefix: 'Learning' },
  { name: 'pay', typePrefix: 'Pay' },
  { name: 'payroll', typePrefix: 'Payroll' },
];
/** A project root without a built composition: only the type prefixes tell where a type came from. */
const bare = mkdtempSync(join(tmpdir(), 'switchboard-check-'));

afterAll(() => rmSync(bare, { recursive: true, force: true }));

/** The ConfigError's message checkPublicSchema throws for `schema`, or undefined. */
function refusal(schema: GraphQLSchema, root = bare): string | undefined {
  try {
    checkPublicSchema(schema, ADDED, root);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

/** Private: a schema whose Query has one field of `type`, built without graphql-js's SDL checks. */
function withField(name: string, type: GraphQLOutputType): GraphQLSchema {
  return new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { products: { type: GraphQLString }, [name]: { type } } }) });
}

describe('checking the public schema', () => {
  it('refuses a type without fields, naming the added source by its type prefix', () => {
    const schema = withField('learning_course', new GraphQLObjectType({ name: 'LearningCourseID', fields: {} }));
    expect(refusal(schema)).toBe('The public schema is not valid: learning: type LearningCourseID must define one or more fields.');
  });

  it('names the source whose prefix is the longest one a type starts with', () => {
    const schema = withField('payroll_slip', new GraphQLObjectType({ name: 'PayrollSlip', fields: {} }));
    expect(refusal(schema)).toBe('The public schema is not valid: payroll: type PayrollSlip must define one or more fields.');
  });

  it('names the type a message is about rather than the root type that reaches it', () => {
    const input = new GraphQLInputObjectType({ name: 'LearningFilter', fields: { text: { type: GraphQLString } } });
    // An input type where an output type must be: graphql-js's types forbid it, a handler's output may not.
    const schema = withField('learning_find', input as unknown as GraphQLOutputType);
    expect(refusal(schema)).toBe('The public schema is not valid: learning: the type of Query.learning_find must be Output Type but got: LearningFilter.');
  });

  it('names a type of no added source as the composition\'s, and finds its source in the built composition when there is one', () => {
    const sdl = 'type Query { product: Product }\ninterface Node { id: ID! }\ntype Product implements Node { id: String }';
    const schema = buildSchema(sdl, { assumeValidSDL: true });
    const problem = 'interface field Node.id expects type ID! but Product.id is type String.';
    expect(refusal(schema)).toBe(`The public schema is not valid: the composition: ${problem}`);
    const built = mkdtempSync(join(tmpdir(), 'switchboard-check-'));
    try {
      mkdirSync(join(built, '.mesh', 'sources', 'catalog'), { recursive: true });
      writeFileSync(join(built, '.mesh', 'sources', 'catalog', 'schema.graphql'), 'type Query { getProduct: String }\ninterface Node { id: ID! }');
      expect(refusal(schema, built)).toBe(`The public schema is not valid: catalog: ${problem}`);
    } finally {
      rmSync(built, { recursive: true, force: true });
    }
  });

  it('reports only the first problem, in graphql-js\'s order (the types given, then those the roots reach)', () => {
    const schema = withField('learning_a', new GraphQLObjectType({ name: 'LearningA', fields: { b: { type: new GraphQLObjectType({ name: 'LearningB', fields: {} }) } } }));
    expect(publicSchemaProblem(schema, () => 'somewhere')).toBe('somewhere: type LearningB must define one or more fields.');
    const twice = new GraphQLSchema({ query: schema.getQueryType(), types: [new GraphQLObjectType({ name: 'PayEmpty', fields: {} })] });
    expect(publicSchemaProblem(twice, (type) => (type === 'PayEmpty' ? 'pay' : undefined))).toBe('pay: type PayEmpty must define one or more fields.');
  });

  it('accepts a valid schema, and the composition this project builds', () => {
    expect(refusal(withField('learning_course', new GraphQLObjectType({ name: 'LearningCourse', fields: { title: { type: GraphQLString } } })))).toBeUndefined();
    expect(() => checkBuiltSchema()).not.toThrow();
  });
});

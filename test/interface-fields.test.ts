/**
 * Interfaces that give way to the implementers that narrow them (gateway/compose/interface-fields.ts):
 * the schema Mesh's OpenAPI handler makes of test/fixtures/contracts/narrowed-interface.openapi.yaml,
 * where each kind of job narrows the base job it extends, made valid without losing what a kind says.
 * That the added source builds and answers is tested end to end in corpus-builds.test.ts.
 */
import { buildSchema, printType, validateSchema, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withAgreeingInterfaces } from '../gateway/compose/interface-fields.js';

// As the handler makes it: the base's fields, each kind's own where it narrows them.
const MESH_SDL = `
  type Query { getJob(jobId: String!): SomeJob }
  union SomeJob = PdfJob | LabelJob
  interface Job { kind: String!  owner: String!  output: JSON  tags: [String!]! }
  type PdfJob implements Job { kind: PdfJobKind!  owner: String  output: PdfJobOutput  tags: [String] }
  type LabelJob implements Job { kind: String!  owner: String!  output: JSON  tags: [String!]! }
  enum PdfJobKind { pdf }
  type PdfJobOutput { pages: Int }
  scalar JSON
`;

describe('an interface whose implementers narrow its fields', () => {
  it('is not valid GraphQL as the handler makes it', () => {
    expect(validateSchema(buildSchema(MESH_SDL)).map((error) => error.message)).toEqual([
      'Interface field Job.kind expects type String! but PdfJob.kind is type PdfJobKind!.',
      'Interface field Job.owner expects type String! but PdfJob.owner is type String.',
      'Interface field Job.output expects type JSON but PdfJob.output is type PdfJobOutput.',
      'Interface field Job.tags expects type [String!]! but PdfJob.tags is type [String].',
    ]);
  });

  it('keeps the fields only nullability tells apart, nullable, and leaves out the others; the implementers keep theirs', () => {
    const schema = withAgreeingInterfaces(buildSchema(MESH_SDL));
    expect(validateSchema(schema)).toEqual([]);
    const print = (name: string) => printType(schema.getType(name) as GraphQLNamedType).replace(/\s+/g, ' ');
    expect(print('Job')).toBe('interface Job { owner: String tags: [String] }');
    expect(print('PdfJob')).toBe('type PdfJob implements Job { kind: PdfJobKind! owner: String output: PdfJobOutput tags: [String] }');
    expect(print('LabelJob')).toBe('type LabelJob implements Job { kind: String! owner: String! output: JSON tags: [String!]! }');
  });

  it('leaves a schema whose interfaces agree with their implementers as it was', () => {
    const schema = buildSchema('type Query { a: A } interface A { id: ID! } type B implements A { id: ID! }');
    expect(withAgreeingInterfaces(schema)).toBe(schema);
  });
});

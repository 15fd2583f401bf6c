/**
 * A REST operation that answers a file (an image, a PDF: any success answer that is neither JSON nor
 * XML) gives its root field Mesh's `File` scalar, which the handler fills with the answer as a Blob:
 * a client would read `{}`. Here such a field answers a `FileContent`: the media type the upstream
 * gave, the size in bytes, and the bytes in base64, so that an app can show the chart or save the
 * statement.
 *
 *   { fx_getRateChart(base: "EUR") { contentType size base64 } }
 *   // { "contentType": "image/png", "size": 68, "base64": "iVBORw0KGgo…" }
 */
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, getNamedType, isListType, isNonNullType, isScalarType, type GraphQLOutputType } from 'graphql';
import { getDirectiveExtensions, MapperKind, mapSchema } from '@graphql-tools/utils';
import type { HttpOperation } from './rest-operation.js';

export const FILE_CONTENT = 'FileContent';

const fileContent = new GraphQLObjectType({
  name: FILE_CONTENT,
  description: 'A file an upstream answered (an image, a PDF), whole.',
  fields: {
    contentType: { type: new GraphQLNonNull(GraphQLString), description: 'Its media type, as the upstream gave it (`image/png`).' },
    size: { type: new GraphQLNonNull(GraphQLInt), description: 'Its size in bytes.' },
    base64: { type: new GraphQLNonNull(GraphQLString), description: 'Its bytes, in base64.' },
  },
});

/** What a Blob the handler answers is read into. */
interface FileValue {
  contentType: string;
  size: number;
  base64: string;
}

export function withBinaryAnswers(schema: GraphQLSchema): GraphQLSchema {
  // Mesh's `File`, with the source's type prefix where it has one (`FxFile`).
  const answersFiles = (type: GraphQLOutputType) => isScalarType(getNamedType(type)) && getNamedType(type).name.endsWith('File') && !isListType(isNonNullType(type) ? type.ofType : type);
  const fields = Object.values(schema.getQueryType()?.getFields() ?? {}).concat(Object.values(schema.getMutationType()?.getFields() ?? {}));
  if (!fields.some((field) => answersFiles(field.type)) || schema.getType(FILE_CONTENT)) return schema;
  const config = schema.toConfig();
  const withType = new GraphQLSchema({ ...config, types: [...config.types, fileContent] });
  const type = withType.getType(FILE_CONTENT) as GraphQLObjectType;
  return mapSchema(withType, {
    [MapperKind.ROOT_FIELD]: (field) => {
      if (!answersFiles(field.type)) return field;
      const [operation] = getDirectiveExtensions<{ httpOperation: HttpOperation }>(field as never, withType).httpOperation ?? [];
      if (!operation?.subgraph) return field;
      const resolve = field.resolve;
      return {
        ...field,
        type: isNonNullType(field.type) ? new GraphQLNonNull(type) : type,
        resolve: async (source, args, context, info) => readFile(await resolve?.(source, args, context, info)),
      };
    },
  });
}

/** Private: the handler's Blob as a FileContent; what is not a Blob (a text answer) as its UTF-8 bytes. */
async function readFile(answer: unknown): Promise<FileValue | null | undefined> {
  if (answer === null || answer === undefined || answer instanceof Error) return answer as never;
  if (typeof answer === 'object' && typeof (answer as Blob).arrayBuffer === 'function') {
    const blob = answer as Blob;
    const bytes = Buffer.from(await blob.arrayBuffer());
    return { contentType: blob.type || 'application/octet-stream', size: bytes.length, base64: bytes.toString('base64') };
  }
  const bytes = Buffer.from(typeof answer === 'string' ? answer : JSON.stringify(answer), 'utf8');
  return { contentType: 'text/plain', size: bytes.length, base64: bytes.toString('base64') };
}

/**
 * Uploads, as a contract asks for them. A client sends a file with the GraphQL multipart request
 * spec (yoga reads it: the variable is a File); the provider gets it as its contract says:
 *
 * - `multipart/form-data`: Mesh's OpenAPI handler writes the form itself, the file as a part with
 *   its name and type; the transport sends it as bytes (gateway/upstream/mesh-fetch.ts);
 * - a file media type for the whole body (`application/octet-stream`, `image/png`, Google's media
 *   uploads): the handler would write the File as JSON (it never marks such an operation binary),
 *   so here the field's resolver hands the handler a stand-in, `{"switchboardUpload":"<id>"}`, and
 *   keeps the file with the request; the transport sends the file's bytes in its place, with the
 *   content type the contract declares.
 *
 * A stand-in is the request's own: a client that writes one into another request's input finds no
 * file behind it, and the stand-in goes upstream as the JSON it is.
 */
import { randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { fieldOperation, type RestMedia } from './openapi-media.js';
import { isBlob, pending } from './upload-stand-ins.js';

const STAND_IN = 'switchboardUpload';

export function withUploads(schema: GraphQLSchema, restMedia: (source: string) => RestMedia | undefined): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field) => {
      const resolve = field.resolve;
      if (!resolve || !field.args?.input || !fieldOperation(field, schema, restMedia)?.fileBody) return field;
      return {
        ...field,
        resolve: async (source, args, context, info) => {
          const file = await (args as { input?: unknown }).input;
          if (!isBlob(file) || typeof context !== 'object' || context === null) return resolve(source, args, context, info);
          const id = randomUUID();
          const files = pending.get(context) ?? new Map<string, Blob>();
          pending.set(context, files.set(id, file));
          try {
            return await resolve(source, { ...args, input: { [STAND_IN]: id } }, context, info);
          } finally {
            files.delete(id);
          }
        },
      };
    },
  });
}

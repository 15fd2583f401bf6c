/**
 * An OpenAPI 3 operation that answers a file but gives it no schema (`application/pdf: {}`) gets
 * one, `{ type: string, format: binary }`, in the copies Mesh's OpenAPI handler reads
 * (gateway/compose/contracts.ts): the handler then reads the answer as bytes (its `File`, which the
 * public schema serves as a `FileContent`, gateway/sources/rest/binary-answers.ts) instead of
 * decoding it as text, which no PDF or image survives.
 */
import { isFileMediaType } from '../upstream/media-types.js';
import { isObject } from './openapi-names.js';

/** Gives, in place, each file answer without a schema its binary one; whether any was given. */
export function typeFileAnswers(document: Record<string, unknown>): boolean {
  let changed = false;
  const paths = isObject(document.paths) ? document.paths : {};
  for (const item of Object.values(paths)) {
    for (const operation of isObject(item) ? Object.values(item) : []) {
      const responses = isObject(operation) && isObject(operation.responses) ? operation.responses : {};
      for (const response of Object.values(responses)) {
        const content = isObject(response) && isObject(response.content) ? response.content : {};
        for (const [type, entry] of Object.entries(content)) {
          if (!isFileMediaType(type) || !isObject(entry) || entry.schema !== undefined) continue;
          entry.schema = { type: 'string', format: 'binary' };
          changed = true;
        }
      }
    }
  }
  return changed;
}

/**
 * The files a request's upload fields handed over (gateway/sources/rest/uploads.ts), by the ids of
 * the stand-ins Mesh's handler writes in their place, for the transport to send
 * (gateway/upstream/mesh-fetch.ts). No imports: the built composition loads the transport's module
 * before anything else.
 */

/** The files of each request (its GraphQL context), by their stand-ins' ids. */
export const pending = new WeakMap<object, Map<string, Blob>>();

const STAND_IN_TEXT = /^\{"switchboardUpload":"([0-9a-f-]{36})"\}$/;

/** The file a request body stands in for, when it is one of this request's stand-ins. */
export function uploadFor(context: unknown, body: unknown): Blob | undefined {
  if (typeof body !== 'string' || typeof context !== 'object' || context === null) return undefined;
  const id = STAND_IN_TEXT.exec(body)?.[1];
  return id === undefined ? undefined : pending.get(context)?.get(id);
}

/** Whether a value is a file or blob (yoga's, Node's, or the fetch ponyfill's). */
export function isBlob(value: unknown): value is Blob {
  return typeof value === 'object' && value !== null && typeof (value as Blob).arrayBuffer === 'function' && typeof (value as Blob).size === 'number';
}

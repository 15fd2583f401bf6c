/**
 * The `customFetch` of `.meshrc.yaml`: Mesh's OpenAPI and GraphQL handlers call upstreams through
 * this, with the GraphQL context of the request they serve, so they get the same credentials,
 * timeouts and typed errors as the SOAP source, and the client headers their source allows.
 */
import { callScope, scopeOf } from './index.js';
import { isBlob, uploadFor } from '../sources/rest/upload-stand-ins.js';

export default async function meshFetch(url: string, init: RequestInit = {}, context?: unknown): Promise<Response> {
  const { upstreams } = scopeOf(context);
  const source = upstreams.sourceFor(url);
  if (!source) {
    // Only configured upstreams are reachable from the gateway: anything else is a composition bug.
    throw new Error(`Switchboard has no source for ${new URL(url).origin}`);
  }
  // A file the contract asks for as the whole body, in place of the stand-in the handler wrote (gateway/sources/rest/uploads.ts).
  const upload = uploadFor(context, init.body);
  const sent = upload ? { ...init, body: new Uint8Array(await upload.arrayBuffer()) } : await withBytesBody(init);
  return upstreams.request(source, url, sent, callScope(context));
}

/**
 * Private: an upload's body (a FormData the handler wrote for a `multipart/form-data` operation, a
 * File, a stream) as the bytes fetch would send, with the content type fetch would give it (a form's
 * boundary, a file's type) where the handler set none or set one without the boundary. The
 * transport sends bytes: one body can then be sent again on a retry. The handler's FormData and Files
 * are the fetch ponyfill's, which Node's fetch does not encode: they are copied into Node's own.
 */
async function withBytesBody(init: RequestInit): Promise<RequestInit> {
  const body = init.body as unknown;
  if (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array) return init;
  const encoded = new Response(isForm(body) ? await nativeForm(body) : isBlob(body) ? new Blob([await body.arrayBuffer()], { type: body.type }) : body as BodyInit);
  const headers = new Headers(init.headers);
  const type = encoded.headers.get('content-type');
  if (type && (!headers.has('content-type') || type.startsWith('multipart/'))) headers.set('content-type', type);
  return { ...init, headers, body: new Uint8Array(await encoded.arrayBuffer()) };
}

interface FormLike {
  entries(): Iterable<[string, unknown]>;
  append(name: string, value: unknown): void;
}

function isForm(value: unknown): value is FormLike {
  return typeof (value as FormLike).entries === 'function' && typeof (value as FormLike).append === 'function';
}

/** Private: a form's fields and files, in Node's FormData. */
async function nativeForm(form: FormLike): Promise<FormData> {
  const native = new FormData();
  for (const [name, value] of form.entries()) {
    if (!isBlob(value)) native.append(name, String(value));
    else native.append(name, new Blob([await value.arrayBuffer()], { type: value.type }), (value as File).name || name);
  }
  return native;
}

// The built mesh imports this module's `fetch`.
export { meshFetch as fetch };

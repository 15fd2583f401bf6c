/**
 * An answer's way onto the socket, as the representation the client gets:
 * - a whole answer that caches may keep (a 200 whose `Cache-Control` is not `no-store`:
 *   gateway/cache/use-http-caching.ts) carries a strong `ETag`, a digest of its bytes and the
 *   encoding they are sent in (`"<digest>-br"`); a request whose `If-None-Match` names it is
 *   answered `304 Not Modified` with no body, whatever the method;
 * - text is compressed as the client's `Accept-Encoding` allows (compression.ts): a whole answer
 *   of `minBytes` or more at once, a stream (SSE, `multipart/mixed`) part by part, each flushed.
 * An answer that names its own ETag or encoding (GraphiQL's page) is sent as it is, its ETag
 * naming the encoding it is given in.
 *
 *   await sendAnswer(await yoga.handleNodeRequestAndResponse(req, res), req, res, { encoding: 'br', compression, notModified });
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import { COMPRESSIBLE, compress, streamCompressed, type CompressionSettings, type Encoding } from './compression.js';

export interface SendOptions {
  /** The encoding the client's `Accept-Encoding` chose. */
  encoding: Encoding;
  /** How answers are compressed; none: never. */
  compression?: CompressionSettings | undefined;
  /** Told of each answer sent 304 Not Modified. */
  notModified?: () => void;
}

const STREAMS = /^(text\/event-stream|multipart\/mixed)/;
/** Headers a 304 does not carry: it has no body. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

export async function sendAnswer(answer: Response, request: IncomingMessage, response: ServerResponse, { encoding, compression, notModified }: SendOptions): Promise<void> {
  const type = answer.headers.get('content-type') ?? '';
  // Yoga marks its SSE streams `Content-Encoding: none` (for proxies that would buffer them to compress).
  const encoded = answer.headers.get('content-encoding');
  const plain = (encoded === null || encoded === 'none' || encoded === 'identity') && answer.body !== null && request.method !== 'HEAD';
  const compressible = compression !== undefined && plain && COMPRESSIBLE.test(type);
  if (compressible) answer.headers.append('vary', 'accept-encoding');
  const compressed = compressible && encoding !== 'identity' ? encoding : undefined;
  if (STREAMS.test(type)) {
    if (!compressed) return sendNodeResponse(answer, response, request, false);
    const headers = headersOf(answer, compressed);
    delete headers['content-length'];
    response.writeHead(answer.status, headers);
    response.flushHeaders();
    return streamCompressed(answer.body!, response, compressed, compression!);
  }
  const validated = plain && answer.status === 200 && !answer.headers.has('etag') && keepable(answer.headers.get('cache-control'));
  if (!validated && !compressed) return sendNodeResponse(answer, response, request, false);
  const body = Buffer.from(await answer.arrayBuffer());
  const sentIn = compressed && body.length >= compression!.minBytes ? compressed : undefined;
  if (validated) answer.headers.set('etag', `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`);
  const headers = headersOf(answer, sentIn);
  // The representation the client has is the one it would get: the same bytes, in the same encoding.
  if (validated && names(request.headers['if-none-match'], headers.etag as string)) {
    notModified?.();
    for (const name of BODY_HEADERS) delete headers[name];
    response.writeHead(304, headers).end();
    return;
  }
  const sent = sentIn ? await compress(body, sentIn, compression!) : body;
  headers['content-length'] = String(sent.length);
  response.writeHead(answer.status, headers);
  response.end(sent);
}

/** Private: whether a `Cache-Control` lets a cache keep the answer (and so ask again for it). */
function keepable(cacheControl: string | null): boolean {
  return cacheControl !== null && !/\bno-store\b/.test(cacheControl);
}

/** Private: whether an `If-None-Match` names `etag` (weakly compared, as RFC 9110 asks of it). */
function names(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const given = tag.trim();
    return given === '*' || given.replace(/^W\//, '') === etag;
  });
}

/** Private: the answer's headers, with the encoding it is sent in and the ETag that names it. */
function headersOf(answer: Response, encoding?: Encoding): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? answer.headers.getSetCookie() : value;
  });
  if (encoding) {
    headers['content-encoding'] = encoding;
    const etag = answer.headers.get('etag');
    if (etag && /^"[^"]*"$/.test(etag)) headers.etag = `${etag.slice(0, -1)}-${encoding}"`;
  }
  return headers;
}

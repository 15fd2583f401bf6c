/**
 * Answers compressed for clients that say they can read it (`Accept-Encoding`, with its q-values):
 * brotli, gzip or deflate, the client's preference first and brotli on a tie. A whole answer (JSON)
 * is compressed when it is at least `minBytes`; a stream (SSE, `multipart/mixed` of `@defer`) part by
 * part, each flushed as it is written, so that no event waits for the next. A strong ETag names
 * the representation: `"<tag>-br"`, and an `If-None-Match` naming it is read as the tag it came from,
 * so that a 304 still answers. An answer compressed already (GraphiQL's page) is sent as it is.
 *
 *   const encoding = negotiateEncoding(request.headers['accept-encoding']);   // 'br', or a refusal
 *   await sendAnswer(response, nodeRequest, nodeResponse, encoding, settings);
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createDeflate, createGzip, type BrotliCompress, type Deflate, type Gzip } from 'node:zlib';
import { sendNodeResponse } from '@whatwg-node/server';

export type Encoding = 'br' | 'gzip' | 'deflate' | 'identity';

export interface CompressionSettings {
  /** The smallest whole answer worth compressing, in bytes. */
  minBytes: number;
  /** zlib's gzip and deflate level, 1 to 9. */
  gzipLevel: number;
  /** Brotli's quality, 0 to 11. */
  brotliQuality: number;
}

/** What a request's `Accept-Encoding` allows, or why it allows nothing the gateway can send. */
export type Negotiated = { encoding: Encoding } | { status: 400 | 406; code: string; message: string };

const SUPPORTED: readonly Encoding[] = ['br', 'gzip', 'deflate'];
const COMPRESSIBLE = /^(application\/(graphql-response\+)?json|text\/|multipart\/mixed|application\/javascript)/;
const STREAMS = /^(text\/event-stream|multipart\/mixed)/;
const TAGGED = /"([^"]*)-(br|gzip|deflate)"/g;

/** The encoding to answer in (RFC 9110, 12.5.3): an unknown coding is ignored, a q-value that is not one refused. */
export function negotiateEncoding(header: string | undefined): Negotiated {
  if (header === undefined || header.trim() === '') return { encoding: 'identity' };
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';').map((piece) => piece.trim());
    if (!name) continue;
    let weight = 1;
    for (const parameter of parameters) {
      const q = /^q=([01](\.\d{0,3})?)$/.exec(parameter);
      if (!q || Number(q[1]) > 1) {
        return { status: 400, code: 'BAD_REQUEST', message: `Accept-Encoding has a weight that is not one (${JSON.stringify(part.trim())}): write q=0 to q=1, as in "br, gzip;q=0.8".` };
      }
      weight = Number(q[1]);
    }
    weights.set(name, weight);
  }
  const any = weights.get('*');
  // An unlisted coding is not acceptable, unless `*` says; identity is, unless `*;q=0` says not,
  // though last: a client that lists a compression prefers it.
  const weightOf = (encoding: Encoding) => weights.get(encoding) ?? any ?? (encoding === 'identity' ? 0.001 : 0);
  const best = [...SUPPORTED, 'identity' as const]
    .map((encoding) => ({ encoding, weight: weightOf(encoding) }))
    .filter((candidate) => candidate.weight > 0)
    .sort((a, b) => b.weight - a.weight)[0];
  if (!best) {
    return { status: 406, code: 'NOT_ACCEPTABLE', message: `Accept-Encoding allows no encoding Switchboard sends: it sends ${SUPPORTED.join(', ')} or identity.` };
  }
  return { encoding: best.encoding };
}

/** The request's `If-None-Match` as the tags the gateway gave, before an encoding named them. */
export function untagIfNoneMatch(request: IncomingMessage): void {
  const header = request.headers['if-none-match'];
  if (header) request.headers['if-none-match'] = header.replace(TAGGED, '"$1"');
}

/** Sends `answer` on `response`, compressed in `encoding` where that is worth it. */
export async function sendAnswer(answer: Response, request: IncomingMessage, response: ServerResponse, encoding: Encoding, settings: CompressionSettings): Promise<void> {
  const type = answer.headers.get('content-type') ?? '';
  // Yoga marks its SSE streams `Content-Encoding: none` (for proxies that would buffer them to compress).
  const encoded = answer.headers.get('content-encoding');
  const compressible = COMPRESSIBLE.test(type) && (encoded === null || encoded === 'none' || encoded === 'identity') && answer.body !== null && request.method !== 'HEAD';
  if (compressible) answer.headers.append('vary', 'accept-encoding');
  if (!compressible || encoding === 'identity') return sendNodeResponse(answer, response, request, false);
  if (STREAMS.test(type)) return sendStream(answer, response, encoding, settings);
  const body = Buffer.from(await answer.arrayBuffer());
  if (body.length < settings.minBytes) {
    response.writeHead(answer.status, headersOf(answer));
    response.end(body);
    return;
  }
  const compressed = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = compressor(encoding, settings);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    stream.end(body);
  });
  const headers = headersOf(answer, encoding);
  headers['content-length'] = String(compressed.length);
  response.writeHead(answer.status, headers);
  response.end(compressed);
}

/** Private: a stream compressed part by part, each part flushed as it comes; the client leaving ends it. */
async function sendStream(answer: Response, response: ServerResponse, encoding: Encoding, settings: CompressionSettings): Promise<void> {
  const headers = headersOf(answer, encoding);
  delete headers['content-length'];
  response.writeHead(answer.status, headers);
  response.flushHeaders();
  const stream = compressor(encoding, settings);
  stream.pipe(response);
  const reader = answer.body!.getReader();
  response.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      if (response.destroyed) break;
      stream.write(part.value);
      await new Promise<void>((resolve) => stream.flush(() => resolve()));
    }
  } catch {
    // The stream was cut (the client left, or the gateway shut down): what was sent stands.
  } finally {
    stream.end();
  }
}

/** Private: the answer's headers, with the encoding and the ETag that names it. */
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

/** Private: a compressing stream for `encoding`. */
function compressor(encoding: Encoding, settings: CompressionSettings): Gzip | Deflate | BrotliCompress {
  switch (encoding) {
    case 'br':
      return createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } });
    case 'deflate':
      return createDeflate({ level: settings.gzipLevel });
    default:
      return createGzip({ level: settings.gzipLevel });
  }
}

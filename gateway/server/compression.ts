/**
 * Answers compressed for clients that say they can read it (`Accept-Encoding`, with its q-values):
 * brotli, gzip or deflate, the client's preference first and brotli on a tie. A whole answer (JSON)
 * is compressed when it is at least `minBytes`; a stream (SSE, `multipart/mixed` of `@defer`) part by
 * part, each flushed as it is written, so that no event waits for the next (send-answer.ts decides
 * which).
 *
 *   const negotiated = negotiateEncoding(request.headers['accept-encoding']);   // { encoding: 'br' }, or a refusal
 *   const body = await compress(Buffer.from(json), 'br', settings);
 */
import type { ServerResponse } from 'node:http';
import { constants, createBrotliCompress, createDeflate, createGzip, type BrotliCompress, type Deflate, type Gzip } from 'node:zlib';

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
/** What is worth compressing: text. */
export const COMPRESSIBLE = /^(application\/(graphql-response\+)?json|text\/|multipart\/mixed|application\/javascript)/;

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

/** `body` compressed in `encoding`. */
export function compress(body: Buffer, encoding: Exclude<Encoding, 'identity'>, settings: CompressionSettings): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = compressor(encoding, settings);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    stream.end(body);
  });
}

/** A stream's parts written to `response` (its headers sent), compressed one by one, each flushed as it comes; the client leaving ends it. */
export async function streamCompressed(body: ReadableStream<Uint8Array>, response: ServerResponse, encoding: Exclude<Encoding, 'identity'>, settings: CompressionSettings): Promise<void> {
  const stream = compressor(encoding, settings);
  stream.pipe(response);
  const reader = body.getReader();
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

/** Private: a compressing stream for `encoding`. */
function compressor(encoding: Exclude<Encoding, 'identity'>, settings: CompressionSettings): Gzip | Deflate | BrotliCompress {
  switch (encoding) {
    case 'br':
      return createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } });
    case 'deflate':
      return createDeflate({ level: settings.gzipLevel });
    default:
      return createGzip({ level: settings.gzipLevel });
  }
}

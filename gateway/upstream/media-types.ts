/**
 * Asking a REST upstream for what the gateway reads, and taking its answer only in a media type the
 * operation declares: JSON (`application/json`, any `+json`) as it is, XML (`application/xml`,
 * `text/xml`, any `+xml`) read into the shape of the operation's schema (gateway/sources/rest/xml-answer.ts).
 * Anything else the contract does not declare (a proxy's HTML error page with status 200, say) is
 * UPSTREAM_BAD_RESPONSE, named by its media type: never by its URL or its body.
 *
 *   acceptFor(['application/xml', 'application/json']);   // 'application/json, application/xml'
 *   readAnswer('petstore', media, reply);                  // the reply, its XML body as JSON
 */
import { badResponse, upstreamError } from '../errors.js';
import { readXmlAnswer } from '../sources/rest/xml-answer.js';
import type { UpstreamReply } from './http-exchange.js';

/** What one operation of a REST contract answers in (gateway/sources/rest/openapi-media.ts). */
export interface OperationMedia {
  /** Its operationId, else its method and path template (`GET /pet/{petId}`): its name in the metrics. */
  name?: string;
  /** The `Accept` header its calls carry. */
  accept: string;
  /** The media types its success responses declare, as written (none: JSON is expected). */
  declared: readonly string[];
  /** The schema of its success answer, its `$ref`s followed, for reading an XML answer. */
  schema?: Record<string, unknown>;
  /** Whether the contract requires a request body (`requestBody.required`; Swagger 2.0's required `in: body` parameter). */
  bodyRequired?: boolean;
  /** Whether the source declares it a read though it is not a GET (gateway/sources/rest/reads.ts): retried and shared as reads are. */
  read?: boolean;
  /** Whether its request body is a file (`application/octet-stream`, an image: gateway/sources/rest/uploads.ts). */
  fileBody?: boolean;
}

/** What a contract that declares nothing is taken to answer in. */
export const JSON_ONLY: OperationMedia = { accept: 'application/json', declared: [] };

type Family = 'json' | 'xml' | 'other';

/**
 * The `Accept` header for the declared media types: the JSON ones first, then the XML ones, in the
 * contract's order; the declared types as they are when they are neither (the handler passes those on
 * as it gets them); `application/json` when none are declared.
 */
export function acceptFor(declared: readonly string[]): string {
  const json = declared.filter((type) => familyOf(type) === 'json');
  const xml = declared.filter((type) => familyOf(type) === 'xml');
  if (json.length + xml.length > 0) return [...json, ...xml].join(', ');
  return declared.length > 0 ? declared.join(', ') : JSON_ONLY.accept;
}

/** Whether any of the declared media types is XML, or a wildcard that covers XML. */
export function readsXml(declared: readonly string[]): boolean {
  return declared.some((type) => familyOf(type) === 'xml' || covers(type, 'application/xml') || covers(type, 'text/xml'));
}

/**
 * A success answer as the handler reads it: JSON as it came, XML as the JSON of its value, a declared
 * type of another kind as it came; an undeclared media type throws UPSTREAM_BAD_RESPONSE. An answer
 * without a body or a content type is left to the reader, as before.
 */
export function readAnswer(source: string, media: OperationMedia, reply: UpstreamReply): UpstreamReply {
  const type = mediaTypeOf(reply.headers.get('content-type'));
  if (type === undefined || reply.body.length === 0) return reply;
  const declared = media.declared.length > 0 ? media.declared : [JSON_ONLY.accept];
  const family = familyOf(type);
  const covered = declared.some((each) => covers(each, type) || (family !== 'other' && familyOf(each) === family));
  if (!covered) throw undeclared(source, type);
  if (family !== 'xml') return reply;
  let value: unknown;
  try {
    value = readXmlAnswer(reply.body.toString('utf8'), media.schema);
  } catch {
    throw badResponse(source);
  }
  const headers = new Headers(reply.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return { ...reply, headers, body: Buffer.from(JSON.stringify(value) ?? 'null') };
}

/** Private: the media type of a content type, lower case, without its parameters. */
function mediaTypeOf(contentType: string | null): string | undefined {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return type || undefined;
}

/** Whether a media type is a file's (an image, a PDF, an archive): neither JSON, XML nor text, nor a wildcard. */
export function isFileMediaType(mediaType: string): boolean {
  const type = mediaTypeOf(mediaType) ?? '';
  return familyOf(type) === 'other' && !type.startsWith('text/') && !type.startsWith('*/') && type.includes('/');
}

/** Private: JSON, XML (both with their structured suffixes), or anything else. */
function familyOf(mediaType: string): Family {
  const type = mediaTypeOf(mediaType) ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  return 'other';
}

/** Private: whether a declared media type (`text/html`, `text/*`, `*\/*`) covers an answer's. */
function covers(declared: string, type: string): boolean {
  const [kind, sub] = (mediaTypeOf(declared) ?? '').split('/');
  const [typeKind] = type.split('/');
  return `${kind}/${sub}` === type || (sub === '*' && (kind === '*' || kind === typeKind));
}

/** Private: the error for an answer in a media type the operation does not declare; an odd header is not repeated. */
function undeclared(source: string, type: string) {
  const named = /^[\w.+-]{1,60}\/[\w.+-]{1,60}$/.test(type) ? type : 'a media type';
  return upstreamError(source, 'UPSTREAM_BAD_RESPONSE', `${source} answered ${named}, which its contract does not declare for this operation.`);
}

/**
 * node-soap's HTTP client, replaced by the gateway's upstream policy (credentials, timeouts, retries,
 * typed errors in one place), and the mapping of a SOAP Fault to a GraphQL error.
 */
import type { GraphQLError } from 'graphql';
import { badResponse, errorForStatus, upstreamError } from '../../errors.js';

/**
 * What the SOAP schema passes with each call, as node-soap's per-call options: whether the operation
 * is a safe read (retried, and shared in flight), or a write safe to send again (retried).
 */
export interface CallOptions {
  read: boolean;
  idempotent: boolean;
  /** The GraphQL context of the request the call is made for. */
  context: unknown;
  /** The binding's SOAP version and the operation's SOAPAction, which node-soap may have from another binding. */
  soapVersion?: '1.1' | '1.2';
  soapAction?: string;
  /** Where to send it instead of the port's `soap:address`, when configuration says. */
  endpoint?: string;
  /** The WSDL operation, as the metrics name the call. */
  operation?: string;
  /** node-soap's last look at the envelope: the declared SOAP headers go in here (soap-schema.ts). */
  postProcess?: (xml: string) => string;
}

/** Sends an envelope. */
export type Send = (url: string, init: RequestInit, options: CallOptions) => Promise<Response>;

type Callback = (error: unknown, response?: unknown, body?: string) => void;

/** What node-soap's `Client` calls on its `httpClient` option. */
export function createSoapTransport(source: string, send: Send) {
  return {
    request(url: string, data: string, callback: Callback, headers: Record<string, string>, options?: Partial<CallOptions>) {
      send(options?.endpoint ?? url, { method: 'POST', headers: withSoapAccept(withSoapAction(headers, options)), body: data }, {
        read: options?.read === true, idempotent: options?.idempotent === true, context: options?.context, operation: options?.operation,
      })
        .then(async (response) => {
          const body = await response.text();
          // SOAP 1.1 and 1.2 report a Fault with HTTP 500 (1.2 also 400): node-soap reads the Fault.
          const isFault = (response.status === 500 || response.status === 400) && /<(\w+:)?Fault[\s>]/.test(body);
          if (!response.ok && !isFault) {
            callback(errorForStatus(source, response.status, response.headers));
            return;
          }
          callback(null, { status: response.status, headers: Object.fromEntries(response.headers), data: body }, body);
        })
        .catch((error: unknown) => callback(error));
    },
  };
}

/**
 * Private: the headers with the operation's SOAPAction where its binding's SOAP version puts it: the
 * `SOAPAction` header (1.1), or the `action` parameter of the content type (1.2).
 */
function withSoapAction(headers: Record<string, string>, options: Partial<CallOptions> | undefined): Record<string, string> {
  if (options?.soapAction === undefined || options.soapVersion === undefined) return headers;
  const { SOAPAction: _action, 'Content-Type': _type, ...rest } = headers;
  return options.soapVersion === '1.2'
    ? { ...rest, 'Content-Type': `application/soap+xml; charset=utf-8; action="${options.soapAction}"` }
    : { ...rest, 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${options.soapAction}"` };
}

/**
 * Private: the headers asking for the envelope the binding answers in (SOAP 1.2's type, or 1.1's
 * `text/xml`), instead of node-soap's browser-like Accept that puts `text/html` first.
 */
function withSoapAccept(headers: Record<string, string>): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'accept'));
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  return { ...rest, Accept: type.startsWith('application/soap+xml') ? 'application/soap+xml' : 'text/xml' };
}

// WS-Security's fault codes for credentials the upstream refused (OASIS WSS 1.1, §12).
const SECURITY_FAULTS = /(FailedAuthentication|InvalidSecurityToken|InvalidSecurity|FailedCheck)$/;

interface FaultBody {
  faultcode?: unknown;
  faultstring?: unknown;
  detail?: unknown;
  Code?: { Value?: unknown };
  Reason?: { Text?: unknown };
  Detail?: unknown;
}

/** A node-soap failure as the error the fields get: a Fault keeps its code, message and detail. */
export function faultToError(source: string, error: unknown): GraphQLError {
  const fault = (error as { root?: { Envelope?: { Body?: { Fault?: FaultBody } } } })?.root?.Envelope?.Body?.Fault;
  if (!fault) {
    return badResponse(source);
  }
  const text = (value: unknown): string =>
    typeof value === 'object' && value !== null && '$value' in value ? String((value as { $value: unknown }).$value) : String(value ?? '');
  const faultCode = text(fault.faultcode ?? fault.Code?.Value);
  const faultString = text(fault.faultstring ?? fault.Reason?.Text);
  if (SECURITY_FAULTS.test(faultCode)) {
    return upstreamError(source, 'UPSTREAM_AUTH_FAILED', `${source} refused Switchboard's WS-Security credentials.`, { faultCode });
  }
  const detail = fault.detail ?? fault.Detail;
  return upstreamError(source, 'SOAP_FAULT', `${source} answered with a SOAP Fault: ${faultString}`, {
    faultCode,
    ...(detail && typeof detail === 'object' ? { faultDetail: detail } : {}),
  });
}

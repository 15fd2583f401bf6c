/**
 * `@defer` and `@stream`: a client asks for the slow parts of a page later, and gets the rest at
 * once. Yoga's plugin adds the directives and their rules (no `@defer` on a mutation's or a
 * subscription's root fields, labels unique, `@stream` on lists only) and yoga answers in parts over
 * `multipart/mixed` (the proposal of 2022-08-24, which Apollo Client and urql read) and over SSE,
 * graphql-sse and graphql-ws. Every part is executed in the same pass as the first, so stitched
 * fields still batch (one call per source per level), and the query limits, the access rules and
 * trusted documents hold for the whole document, deferred parts included.
 *
 * Switchboard adds one rule: a request asking for parts whose client reads neither
 * `multipart/mixed` nor `text/event-stream` (its `Accept`) is refused before anything runs, 406
 * `NOT_ACCEPTABLE`, instead of running and then answering an empty 406.
 *
 *   plugins: [useIncrementalDelivery()]
 *   asksInParts(parse('{ product(id: "p") { name ... @defer { rating } } }'));   // true
 */
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** An `Accept` that lets a client read an answer in parts (none at all means anything). */
const READS_PARTS = /(^|,)\s*(multipart\/(mixed|\*)|text\/(event-stream|\*)|\*\/\*)\s*(;|,|$)/i;

export function useIncrementalDelivery(): Plugin {
  const deferStream = useDeferStream();
  return {
    onSchemaChange: deferStream.onSchemaChange!,
    // Its rules matter only where the directives are: a document without them is validated as before.
    onValidate(payload) {
      if (asksInParts(payload.params.documentAST)) return deferStream.onValidate!(payload);
      return undefined;
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (!asksInParts(args.document)) return;
      const accept = (args.contextValue as { request?: Request }).request?.headers.get('accept');
      if (!accept || READS_PARTS.test(accept)) return;
      setResultAndStopExecution({
        errors: [new GraphQLError('This operation answers in parts (@defer or @stream): send Accept: multipart/mixed or text/event-stream, or ask without them.', {
          extensions: { code: 'NOT_ACCEPTABLE', http: { status: 406 } },
        })],
      });
    },
  };
}

const inParts = new WeakMap<DocumentNode, boolean>();

/** Whether a document asks for parts of its answer later (`@defer`, `@stream`); known once per document. */
export function asksInParts(document: DocumentNode): boolean {
  let asks = inParts.get(document);
  if (asks === undefined) inParts.set(document, (asks = directiveIn(document)));
  return asks;
}

/** Private: whether `@defer` or `@stream` is in the document: its text says so at once where it has one. */
function directiveIn(document: DocumentNode): boolean {
  const text = document.loc?.source.body;
  if (text !== undefined && !/@(defer|stream)\b/.test(text)) return false;
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer' && node.name.value !== 'stream') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

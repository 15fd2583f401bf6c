/**
 * An upstream's answer that does not fit the contract, said as the provider's doing: the one value
 * is null (graphql-js bubbles it to the nearest nullable parent, as for any field error), and its
 * error says where and what, with `UPSTREAM_CONTRACT_MISMATCH` and the source: the one whose own
 * execution the value came out of (a stitched field's), else the one the root field is of:
 *
 *   The upstream's answer does not fit the contract at crm_accounts[1].created_at: "2019-13-45" is not a date-time (DateTime).
 *
 * The causes, as they reach the gateway's error mask, are known by their words (the only thing
 * every layer keeps): a leaf type's refusal (gateway/sources/leaf-checks.ts); graphql's own scalars
 * refusing a value ("Int cannot represent …"); and a null where a source's schema requires a value.
 * An error from a source's own execution (an added source, whose fields Mesh delegates) comes with
 * the chain of errors it was located through; one that graphql-jit made while completing the
 * gateway's own result comes alone.
 */
import { GraphQLError } from 'graphql';
import { sourceOfError } from '../errors.js';
import { isAnswerMismatchMessage } from '../sources/leaf-checks.js';

/** The source whose root field this is (`crm_accounts` → `crm`), where one is known. */
export type SourceOfField = (rootField: string) => string | undefined;

const NON_NULL = /^Cannot return null for non-nullable field \w+\.\w+\.$/;
const SCALAR_REFUSAL = /^(Int|Float|String|Boolean|ID) cannot represent .+/s;

/** The client's error for `error` when its cause is an answer that breaks the contract; otherwise undefined. */
export function contractMismatch(error: GraphQLError, sourceOf: SourceOfField): GraphQLError | undefined {
  if (!error.path || error.extensions?.code) return undefined;
  const chain = causes(error);
  const reason = reasonOf(chain);
  if (!reason) return undefined;
  // A non-null field's error is located at its parent, where the null bubbled to, by the layers
  // above the source; the innermost located error still has the field's own path.
  const path = chain.reduce<readonly (string | number)[]>((deepest, cause) => {
    const own = cause instanceof GraphQLError ? cause.path : undefined;
    return own && own.length > deepest.length && deepest.every((key, index) => own[index] === key) ? own : deepest;
  }, error.path);
  // The source whose execution the error came out of (a stitched field's), else the root field's.
  const source = chain.map(sourceOfError).find(Boolean) ?? sourceOf(String(path[0]));
  return new GraphQLError(`The upstream's answer does not fit the contract at ${printPath(path)}: ${reason}`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path,
    extensions: { code: 'UPSTREAM_CONTRACT_MISMATCH', ...(source ? { source } : {}) },
  });
}

/** Private: the error and each of its causes, outermost first. */
function causes(error: Error): Error[] {
  const chain = [error];
  for (let cause = (error as GraphQLError).originalError; cause; cause = (cause as GraphQLError).originalError) chain.push(cause);
  return chain;
}

/** Private: what is wrong with the value, when the innermost cause says the answer broke the contract. */
function reasonOf(chain: Error[]): string | undefined {
  const cause = chain[chain.length - 1]!;
  if (chain.some((error) => (error as GraphQLError).extensions?.code)) return undefined;
  if (isAnswerMismatchMessage(cause.message)) return cause.message;
  if (SCALAR_REFUSAL.test(cause.message)) return cause.message.endsWith('.') ? cause.message : `${cause.message}.`;
  // A null the gateway's own resolvers returned is the gateway's bug, not the provider's: only one
  // from inside a source's execution (a chain of located errors) is the answer's.
  if (NON_NULL.test(cause.message) && chain.length > 1) return 'there is no value, and the contract requires one.';
  return undefined;
}

/** Private: a response path as a client writes it: `crm_accounts[1].created_at`. */
function printPath(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

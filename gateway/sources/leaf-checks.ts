/**
 * What an upstream's leaf value is, when it is not what its type says. Mesh's handlers give a
 * contract's formats and enums types of their own (`format: date-time` is graphql-scalars'
 * `DateTime`, `int64` its `BigInt`, `uri` its `URL`), whose `serialize` refuses a value that does not
 * fit with whatever the library throws: a TypeError "Invalid URL", a SyntaxError "Cannot convert
 * many to a BigInt". Every GraphQL server masks those as a crash (`Unexpected error.`). Here each
 * such type refuses in words that say what the value is not, and the gateway's error mask
 * (gateway/plugins/contract-mismatch.ts) recognises them and names the path and the source:
 *
 *   checkLeafValues(source.schema);
 *   // DateTime.serialize('2019-13-45') throws: "2019-13-45" is not a date-time (DateTime).
 *
 * The types are changed in place: Mesh executes a source's schema it holds itself. graphql's own
 * scalars (`Int`, `String`, …) are shared by every schema in the process and are left as they are;
 * their refusals are GraphQL errors in words the error shape reads.
 */
import { GraphQLEnumType, GraphQLError, isEnumType, isScalarType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';

/** What a value of each of the handlers' usual scalars is, in a sentence: `"x" is not a date-time`. */
const NOUNS: Readonly<Record<string, string>> = {
  DateTime: 'a date-time',
  Date: 'a date',
  Time: 'a time',
  Timestamp: 'a Unix time',
  URL: 'a URI',
  UriReference: 'a URI reference',
  BigInt: 'a 64-bit integer',
  Byte: 'base64-encoded bytes',
  EmailAddress: 'an email address',
  UUID: 'a UUID',
  IPv4: 'an IPv4 address',
  IPv6: 'an IPv6 address',
  Hostname: 'a host name',
};

/**
 * How a refusal reads. It is recognised by its words, because its words are all that reach the
 * gateway's error mask: Mesh's delegation rebuilds a source's errors from their messages, and
 * graphql-jit keeps only the message of a leaf's refusal.
 */
const MISMATCH_WORDS = /^.+ is not (?:one of the values \w+ lists \(.*\)|.+ \(\w+\))\.$/s;

/** Whether a message is a leaf's refusal of an upstream's value, made here. */
export function isAnswerMismatchMessage(message: string): boolean {
  return MISMATCH_WORDS.test(message);
}

/** Marks a type whose serialize is already checked: sources may share a type (graphql-scalars' own). */
const CHECKED = Symbol('switchboard.leafChecked');

/** Makes every leaf type of `schema` (but graphql's own scalars) refuse a value in words that say what it is not. */
export function checkLeafValues(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type) || !(isScalarType(type) || isEnumType(type))) continue;
    const leaf = type as typeof type & { [CHECKED]?: true };
    if (leaf[CHECKED]) continue;
    const serialize = type.serialize.bind(type);
    const reason = isEnumType(type) ? enumReason(type) : (value: unknown) => `${shown(value)} is not ${NOUNS[type.name] ?? 'a valid value'} (${type.name}).`;
    leaf.serialize = (value: unknown) => {
      try {
        return serialize(value);
      } catch {
        throw new GraphQLError(reason(value));
      }
    };
    leaf[CHECKED] = true;
  }
}

/** Private: what an enum's refusal says: the value and the ones the contract lists. */
function enumReason(type: GraphQLEnumType): (value: unknown) => string {
  const listed = type.getValues().map((value) => String(value.value)).join(', ');
  return (value) => `${shown(value)} is not one of the values ${type.name} lists (${listed}).`;
}

/** The longest value a message quotes whole; a longer one is cut, so that no answer carries a whole document back. */
const SHOWN_LENGTH = 40;

/** Private: a value as a message quotes it: `"2019-13-45"`, `12`, `an object`. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}…` : text;
}

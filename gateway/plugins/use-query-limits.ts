/**
 * What one operation may ask, checked before anything runs: its size in tokens (while parsing), its
 * depth, aliases and directives (graphql-armor's rules), its root fields, and its cost. Every refusal
 * is HTTP 400 with `extensions.code: "QUERY_TOO_COMPLEX"`, the limit broken (`limit`), its `max` and
 * what the operation had (`found`).
 *
 * The cost counts every field once per item its parents' lists hold: a list field counts as many
 * items as its `first` asks (variables included), an unbounded list as `ASSUMED_LIST_SIZE`. It is
 * checked when the operation is run, once its variables are known.
 *
 *   plugins: [useQueryLimits({ maxDepth: 10, maxAliases: 15, maxDirectives: 20, maxTokens: 1000, maxRootFields: 10, maxCost: 20_000 })]
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type FieldNode,
  type ValidationContext,
} from 'graphql';
import { getOperationAST, isCompositeType, type GraphQLCompositeType } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryLimits {
  /** The largest `first` a list field may be asked (a page). */
  maxPageSize: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxRootFields: number;
  maxCost: number;
}

/** How many items a list field without `first` is counted as. */
export const ASSUMED_LIST_SIZE = 10;

export function useQueryLimits(limits: QueryLimits): Plugin {
  const tooComplex = (limit: string, max: number, found: number | undefined, message: string) =>
    new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, ...(found === undefined ? {} : { found }), http: { status: 400 } } });
  // graphql-armor's rules report through these, instead of throwing their "Syntax Error: …".
  const report = (limit: string, max: number, what: string) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => {
      const found = Number(/found (\d+)/.exec(error.message)?.[1]);
      const refusal = tooComplex(limit, max, Number.isNaN(found) ? undefined : found, `The operation has ${Number.isNaN(found) ? `more than ${max}` : found} ${what}; at most ${max} are allowed.`);
      if (context) context.reportError(refusal);
      else throw refusal;
    }],
  });
  const tokens = maxTokensPlugin({ n: limits.maxTokens, ...report('tokens', limits.maxTokens, 'tokens') }) as Plugin;
  return {
    onParse: tokens.onParse,
    onValidate({ addValidationRule }) {
      addValidationRule(maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report('depth', limits.maxDepth, 'levels of fields') }));
      addValidationRule(maxAliasesRule({ n: limits.maxAliases, ...report('aliases', limits.maxAliases, 'aliases') }));
      addValidationRule(maxDirectivesRule({ n: limits.maxDirectives, ...report('directives', limits.maxDirectives, 'directives') }));
      addValidationRule((context: ValidationContext) => ({
        OperationDefinition(operation: OperationDefinitionNode) {
          const found = operation.selectionSet.selections.length;
          if (found > limits.maxRootFields) {
            context.reportError(tooComplex('rootFields', limits.maxRootFields, found, `The operation asks ${found} root fields; at most ${limits.maxRootFields} are allowed.`));
          }
        },
      }));
    },
    // Subscriptions are costed like queries: their selection runs once per event.
    onExecute: checkCost,
    onSubscribe: (payload) => checkCost(payload as never),
  };

  function checkCost({ args, setResultAndStopExecution }: Parameters<NonNullable<Plugin['onExecute']>>[0]): void {
    const operation = getOperationAST(args.document, args.operationName);
    const root = operation && args.schema.getRootType(operation.operation);
    if (!operation || !root) return;
    const fragments = Object.fromEntries(args.document.definitions
      .filter((definition: DefinitionNode): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment: FragmentDefinitionNode) => [fragment.name.value, fragment]));
    let cost: number;
    try {
      cost = costOf(args.schema, root, operation.selectionSet, fragments, args.variableValues ?? {}, limits);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      setResultAndStopExecution({ data: null, errors: [error] });
      return;
    }
    if (cost > limits.maxCost) {
      setResultAndStopExecution({
        errors: [tooComplex('cost', limits.maxCost, cost, `The operation would cost ${cost}, more than the ${limits.maxCost} allowed: ask for fewer items (first) or fewer nested lists.`)],
      });
    }
  }
}

/**
 * Private: the cost of a selection set, each field counting once per item of the lists above it.
 * Stops counting past `stopAt` (the answer is then "more than the limit" and exact enough).
 */
function costOf(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: Pick<QueryLimits, 'maxCost' | 'maxPageSize'>,
  seen: ReadonlySet<string> = new Set(),
  path: readonly string[] = [],
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (total > limits.maxCost) break;
    if (selection.kind === Kind.FIELD) {
      // Introspection (GraphiQL's schema query) is the schema's own size, not the upstreams' work.
      if (selection.name.value.startsWith('__')) continue;
      const field = 'getFields' in type ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>)[selection.name.value] : undefined;
      if (!field) continue;
      const fieldPath = [...path, selection.alias?.value ?? selection.name.value];
      const items = isListType(getNullableType(field.type)) ? listSize(field, selection, variables, limits.maxPageSize, fieldPath) : 1;
      const named = getNamedType(field.type);
      const inner = selection.selectionSet && isCompositeType(named)
        ? costOf(schema, named, selection.selectionSet, fragments, variables, limits, seen, fieldPath)
        : 0;
      total += items * (1 + inner);
      continue;
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
    // A fragment spread inside itself is a cycle that validation refuses; it costs nothing here.
    if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
    const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
    const nextSeen = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen;
    total += costOf(schema, isCompositeType(condition) ? condition : type, fragment.selectionSet, fragments, variables, limits, nextSeen, path);
  }
  return total;
}

/**
 * Private: how many items a list field asks for: its `first` (or that argument's default), else the
 * assumed size. A `first` out of 1..maxPageSize is the client's error, named as such.
 */
function listSize(field: GraphQLField<unknown, unknown>, selection: FieldNode, variables: Record<string, unknown>, maxPageSize: number, path: readonly string[]): number {
  const first = selection.arguments?.find((arg) => arg.name.value === 'first')?.value;
  const value = first?.kind === Kind.INT
    ? Number(first.value)
    : first?.kind === Kind.VARIABLE
      ? variables[first.name.value]
      : field.args.find((arg) => arg.name === 'first')?.defaultValue;
  if (typeof value !== 'number') return ASSUMED_LIST_SIZE;
  if (!Number.isInteger(value) || value < 1 || value > maxPageSize) {
    throw new GraphQLError(`first must be between 1 and ${maxPageSize}, but got: ${value}.`, {
      nodes: [selection],
      path,
      extensions: { code: 'BAD_USER_INPUT', argument: 'first', http: { status: 400 } },
    });
  }
  return value;
}

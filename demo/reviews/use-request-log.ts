/**
 * A yoga plugin that fills in the request log entry that `startHttpService` passes in the server
 * context: the operation's root fields, and as keys the ids of one list argument of them
 * (`productIds`), whether written inline or passed as a variable.
 *
 *   createYoga<RequestLogContext>({ schema, plugins: [useRequestLog({ keyArgument: 'productIds' })] });
 *   yoga.handle(req, res, { logEntry: entry });
 */
import {
  getOperationAST, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestLogEntry } from '../world/request-log.js';

export interface RequestLogContext {
  logEntry?: RequestLogEntry;
}

/*
 * The keys are read from the document's AST and the raw variables, not with graphql-js's
 * `getArgumentValues`: that checks types with `instanceof`, which fails whenever the schema was built
 * by another copy of graphql-js than the one imported here (vitest loads `index.mjs` for this file
 * while yoga gets `index.js`). The document has passed validation, so the shapes are known.
 */
export function useRequestLog(options: { keyArgument: string }): Plugin<RequestLogContext> {
  return {
    onExecute({ args }) {
      const entry = (args.contextValue as RequestLogContext).logEntry;
      const operation = getOperationAST(args.document, args.operationName);
      if (!entry || !operation) return;
      const fields = rootFields(operation.selectionSet, fragmentsOf(args.document));
      const variables = variablesOf(operation, (args.variableValues ?? {}) as Record<string, unknown>);
      entry.operation = fields.map((field) => field.name.value).join(',');
      entry.keys = fields.flatMap((field) => {
        const argument = field.arguments?.find((candidate) => candidate.name.value === options.keyArgument);
        return argument ? idsOf(argument.value, variables) : [];
      });
    },
  };
}

/** Private: the fields at the root of an operation, through its fragments. */
function rootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? rootFields(fragment.selectionSet, fragments) : [];
  });
}

/** Private: the document's fragment definitions by name. */
function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(document.definitions
    .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
    .map((definition) => [definition.name.value, definition]));
}

/** Private: the request's variables, with the operation's defaults for those it left out. */
function variablesOf(operation: OperationDefinitionNode, given: Record<string, unknown>): Record<string, unknown> {
  const variables = { ...given };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (!(name in variables) && definition.defaultValue) variables[name] = idsOf(definition.defaultValue, {});
  }
  return variables;
}

/** Private: the ids of an argument value; one id stands for a list of one, as GraphQL input coercion says. */
function idsOf(node: ValueNode, variables: Record<string, unknown>): string[] {
  if (node.kind === Kind.VARIABLE) {
    return [variables[node.name.value]].flat().filter((id) => typeof id === 'string' || typeof id === 'number').map(String);
  }
  if (node.kind === Kind.LIST) return node.values.flatMap((value) => idsOf(value, variables));
  return node.kind === Kind.STRING || node.kind === Kind.INT ? [node.value] : [];
}

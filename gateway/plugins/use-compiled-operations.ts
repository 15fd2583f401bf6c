/**
 * Queries and mutations run as JavaScript that graphql-jit compiles once per query shape
 * (literal-arguments.ts): a document that differs from another only in the values written into it,
 * or in its operation name, runs the other's compiled code with its values as variables. Compiling
 * costs about one execution through graphql-js, and a compiled W1 answers in a fraction of the
 * time, so every shape is compiled; the last `shapes` of them are kept (256 by default), which
 * bounds the memory that distinct documents can take: compiled code holds some 250 KB of heap a shape.
 *
 *   plugins: [useCompiledOperations()]
 *
 * Not subscriptions: graphql-jit 0.8.7 hands a subscribe resolver the operation's variables instead
 * of the field's arguments, so `paymentEvents(after: "evt_1")` would lose its `after`. Nor a document
 * of several operations: graphql-js executes those.
 */
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { shapeOf, type Shape } from './literal-arguments.js';

type Compiled = Pick<CompiledQuery, 'query' | 'stringify'>;

export function useCompiledOperations({ shapes = 256 }: { shapes?: number } = {}): Plugin {
  // Per client document (yoga keeps one parsed document per text while it is in its cache).
  const shapeByDocument = new WeakMap<DocumentNode, Shape | null>();
  // Per shape text, the last `shapes` used: the first document of a shape stands for all of them.
  const compiledByShape = new Map<string, { document: DocumentNode; compiled: Compiled }>();

  const compiledFor = (args: ExecutionArgs, shape: Shape) => {
    let entry = compiledByShape.get(shape.text);
    if (entry) {
      compiledByShape.delete(shape.text);
    } else {
      const result = compileQuery(args.schema, shape.document);
      const compiled: Compiled = isCompiledQuery(result) ? result : { query: () => result, stringify: JSON.stringify };
      entry = { document: shape.document, compiled };
      if (compiledByShape.size >= shapes) compiledByShape.delete(compiledByShape.keys().next().value!);
    }
    compiledByShape.set(shape.text, entry);
    return entry;
  };

  const execute = (args: ExecutionArgs) => {
    const shape = shapeByDocument.get(args.document)!;
    const { document, compiled } = compiledFor(args, shape);
    const variables = { ...(args.variableValues ?? {}), ...shape.values };
    const done = (result: ExecutionResult) => {
      // Errors located in the document the shape was compiled from: located again in the client's own.
      const errors = document === shape.document || !result.errors ? result.errors : result.errors.map((error) => locatedIn(args.document, error));
      return Object.assign(errors === result.errors ? result : { ...result, errors }, { stringify: compiled.stringify });
    };
    const result = compiled.query(args.rootValue, args.contextValue, variables) as ExecutionResult | PromiseLike<ExecutionResult>;
    return 'then' in result && typeof result.then === 'function' ? Promise.resolve(result).then(done) : done(result as ExecutionResult);
  };

  return {
    onExecute({ args, setExecuteFn }) {
      let shape = shapeByDocument.get(args.document);
      if (shape === undefined) shapeByDocument.set(args.document, (shape = shapeOf(args.schema, args.document) ?? null));
      if (shape) setExecuteFn(execute as unknown as Parameters<typeof setExecuteFn>[0]);
    },
  };
}

/**
 * Private: the error at the field of `document` its path names, or the error as it is when the path
 * leads nowhere there (a path always leads somewhere in a document of the same shape).
 */
function locatedIn(document: DocumentNode, error: GraphQLError): GraphQLError {
  if (!error.path || !error.nodes?.length) return error;
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  let field: FieldNode | undefined;
  let selections: SelectionSetNode | undefined = operation?.selectionSet;
  for (const key of error.path) {
    if (typeof key === 'number') continue;
    field = selections && fieldNamed(selections, String(key), fragments);
    if (!field) return error;
    selections = field.selectionSet;
  }
  if (!field) return error;
  return new GraphQLError(error.message, { nodes: field, path: error.path, originalError: error.originalError, extensions: error.extensions });
}

/** Private: the field answering `key` in a selection set, looked for through its fragments too. */
function fieldNamed(selections: SelectionSetNode, key: string, fragments: Map<string, FragmentDefinitionNode>): FieldNode | undefined {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD && (selection.alias ?? selection.name).value === key) return selection;
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet
      : selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)?.selectionSet : undefined;
    const found = inner && fieldNamed(inner, key, fragments);
    if (found) return found;
  }
  return undefined;
}

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
 * of several operations, nor one asking for parts later (`@defer`, `@stream`, which graphql-jit
 * ignores): yoga's executor runs those.
 */
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { shapeOf, type Shape } from './literal-arguments.js';
import { asksInParts } from './use-incremental-delivery.js';

type Compiled = Pick<CompiledQuery, 'query' | 'stringify'>;

export function useCompiledOperations({ shapes = 256 }: { shapes?: number } = {}): Plugin {
  // Per client document (yoga keeps one parsed document per text while it is in its cache).
  const shapeByDocument = new WeakMap<DocumentNode, Shape | null>();
  // Per shape text, the last `shapes` used (a Map keeps them in the order of their last use): the
  // first document of a shape stands for all of them. For one schema: another one starts anew.
  const compiledByShape = new Map<string, Compiled>();
  let compiledFor: GraphQLSchema | undefined;

  const compiled = (args: ExecutionArgs, shape: Shape): Compiled => {
    if (compiledFor !== args.schema) {
      compiledByShape.clear();
      compiledFor = args.schema;
    }
    let entry = compiledByShape.get(shape.text);
    if (entry) {
      compiledByShape.delete(shape.text);
    } else {
      const result = compileQuery(args.schema, shape.document);
      entry = isCompiledQuery(result) ? result : { query: () => result, stringify: JSON.stringify };
      if (compiledByShape.size >= shapes) compiledByShape.delete(compiledByShape.keys().next().value!);
    }
    compiledByShape.set(shape.text, entry);
    return entry;
  };

  const execute = (args: ExecutionArgs) => {
    const shape = shapeByDocument.get(args.document)!;
    const { query, stringify } = compiled(args, shape);
    const variables = { ...(args.variableValues ?? {}), ...shape.values };
    // graphql-jit's errors carry their path and no location, so a shape's errors fit each of its documents.
    const done = (result: ExecutionResult) => Object.assign(result, { stringify });
    const result = query(args.rootValue, args.contextValue, variables) as ExecutionResult | PromiseLike<ExecutionResult>;
    return 'then' in result && typeof result.then === 'function' ? Promise.resolve(result).then(done) : done(result as ExecutionResult);
  };

  return {
    onExecute({ args, setExecuteFn }) {
      let shape = shapeByDocument.get(args.document);
      if (shape === undefined) shapeByDocument.set(args.document, (shape = (!asksInParts(args.document) && shapeOf(args.schema, args.document)) || null));
      if (shape) setExecuteFn(execute as unknown as Parameters<typeof setExecuteFn>[0]);
    },
  };
}

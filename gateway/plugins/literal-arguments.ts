/**
 * A query's shape: the document with every literal argument value taken out into a variable, and
 * without its operation name. Clients that write values into the document (`product(id: "p-7")`
 * instead of `product(id: $id)`) send a new document for every product; their shape is one, so it
 * is compiled once (use-compiled-operations.ts). The values go along as the variables they became.
 *
 *   const shape = shapeOf(schema, parse('query Page7 { product(id: "p-7") { name } }'));
 *   shape.text;    // 'query ($literal0: ID!) {\n  product(id: $literal0) {\n    name\n  }\n}'
 *   shape.values;  // { literal0: 'p-7' }
 *
 * Literals in directives (`@include(if: true)`) and nulls stay where they are. A document with more
 * than one operation, or a subscription, has no shape here (undefined).
 */
import {
  Kind, OperationTypeNode, parseType, print, TypeInfo, valueFromASTUntyped, visit, visitWithTypeInfo,
  type DocumentNode, type GraphQLSchema, type OperationDefinitionNode, type TypeNode, type ValueNode, type VariableDefinitionNode,
} from 'graphql';

export interface Shape {
  /** The shape's text: the same for every document that differs only in literal values and name. */
  text: string;
  document: DocumentNode;
  /** The values taken out, by the name of the variable each became. */
  values: Record<string, unknown>;
}

export function shapeOf(schema: GraphQLSchema, document: DocumentNode): Shape | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.operation === OperationTypeNode.SUBSCRIPTION) return undefined;
  const taken = new Set(operation.variableDefinitions?.map((definition) => definition.variable.name.value));
  const values: Record<string, unknown> = {};
  const added: VariableDefinitionNode[] = [];
  const typeInfo = new TypeInfo(schema);
  let inDirective = 0;
  const hoisted = visit(document, visitWithTypeInfo(typeInfo, {
    Directive: { enter: () => void (inDirective += 1), leave: () => void (inDirective -= 1) },
    Argument(node) {
      const argument = typeInfo.getArgument();
      if (inDirective > 0 || !argument || node.value.kind === Kind.NULL || holdsVariable(node.value)) return undefined;
      let name = `literal${added.length}`;
      while (taken.has(name)) name = `_${name}`;
      values[name] = valueFromASTUntyped(node.value);
      const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } } as const;
      added.push({ kind: Kind.VARIABLE_DEFINITION, variable, type: typeNode(String(argument.type)) });
      return { ...node, value: variable };
    },
  }));
  const definitions = hoisted.definitions.map((definition) => (definition.kind === Kind.OPERATION_DEFINITION
    ? { ...definition, name: undefined, variableDefinitions: [...(definition.variableDefinitions ?? []), ...added] }
    : definition));
  const shape = { ...hoisted, definitions };
  return { text: print(shape), document: shape, values };
}

/** Private: whether a value is or holds a variable (`[1, $two]`): such a value stays as written. */
function holdsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(holdsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => holdsVariable(field.value));
  return false;
}

const typeNodes = new Map<string, TypeNode>();

/** Private: the type node of a type, parsed once per type (the schema's types are few). */
function typeNode(type: string): TypeNode {
  let node = typeNodes.get(type);
  if (!node) typeNodes.set(type, (node = parseType(type, { noLocation: true })));
  return node;
}

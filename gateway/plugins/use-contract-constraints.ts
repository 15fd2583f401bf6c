/**
 * What a source's contract requires of a client's values, said as the client's mistake. Mesh's
 * OpenAPI handler turns a constrained string (`pattern`, `minLength`, `maxLength`) into a scalar of
 * its own (`@regexp`, `@length`) whose check throws a plain Error, which every GraphQL server masks
 * as a crash: `Unexpected error.`. Here those scalars check the same constraints and say what is
 * wrong, with `BAD_USER_INPUT`:
 *
 *   { fx_rate(currency: "eur") }
 *   // Argument "currency" of "fx_rate": "eur" does not match the contract's pattern ^[A-Z]{3}$.
 *   query ($c: FxCurrency!) { fx_rate(currency: $c) }   with { "c": "eur" }
 *   // Variable "$c" got invalid value "eur"; it does not match the contract's pattern ^[A-Z]{3}$.
 *
 * A value written in the document is checked by a validation rule, which knows the argument it is
 * given to; a variable's value by the scalar itself, as the variables are read. What an upstream
 * answers is passed on as it is: the constraint is on what the gateway sends.
 */
import {
  GraphQLError, GraphQLScalarType, getNamedType, Kind, type ASTNode, type ASTVisitor, type GraphQLSchema, type ValidationContext, type ValueNode,
} from 'graphql';
import { getDirectiveExtensions, MapperKind, mapSchema } from '@graphql-tools/utils';
import type { Plugin } from 'graphql-yoga';

interface Constraint {
  pattern?: RegExp;
  minLength?: number;
  maxLength?: number;
}

/** Where a checked scalar keeps its constraint (graphql-js copies a type's extensions by string keys only). */
const CONSTRAINED = 'switchboardContractConstraint';

/** The schema with each constrained scalar's check saying what is wrong (the rule below reads them). */
export function withContractConstraints(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.SCALAR_TYPE]: (type) => {
      const constraint = constraintOf(type, schema);
      if (!constraint) return type;
      const check = (value: unknown) => {
        const problem = problemOf(value, constraint);
        if (problem) throw new GraphQLError(`it ${problem}.`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        return value;
      };
      return new GraphQLScalarType({
        ...type.toConfig(),
        serialize: (value) => value,
        parseValue: check,
        // A value in the document was checked by the rule, which names its argument.
        parseLiteral: (node) => ('value' in node ? node.value : undefined),
        extensions: { ...type.extensions, [CONSTRAINED]: constraint },
      });
    },
  });
}

/**
 * Adds the validation rule that checks the values written in a document; and gives a variable's error
 * the scalar's reason, which graphql-jit, coercing variables itself, replaces with `Expected type X.`.
 */
export function useContractConstraints(): Plugin {
  return {
    onValidate: ({ addValidationRule }) => addValidationRule(contractConstraintsRule),
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors?.some(isJitVariableError)) return;
        setResult({ ...result, errors: result.errors.map((error) => (isJitVariableError(error) ? withReason(error) : error)) });
      },
    }),
  };
}

const JIT_VARIABLE_ERROR = /^(Variable "\$\w+" got invalid value .*; )Expected type \w+\.$/s;

/** Private: a variable's error from graphql-jit whose cause is a contract constraint's own error. */
function isJitVariableError(error: GraphQLError): boolean {
  return !error.path && error.originalError instanceof GraphQLError && error.originalError.extensions?.code === 'BAD_USER_INPUT' && JIT_VARIABLE_ERROR.test(error.message);
}

function withReason(error: GraphQLError): GraphQLError {
  const reason = error.originalError as GraphQLError;
  return new GraphQLError(`${JIT_VARIABLE_ERROR.exec(error.message)![1]}${reason.message}`, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: reason.extensions });
}

function contractConstraintsRule(context: ValidationContext): ASTVisitor {
  const visit = (node: ValueNode, ancestors: readonly (ASTNode | readonly ASTNode[])[]) => {
    const type = getNamedType(context.getInputType());
    const constraint = (type?.extensions as Record<string, Constraint | undefined> | undefined)?.[CONSTRAINED];
    if (!constraint || !('value' in node)) return;
    const problem = problemOf(node.value, constraint);
    if (!problem) return;
    context.reportError(new GraphQLError(`${placeOf(context, ancestors)}: ${JSON.stringify(node.value)} ${problem}.`, {
      nodes: node,
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    }));
  };
  return {
    StringValue: (node, _key, parent, _path, ancestors) => visit(node, [...ancestors, parent!]),
    IntValue: (node, _key, parent, _path, ancestors) => visit(node, [...ancestors, parent!]),
    FloatValue: (node, _key, parent, _path, ancestors) => visit(node, [...ancestors, parent!]),
  };
}

/** Private: `Argument "input" of "pay_createCharge", at "currency"`: where in the document the value is. */
function placeOf(context: ValidationContext, ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const argument = context.getArgument()?.name;
  const field = context.getFieldDef()?.name ?? context.getDirective()?.name;
  const within = ancestors.flatMap((ancestor) => ('kind' in ancestor && ancestor.kind === Kind.OBJECT_FIELD ? [ancestor.name.value] : []));
  return `Argument "${argument}" of "${field}"${within.length > 0 ? `, at "${within.join('.')}"` : ''}`;
}

/** Private: what is wrong with `value`, or undefined when it meets the constraint. */
function problemOf(value: unknown, constraint: Constraint): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  const length = [...text].length;
  const characters = `${length} character${length === 1 ? '' : 's'}`;
  if (constraint.minLength !== undefined && length < constraint.minLength) return `is ${characters} long, and the contract asks for at least ${constraint.minLength}`;
  if (constraint.maxLength !== undefined && length > constraint.maxLength) return `is ${characters} long, and the contract allows at most ${constraint.maxLength}`;
  if (constraint.pattern && !constraint.pattern.test(text)) return `does not match the contract's pattern ${constraint.pattern.source}`;
  return undefined;
}

/** Private: the constraints Mesh's OpenAPI handler put on a scalar, as `@regexp` and `@length`. */
function constraintOf(type: GraphQLScalarType, schema: GraphQLSchema): Constraint | undefined {
  const directives = getDirectiveExtensions<{ regexp: { pattern?: string }; length: { min?: number; max?: number } }>(type, schema);
  const pattern = directives.regexp?.[0]?.pattern;
  const length = directives.length?.[0];
  if (pattern === undefined && !length) return undefined;
  return {
    // A contract's pattern is ECMA-262 by the JSON Schema rules, unanchored: it may match anywhere.
    pattern: pattern === undefined ? undefined : compiled(pattern),
    minLength: length?.min ?? undefined,
    maxLength: length?.max ?? undefined,
  };
}

/** Private: the pattern compiled, with the `u` flag where it reads as Unicode; one that compiles in neither way checks nothing. */
function compiled(pattern: string): RegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // the next reading, or none
    }
  }
  return undefined;
}

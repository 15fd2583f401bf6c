/**
 * Who may read and do what, field by field, as the composition's SDL declares it with `@owner`
 * (gateway/compose/directives.graphql): a field so marked needs a token whose subject owns what it
 * reads or acts on, or one with the staff scope. Where the owner's id is:
 * - `ANSWER`: in what the field answers (each item of a list): an order is its customer's;
 * - `PARENT`: in the object the field is read on: a customer's email is that customer's;
 * - `ARGUMENTS`: in the field's arguments: an order placed for a customer.
 * On a type (`extend type Customer @owner(…, fields: ["email"])`) it guards the fields listed, so a
 * source's own fields can be guarded too. Everything else is public.
 *
 * A refused field gets `UNAUTHENTICATED` (no token) or `FORBIDDEN` (another owner's), and only that
 * field fails: the rest of the query is answered (use-auth.ts answers 401 when nothing is).
 *
 *   useSchema(withAccessRules(toPublicSchema(mesh.schema, resolvers), readAccessRules(mesh.schema)))
 */
import { defaultFieldResolver, GraphQLError, isObjectType, valueFromASTUntyped, type ConstDirectiveNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { valueAt } from '../../../lib/paths.js';
import type { Viewer } from './tokens.js';

export interface ViewerContext {
  /** Who the request's token speaks for; null without a token. */
  viewer?: Viewer | null;
}

/** Throws when the field may not be read; a promise only where it must ask an upstream first. */
type Check = (parent: any, args: any, context: ViewerContext) => void | Promise<void>;

/**
 * A field's rule: `before` checks what the field is asked (its parent, its arguments), `after` what it
 * answers (an order is the customer's whose id it carries) and replaces a refused answer by the error.
 */
export interface FieldRule {
  before?: Check;
  after?: (value: any, context: ViewerContext) => void;
}

export type AccessRules = Record<string, Record<string, FieldRule>>;

export const OWNER_DIRECTIVE = 'owner';

/** The `@owner` rules of a schema (the composition, before it is made public), by type and field. */
export function readAccessRules(schema: GraphQLSchema): AccessRules {
  const rules: AccessRules = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    for (const node of [type.astNode, ...type.extensionASTNodes].flatMap((at) => at?.directives ?? []).filter(isOwner)) {
      const given = argumentsOf(node);
      const guarded = (given.fields as string[] | undefined) ?? Object.keys(fields);
      for (const fieldName of guarded) {
        if (!fields[fieldName]) throw new GraphQLError(`${type.name}: @owner guards the field ${fieldName}, which ${type.name} does not have.`);
        (rules[type.name] ??= {})[fieldName] = ownerRule(given);
      }
    }
    for (const field of Object.values(fields)) {
      const node = field.astNode?.directives?.find(isOwner);
      if (node) (rules[type.name] ??= {})[field.name] = ownerRule(argumentsOf(node));
    }
  }
  return rules;
}

export function withAccessRules(schema: GraphQLSchema, rules: AccessRules): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const rule = rules[typeName]?.[fieldName];
      if (!rule) return field;
      if (typeName === schema.getSubscriptionType()?.name) {
        const subscribe = field.subscribe!;
        return { ...field, subscribe: async (parent, args, context, info) => {
          await rule.before?.(parent, args, context);
          return subscribe(parent, args, context, info);
        } };
      }
      const resolve: GraphQLFieldResolver<unknown, any> = field.resolve ?? defaultFieldResolver;
      const answer = (parent: unknown, args: any, context: any, info: any) => {
        const value = resolve(parent, args, context, info);
        if (!rule.after) return value;
        return value instanceof Promise ? value.then((resolved) => (rule.after!(resolved, context), resolved)) : (rule.after(value, context), value);
      };
      return { ...field, resolve: (parent, args, context, info) => {
        const checked = rule.before?.(parent, args, context);
        return checked instanceof Promise ? checked.then(() => answer(parent, args, context, info)) : answer(parent, args, context, info);
      } };
    },
  });
}

/** A token is needed: UNAUTHENTICATED without one. */
export function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) {
    throw new GraphQLError('This field needs a bearer token: send `Authorization: Bearer <token>`.', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  return viewer;
}

/** The token's subject must be `owner`, unless it has the staff scope: FORBIDDEN otherwise. */
export function requireOwner(viewer: Viewer | null | undefined, owner: unknown, noun: string): void {
  const known = requireViewer(viewer);
  if (!known.staff && known.subject !== String(owner)) throw forbidden(`This token may not read or act for another ${noun}.`);
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Private: one `@owner` as a rule. */
function ownerRule(given: Record<string, unknown>): FieldRule {
  const path = String(given.path);
  const noun = String(given.noun ?? 'owner');
  switch (given.in) {
    case 'ANSWER':
      return {
        before: (_, __, { viewer }) => void requireViewer(viewer),
        after: (value, { viewer }) => {
          for (const item of Array.isArray(value) ? value : [value]) if (item !== null && item !== undefined) requireOwner(viewer, valueAt(item, path), noun);
        },
      };
    case 'PARENT':
      return { before: (parent, _, { viewer }) => requireOwner(viewer, valueAt(parent, path), noun) };
    default:
      return { before: (_, args, { viewer }) => requireOwner(viewer, valueAt(args, path), noun) };
  }
}

function isOwner(node: ConstDirectiveNode): boolean {
  return node.name.value === OWNER_DIRECTIVE;
}

function argumentsOf(node: ConstDirectiveNode): Record<string, unknown> {
  return Object.fromEntries((node.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]));
}

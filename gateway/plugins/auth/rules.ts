/**
 * Who may read and do what, field by field. Catalog data (products, stock, reviews, a reviewer's
 * public profile: id, name, country) is public. A customer's personal data (email, since when,
 * orders), orders and the payments reached through them need a token whose subject is that customer,
 * or one with the staff scope. `placeOrder` needs a token, for its own customer. Payment events need
 * a token and, without the staff scope, the id of one of the subject's orders.
 *
 * A refused field gets `UNAUTHENTICATED` (no token) or `FORBIDDEN` (another customer's), and only that
 * field fails: the rest of the query is answered (use-auth.ts answers 401 when nothing is).
 *
 *   useSchema(withAccessRules(toPublicSchema(mesh.schema, resolvers)))
 */
import { defaultFieldResolver, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { loadersFor, type SourcesContext } from '../../../resolvers/loaders.js';
import type { Viewer } from './tokens.js';

export interface ViewerContext {
  /** Who the request's token speaks for; null without a token. */
  viewer?: Viewer | null;
}

/** Throws when the field may not be read; a promise only where it must ask an upstream first. */
type Check = (parent: any, args: any, context: ViewerContext & SourcesContext) => void | Promise<void>;

/**
 * A field's rule: `before` checks what the field is asked (its parent, its arguments), `after` what it
 * answers (an order is the customer's whose id it carries) and replaces a refused answer by the error.
 */
export interface FieldRule {
  before?: Check;
  after?: (value: any, context: ViewerContext) => void;
}

/** An order may be read by its customer's token, or by staff. */
const ownOrder: FieldRule = {
  before: (_, __, { viewer }) => void requireViewer(viewer),
  after: (order: { customerId: string } | null, { viewer }) => {
    if (order) requireCustomer(viewer, order.customerId);
  },
};
const ownCustomer: FieldRule = { before: (customer: { id: string }, _, { viewer }) => requireCustomer(viewer, customer.id) };

export const ACCESS_RULES: Record<string, Record<string, FieldRule>> = {
  Query: { order: ownOrder },
  Customer: { email: ownCustomer, createdAt: ownCustomer, orders: ownCustomer },
  Payment: { order: ownOrder },
  Mutation: {
    placeOrder: { before: (_, args: { customerId: string }, { viewer }) => requireCustomer(viewer, args.customerId) },
  },
  Subscription: {
    paymentEvents: {
      before: async (_, args: { orderId?: string | null }, context) => {
        const viewer = requireViewer(context.viewer);
        if (viewer.staff) return;
        if (!args.orderId) throw forbidden('Without the staff scope, subscribe to the payment events of one of your orders: pass its orderId.');
        const order = await loadersFor(context).orders.load(args.orderId);
        if (order?.customerId !== viewer.subject) throw forbidden(`Order ${args.orderId} is not one of this token's customer's orders.`);
      },
    },
  },
};

export function withAccessRules(schema: GraphQLSchema, rules = ACCESS_RULES): GraphQLSchema {
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

function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) {
    throw new GraphQLError('This field needs a bearer token: send `Authorization: Bearer <token>`.', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  return viewer;
}

function requireCustomer(viewer: Viewer | null | undefined, customerId: string): void {
  const known = requireViewer(viewer);
  if (!known.staff && known.subject !== customerId) throw forbidden('This token may not read or act for another customer.');
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/**
 * The project's own code for its stitched graph, where a rule needs code rather than a declaration
 * (@join, @event, @owner): resolvers by type and field, and what they add to every request's context.
 * The project names its module once, in package.json (`"imports": { "#graph": "./graph/index.ts" }`);
 * the launchers import `#graph` and give it to the gateway, which never imports it itself.
 *
 *   export const graph: GraphCode = {
 *     resolvers: { Mutation: { placeOrder: (_, input, context) => context.orders.place(input, context) } },
 *     start: ({ upstreams, urls }) => {
 *       const orders = createOrderDesk({ upstreams, urls });
 *       return { context: { orders }, settled: () => orders.settled(), close: () => orders.close() };
 *     },
 *   };
 */
import type { Resolvers } from '../compose/public-schema.js';
import type { Upstreams } from '../upstream/index.js';
import type { Invalidations } from '../events/invalidation.js';

export interface GraphCode {
  /** Written resolvers (types from codegen, generated/resolvers.ts); a field may not also be declared. */
  resolvers: Resolvers;
  /** Called once when the gateway starts, before it serves. */
  start?(options: GraphOptions): GraphRuntime;
}

/** What the graph's code gets of the gateway. */
export interface GraphOptions {
  /** The gateway's way to its upstreams, with each source's credentials and policy. */
  upstreams: Upstreams;
  /** Each source's URL, by name. */
  urls: Readonly<Record<string, string>>;
  /**
   * Where the code says which entities it changed through an upstream (a reservation changes stock):
   * the caches drop them at once, without waiting for the provider's webhook.
   */
  invalidations: Invalidations;
}

export interface GraphRuntime {
  /** Added to every request's context. */
  context: Record<string, unknown>;
  /** Resolves once the work the code left running in the background is done (retried undos, say). */
  settled(): Promise<void>;
  close(): void;
}

/** The runtime of `code`, one that adds nothing when the code needs none. */
export function startGraphCode(code: GraphCode, options: GraphOptions): GraphRuntime {
  return code.start?.(options) ?? { context: {}, settled: async () => {}, close: () => {} };
}

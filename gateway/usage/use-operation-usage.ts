/**
 * Records each operation clients send that validates (over every transport, a cached answer's too),
 * in the usage store (operation-usage.ts): its document is printed and hashed once, then counted in
 * memory and written every few seconds and on close, so that a request pays a map lookup.
 *
 *   const usage = createUsageRecorder(store, { warn: (message) => log.warn(message) });
 *   plugins: [usage.plugin];   // …; await usage.close();
 */
import { createHash } from 'node:crypto';
import { print, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SeenDocuments, UsageStore } from './operation-usage.js';

export interface UsageRecorder {
  plugin: Plugin;
  /** Writes what was seen since the last write. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The most distinct documents counted between two writes; more are left for the next. */
const MAX_PENDING = 10_000;

export function createUsageRecorder(store: UsageStore, options: { warn: (message: string) => void; flushMs?: number }): UsageRecorder {
  const printed = new WeakMap<DocumentNode, { hash: string; document: string }>();
  let pending: SeenDocuments = new Map();
  let warned = false;
  const seen = (node: DocumentNode) => {
    let known = printed.get(node);
    if (!known) {
      const document = print(node);
      known = { hash: createHash('sha256').update(document).digest('hex'), document };
      printed.set(node, known);
    }
    const entry = pending.get(known.hash);
    if (entry) entry.count += 1;
    else if (pending.size < MAX_PENDING) pending.set(known.hash, { document: known.document, count: 1 });
  };
  const flush = async () => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      await store.record(batch, Date.now());
      warned = false;
    } catch (error) {
      if (!warned) options.warn(`operation usage is not recorded: ${(error as Error).message}`);
      warned = true;
    }
  };
  const timer = setInterval(() => void flush(), options.flushMs ?? 10_000);
  timer.unref();
  return {
    plugin: {
      onValidate({ params }) {
        return ({ valid }) => {
          if (valid) seen(params.documentAST);
        };
      },
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      await store.close();
    },
  };
}

/**
 * GraphiQL served by the gateway itself, with every asset inlined, so it works offline and behind
 * strict firewalls (yoga's default page loads its scripts from a CDN). The page is about 9 MB of
 * HTML: it is rendered on the first visit, gzipped once, and revalidated by ETag. The renderer (which
 * holds those assets) is loaded only then, so that a gateway nobody browses does not carry them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

export interface GraphiQLPage {
  html: string;
  gzipped: Buffer;
  etag: string;
}

/** The example operations shown as tabs: every `.graphql` file of a folder, `first` first (when given), then by name. */
export function readExampleOperations(folder: string, first?: string): { query: string }[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.graphql'))
    .sort((a, b) => Number(b === first) - Number(a === first) || a.localeCompare(b))
    .map((file) => ({ query: readFileSync(join(folder, file), 'utf8') }));
}

export async function renderGraphiQLPage(endpoint: string, tabs: { query: string }[]): Promise<GraphiQLPage> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const html = renderGraphiQL({
    title: 'Switchboard',
    endpoint,
    defaultQuery: tabs[0]?.query,
    defaultTabs: tabs,
    // Switchboard's subscriptions (later) speak SSE; nothing here needs an outside host.
    subscriptionsProtocol: 'SSE',
  } as Parameters<typeof renderGraphiQL>[0]);
  return { html, gzipped: gzipSync(html), etag: `"${createHash('sha1').update(html).digest('base64url')}"` };
}

export function useGraphiQL(options: { endpoint: string; page: () => Promise<GraphiQLPage> }): Plugin {
  let rendering: Promise<GraphiQLPage> | undefined;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== options.endpoint) return;
      // A browser navigating here asks for HTML; GraphQL clients using GET ask for JSON.
      const accept = request.headers.get('accept') ?? '';
      if (!accept.includes('text/html') || url.searchParams.has('query')) return;
      const page = await (rendering ??= options.page());
      const headers: Record<string, string> = { etag: page.etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
      if (request.headers.get('if-none-match') === page.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      endResponse(
        new fetchAPI.Response(gzip ? new Uint8Array(page.gzipped) : page.html, {
          status: 200,
          headers: { ...headers, 'content-type': 'text/html; charset=utf-8', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
        }),
      );
    },
  };
}

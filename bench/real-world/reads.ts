/**
 * Acting as a user who knows which of a provider's POSTs only read: in a document with no GET
 * operation (AWS JSON, Google's custom methods, search and analysis APIs), the POST operations whose
 * operationId or path says they read (`DescribeClusters`, `/v1/documents:analyze`, `searchPeople`)
 * are declared with `source:add --reads`; where none says so, all of them (an API of POSTs only is
 * one whose reads are POSTs). A document with a GET needs none: the bench asks a GET.
 */
import { contractOperations } from '../../gateway/sources/rest/reads.js';

const READ_WORDS = new Set(['get', 'list', 'describe', 'search', 'query', 'lookup', 'find', 'fetch', 'read', 'retrieve', 'pull', 'verify', 'check', 'validate',
  'detect', 'analyze', 'analyse', 'recognize', 'translate', 'extract', 'calculate', 'estimate', 'predict', 'status', 'info', 'batchget']);

/** The `--reads` options for source:add. */
export function readOptions(document: unknown): string[] {
  const operations = contractOperations(document);
  if (operations.some((operation) => operation.method === 'GET')) return [];
  const posts = operations.filter((operation) => operation.method === 'POST');
  const reads = posts.filter((operation) => wordsOf(`${operation.operationId ?? ''} ${operation.path}`).some((word) => READ_WORDS.has(word)));
  return (reads.length ? reads : posts).flatMap((operation) => ['--reads', `POST ${operation.path}`]);
}

/** Private: the words of a name or path: `DescribeDBClusters` → describe, db, clusters; `/v1/x:analyze` → v1, x, analyze. */
function wordsOf(text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

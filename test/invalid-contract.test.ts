/**
 * A contract that builds but gives the gateway a schema graphql-js refuses (issue 17), as a user
 * meets it, in a copy of the project: `npm run source:add` refuses it in one line and changes
 * nothing, and a gateway started on a composition that holds it anyway (written into .meshrc.yaml by
 * hand) refuses to start, in one line, with nothing left listening, instead of answering every
 * request with a 500. The check itself, on schemas made invalid by hand: check-public-schema.test.ts.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../gateway/config/project.js';
import { copyProject, fileDigests, type ProjectCopy } from './helpers/project-copy.js';

/**
 * A GraphQL schema with a type that has no fields. The contract reads (graphql-js builds an SDL
 * without checking it), Mesh's GraphQL handler passes the type through and the composition builds:
 * only the public schema's check finds it. An empty WSDL complexType (the Learning.wsdl) does
 * the same today, but the SOAP adapter is being changed; this one does not depend on it.
 */
const CONTRACT = `type Query { course(id: ID!): Course }
type Course { id: ID! title: String reference: CourseID }
type CourseID
`;
const PROBLEM = 'The public schema is not valid: learning: type LearningCourseID must define one or more fields.';
/** What a refused command must leave as it was, to the byte. */
const PROJECT_STATE = ['.meshrc.yaml', 'sources', 'generated', '.mesh'];

let project: ProjectCopy;

beforeAll(() => {
  project = copyProject();
  writeFileSync(join(project.root, 'learning.graphql'), CONTRACT);
  const built = project.run('npm', ['run', '-s', 'build']);
  expect(built.status, built.stderr).toBe(0);
}, 240_000);

afterAll(() => project?.remove());

describe('npm run source:add', () => {
  it('refuses a contract whose public schema would not be valid, in one line, and changes nothing', () => {
    const before = fileDigests(project.root, PROJECT_STATE);
    const result = project.run('npm', ['run', '-s', 'source:add', '--', 'learning', 'learning.graphql', '--endpoint', 'http://127.0.0.1:9/graphql']);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `source:add learning: ${PROBLEM} (nothing was changed)\n` });
    expect(fileDigests(project.root, PROJECT_STATE)).toEqual(before);
  }, 120_000);
});

describe('a composition whose public schema is not valid', () => {
  beforeAll(() => {
    // What source:add would write, written by hand: it would refuse to.
    mkdirSync(join(project.root, 'sources', 'learning'));
    writeFileSync(join(project.root, 'sources', 'learning', 'schema.graphql'), CONTRACT);
    writeFileSync(join(project.root, 'sources', 'learning', 'source.json'), JSON.stringify({
      name: 'learning', kind: 'graphql', contract: 'schema.graphql', endpoint: 'http://127.0.0.1:9/graphql', typePrefix: 'Learning', fieldPrefix: 'learning_',
    }));
    const meshrc = join(project.root, '.meshrc.yaml');
    writeFileSync(meshrc, readFileSync(meshrc, 'utf8').replace(/^sources:\n/m, `sources:
  - name: learning
    handler:
      graphql:
        source: ./sources/learning/schema.graphql
        endpoint: '{env.LEARNING_URL}'
    transforms:
      - prefix: { mode: wrap, value: Learning, includeTypes: true }
      - prefix: { mode: wrap, value: learning_, includeTypes: false, includeRootOperations: true }
`));
    const built = project.run('npm', ['run', '-s', 'build']);
    expect(built.status, built.stderr).toBe(0);
  }, 240_000);

  it('stops the gateway before it serves, and leaves no port listening', () => {
    cpSync(join(PROJECT_ROOT, 'test', 'helpers', 'start-probe.ts'), join(project.root, 'test', 'helpers', 'start-probe.ts'));
    // The demo upstreams start first (on free ports) and must be closed again; the probe's process
    // ends by itself only when nothing at all is left open, so a status of 0 says that too.
    const result = project.run('npx', ['tsx', join('test', 'helpers', 'start-probe.ts')], { NODE_ENV: 'development' }, 60_000);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ error: PROBLEM, listening: 0 });
  }, 90_000);

  it('makes npm start exit with 1 and that one line on stderr', () => {
    const result = project.run('npm', ['run', '-s', 'start'], { NODE_ENV: 'development', PORT: '0' }, 60_000);
    expect(result.status, result.stdout).toBe(1);
    expect(result.stderr).toBe(`Switchboard did not start: ${PROBLEM}\n`);
    expect(result.stdout).not.toContain('ready');
  }, 90_000);
});

/**
 * A copy of the project with one source added as a user adds it (`npm run source:add`, which builds
 * the copy) and its gateway started, for tests of what an added source answers.
 *
 *   const crm = await serveRest({ 'GET /v1/accounts': () => ({ body: [] }) });
 *   const copy = await startWithSource('crm', `${FIXTURES}crm.openapi.yaml`, crm, '/v1');
 *   const { body, calls } = await copy.ask('{ crm_listAccounts { id } }');   // calls: ['GET /v1/accounts']
 *   await copy.close();
 */
import { askThrough, type Upstream } from './contract-upstreams.js';
import { copyProject, type RunningCopy } from './project-copy.js';

export interface AddedSourceCopy {
  gateway: RunningCopy;
  /** Posts `query` to the copy's gateway: the status, the body, and the calls the upstream got for it (`GET /v1/accounts`). */
  ask(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any; calls: string[] }>;
  /** Stops the gateway and removes the copy (the upstream is the test's). */
  close(): Promise<void>;
}

export async function startWithSource(name: string, contract: string, upstream: Upstream, basePath = ''): Promise<AddedSourceCopy> {
  const project = copyProject();
  const added = project.run('npm', ['run', '-s', 'source:add', '--', name, contract, '--endpoint', `${upstream.url}${basePath}`]);
  if (added.status !== 0) {
    project.remove();
    throw new Error(`source:add ${name} failed:\n${added.stderr}`);
  }
  const gateway = await project.start({});
  return {
    gateway,
    ask: (query, variables) => askThrough(gateway.url, upstream, query, variables),
    async close() {
      await gateway.stop();
      project.remove();
    },
  };
}

/**
 * What real documents of APIs.guru's directory showed the gateway getting wrong at build or request
 * time (issue 25; `npm run bench:real-world`), each cause in a few lines of its own under
 * test/fixtures/contracts/, added with `npm run source:add` to a copy of the project and asked end to
 * end: a `format: date` argument reaches the upstream as the date it is, `2024-06-01`, not as the
 * date-time Mesh's runtime made of it; and the contracts that did not build (a shape named `String`,
 * a reference percent-encoded, kinds that narrow the interface they implement) build and answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askThrough, FIXTURES, serveRest, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';

describe('contracts the corpus run found the gateway getting wrong', () => {
  let project: ProjectCopy;
  let upstream: Upstream;
  let gateway: RunningCopy;

  beforeAll(async () => {
    upstream = await serveRest({
      'GET /ferry/sailings': (_params, query) => ({ body: [{ departs: '2024-06-01T08:30:00Z', day: query.get('day'), vessel: 'Ondine' }] }),
      'GET /notes/notes/:id': ({ id }) => ({ body: { id, pinned: true, attachment: { raw: 'x' } } }),
      'GET /sensors/greenhouses/:id/sensors': ({ id }) => ({ body: [{ id: `${id}-t1` }, { id: `${id}-h1` }] }),
      'GET /jobs/jobs/:id': ({ id }) => ({ body: { kind: 'pdf', owner: 'ana', output: { pages: 3 }, id } }),
    });
    project = copyProject();
    const built = project.run('npm', ['run', '-s', 'build']);
    expect(built.status, built.stderr).toBe(0);
    const sources = [['ferry', 'ferry-sailings'], ['notes', 'scalar-named-shapes'], ['sensors', 'encoded-refs'], ['jobs', 'narrowed-interface']];
    for (const [name, fixture] of sources) {
      const added = project.run('npm', ['run', '-s', 'source:add', '--', name!, `${FIXTURES}${fixture}.openapi.yaml`, '--endpoint', `${upstream.url}/${name}`]);
      expect(added.status, added.stderr).toBe(0);
    }
    gateway = await project.start({});
  }, 480_000);

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    project?.remove();
  });

  const ask = async (query: string, variables?: Record<string, unknown>) => {
    const { body, calls } = await askThrough(gateway.url, upstream, query, variables);
    return { body, calls };
  };

  it('sends a date argument as the date it is, written in the document or as a variable, and answers a date field', async () => {
    const sailing = { departs: '2024-06-01T08:30:00.000Z', day: '2024-06-01', vessel: 'Ondine' };
    const literal = await ask('{ ferry_listSailings(harbour: "Oban", day: "2024-06-01") { departs day vessel } }');
    expect(literal).toEqual({ body: { data: { ferry_listSailings: [sailing] } }, calls: ['GET /ferry/sailings?harbour=Oban&day=2024-06-01'] });
    const variable = await ask('query ($day: Date!) { ferry_listSailings(harbour: "Oban", day: $day) { departs day vessel } }', { day: '2024-06-01' });
    expect(variable).toEqual({ body: { data: { ferry_listSailings: [sailing] } }, calls: ['GET /ferry/sailings?harbour=Oban&day=2024-06-01'] });
  });

  it('refuses a date that is not one as the client\'s mistake, before any call', async () => {
    const { body, calls } = await ask('{ ferry_listSailings(harbour: "Oban", day: "2024-06-01T00:00:00Z") { day } }');
    expect([body.errors.map((error: { message: string; extensions: { code: string } }) => [error.extensions.code, error.message]), calls]).toEqual([
      [['BAD_USER_INPUT', 'Argument "day" of "ferry_listSailings": "2024-06-01T00:00:00Z" does not match the contract\'s pattern ^\\d{4}-\\d{2}-\\d{2}$.']],
      [],
    ]);
  });

  it('answers a provider whose shapes are named String, Boolean and JSON, under names of their own', async () => {
    const { body, calls } = await ask('{ notes_getNote(noteId: "n-1") { id pinned attachment { raw } } __type(name: "NotesNote") { fields { name type { name } } } }');
    const fields = [{ name: 'id', type: { name: 'NotesStringValue' } }, { name: 'pinned', type: { name: 'Boolean' } }, { name: 'attachment', type: { name: 'NotesJSONValue' } }];
    expect([body, calls]).toEqual([{ data: { notes_getNote: { id: 'n-1', pinned: true, attachment: { raw: 'x' } }, __type: { fields } } }, ['GET /notes/notes/n-1']]);
  });

  it('answers a contract that refers to a parameter and an answer of another path, percent-encoded', async () => {
    const { body, calls } = await ask('{ sensors_listSensors(greenhouseId: "g-7") { id } }');
    expect([body, calls]).toEqual([{ data: { sensors_listSensors: [{ id: 'g-7-t1' }, { id: 'g-7-h1' }] } }, ['GET /sensors/greenhouses/g-7/sensors']]);
  });

  it('answers a kind of job that narrows the interface it implements, with what the kind says of itself', async () => {
    const { body, calls } = await ask('{ jobs_getJob(jobId: "j-1") { __typename ... on JobsJob { owner } ... on JobsPdfJob { kind output { pages } } } }');
    expect([body, calls]).toEqual([{ data: { jobs_getJob: { __typename: 'JobsPdfJob', owner: 'ana', kind: 'pdf', output: { pages: 3 } } } }, ['GET /jobs/jobs/j-1']]);
  });
});

/**
 * Ask for what we read (issue 17): every upstream call says which media types it reads, and a REST
 * answer is read in any media type its operation declares that the gateway reads (JSON, XML), or
 * refused by name. The Petstore's contract lists XML first and its server answers by `Accept`, XML
 * when asked for nothing: it is added with `npm run source:add` to a copy of the project and asked end
 * to end; the demo's own sources are asked through an in-process gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers/contract-upstreams.js';
import { servePetstore, type Pet, type Petstore } from './helpers/petstore.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

const REX: Pet = {
  id: 7,
  category: { id: 1, name: 'Dogs' },
  name: 'Rex & "Bones"',
  photoUrls: ['https://img.example/rex-1.png', 'https://img.example/rex-2.png'],
  tags: [{ id: 3, name: 'friendly' }, { id: 4, name: 'vaccinated' }],
  status: 'available',
};
const MOG: Pet = { id: 9, category: { id: 2, name: 'Cats' }, name: 'Mog', photoUrls: [], tags: [], status: 'available' };

const PET_FIELDS = '{ id name status category { id name } photoUrls tags { id name } }';
const REX_DATA = {
  id: 7, name: 'Rex & "Bones"', status: 'available', category: { id: 1, name: 'Dogs' },
  photoUrls: ['https://img.example/rex-1.png', 'https://img.example/rex-2.png'],
  tags: [{ id: 3, name: 'friendly' }, { id: 4, name: 'vaccinated' }],
};
const MOG_DATA = { id: 9, name: 'Mog', status: 'available', category: { id: 2, name: 'Cats' }, photoUrls: [], tags: [] };

describe('a Swagger 2.0 source that lists XML first (the Petstore), added with source:add', () => {
  let project: ProjectCopy;
  let petstore: Petstore;
  let gateway: RunningCopy;

  beforeAll(async () => {
    petstore = await servePetstore([REX, MOG]);
    project = copyProject();
    const built = project.run('npm', ['run', '-s', 'build']);
    expect(built.status, built.stderr).toBe(0);
    const added = project.run('npm', ['run', '-s', 'source:add', '--', 'petstore', `${FIXTURES}petstore.swagger.json`, '--endpoint', `${petstore.url}/v2`]);
    expect(added.status, added.stderr).toBe(0);
    gateway = await project.start({});
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await petstore?.close();
    project?.remove();
  });

  /** Asks the copy's gateway; answers the body and the calls the Petstore got for it, as `accept GET /path`. */
  async function ask(document: string) {
    const before = petstore.requests.length;
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain(petstore.url);
    return { status: response.status, body, calls: petstore.requests.slice(before).map((call) => `${call.accept} ${call.method} ${call.url}`) };
  }

  it('asks for JSON first and reads the JSON answer', async () => {
    petstore.mode = 'negotiate';
    const { status, body, calls } = await ask(`{ petstore_getPetById(petId: 7) ${PET_FIELDS} }`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { petstore_getPetById: REX_DATA } });
    expect(calls).toEqual(['application/json, application/xml GET /v2/pet/7']);
  });

  it('reads the same data from an XML answer, a list of pets too', async () => {
    petstore.mode = 'xml';
    const { body, calls } = await ask(`{ petstore_getPetById(petId: 7) ${PET_FIELDS} petstore_findPetsByStatus(status: [available]) ${PET_FIELDS} }`);
    expect(body).toEqual({ data: { petstore_getPetById: REX_DATA, petstore_findPetsByStatus: [REX_DATA, MOG_DATA] } });
    expect(calls.sort()).toEqual([
      'application/json, application/xml GET /v2/pet/7',
      'application/json, application/xml GET /v2/pet/findByStatus?status=available',
    ]);
  });

  it('refuses an answer in a media type the operation does not declare, naming the type alone', async () => {
    petstore.mode = 'html';
    const { body, calls } = await ask(`{ petstore_getPetById(petId: 7) { id name } }`);
    expect(body).toEqual({
      data: { petstore_getPetById: null },
      errors: [{
        message: 'petstore answered text/html, which its contract does not declare for this operation.',
        path: ['petstore_getPetById'],
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'petstore' },
      }],
    });
    // A definite answer, not an outage: not asked again.
    expect(calls).toEqual(['application/json, application/xml GET /v2/pet/7']);
  });

  it('asks an operation that declares JSON alone for JSON alone', async () => {
    petstore.mode = 'negotiate';
    const { calls } = await ask('{ petstore_getInventory }');
    expect(calls).toEqual(['application/json GET /v2/store/inventory']);
  });
});

describe("the demo's own sources", () => {
  let switchboard: TestSwitchboard;
  beforeAll(async () => {
    switchboard = await startTestSwitchboard();
  });
  afterAll(() => switchboard?.close());

  it('say what they read: JSON to the REST upstreams, GraphQL responses to reviews, the SOAP envelope to inventory', async () => {
    await switchboard.resetLogs();
    const { body } = await switchboard.query('{ product(id: "prod-0001") { id stock { total } rating } order(id: "ord-00001") { id customer { name } payment { status } } }');
    expect(body.errors).toBeUndefined();
    const requests = await switchboard.requests();
    const accepts = Object.fromEntries(Object.entries(requests).map(([source, calls]) => [source, calls.map((call) => `${call.headers.accept} ${call.method} ${call.path}`).sort()]));
    expect(accepts).toEqual({
      // Batched reads (`?ids=`): the logs keep the path alone.
      catalog: ['application/json GET /customers', 'application/json GET /orders', 'application/json GET /products'],
      payments: ['application/json GET /payments', 'application/json POST /oauth/token'],
      reviews: ['application/graphql-response+json, application/json POST /graphql'],
      inventory: ['text/xml POST /inventory'],
    });
  });
});

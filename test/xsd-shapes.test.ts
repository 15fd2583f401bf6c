/**
 * A contract that builds must serve: a WSDL in the style of Workday's Learning service
 * (test/fixtures/contracts/learning.wsdl: IDs of simple content with a `wd:type`, *_Reference types,
 * Response_Filter, choices, groups, attribute groups, markers, extension points) is added with
 * `npm run source:add` in a copy of the project, and one operation is answered end to end against a
 * local SOAP service on port 0: the envelope it received and the data read back are asserted whole,
 * attributes included, beside the demo's own query.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isInputObjectType, isObjectType, validateSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, serveGraphQL, serveSoap, type Upstream } from './helpers/contract-upstreams.js';
import { copyProject, type ProjectCopy, type RunningCopy } from './helpers/project-copy.js';
import { stockOf, world } from './helpers/expected.js';

const WD = 'urn:com.workday/bsvc';

/** The course the service answers with, as node-soap's server writes it: `attributes` and `$value`. */
const COURSE = {
  Learning_Course_Reference: { attributes: { 'wd:Descriptor': 'Forklift Safety' }, ID: [{ attributes: { 'wd:type': 'WID' }, $value: '9f3c2b' }, { attributes: { 'wd:type': 'Learning_Course_ID' }, $value: 'SAFE-101' }] },
  Learning_Course_Data: {
    attributes: { 'wd:Legacy_Code': 'LC-7', 'wd:Last_Updated': '2026-11-30T09:15:00Z', 'wd:Updated_By': 'lms-sync' },
    Course_Number: 'SAFE-101',
    Course_Title: 'Forklift Safety & Handling',
    Duration: { attributes: { 'wd:Unit': 'Hours' }, $value: '2.5' },
    Price: { attributes: { 'wd:Currency_Code': 'EUR' }, $value: '149.00' },
    Digital_Course_Reference: { ID: { attributes: { 'wd:type': 'Digital_Course_ID' }, $value: 'DC-88' } },
    Lesson_Title: ['Load charts', 'Pre-use checks'],
    Assessment_Reference: { ID: { attributes: { 'wd:type': 'Assessment_ID' }, $value: 'AS-3' } },
    Retired: '',
    Custom_Data: { Cost_Center: 'CC-410', Tags: { Tag: ['safety', 'warehouse'] } },
    Integration_Extension: { attributes: { batch: '2026-48' }, Source_System: 'LMS', 'lms:Rating': { attributes: { 'xmlns:lms': 'urn:lms:ext', scale: '5' }, $value: '4.6' } },
  },
};

let project: ProjectCopy;
let learning: Upstream;
let tracking: Upstream;
let gateway: RunningCopy | undefined;

async function query(document: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gateway!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

beforeAll(async () => {
  project = copyProject();
  learning = await serveSoap('learning.wsdl', {
    LearningService: {
      Learning: {
        // Workday's answers say again what was asked (references, filter, group), then the data.
        Get_Learning_Courses: () => ({
          attributes: { 'wd:version': 'v45.0' },
          Request_References: { Learning_Course_Reference: { ID: { attributes: { 'wd:type': 'WID' }, $value: '9f3c2b' } } },
          Response_Filter: { Page: '1', Count: '50' },
          Response_Results: { Total_Results: '1', Total_Pages: '1', Page_Results: '1', Page: '1' },
          Response_Data: { Learning_Course: [COURSE] },
        }),
      },
    },
  });
  // A GraphQL source with a JSON scalar of its own, beside the SOAP source's.
  tracking = await serveGraphQL('tracking.graphql', {
    Query: { shipment: (_: unknown, { id }: { id: string }) => ({ id, state: 'IN_TRANSIT', updatedAt: '2026-11-23T10:00:00Z', carrier: { id: 'car-1', name: 'Green Post' }, attributes: { fragile: true } }) },
  });
  const built = project.run('npm', ['run', '-s', 'build']);
  expect(built.status, built.stderr).toBe(0);
}, 240_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([learning, tracking].filter(Boolean).map((upstream) => upstream.close()));
  project?.remove();
});

describe('a Workday-style WSDL, added with npm run source:add', () => {
  it('adds it, and every type of the composition has fields', () => {
    const result = project.run('npm', ['run', '-s', 'source:add', '--', 'learning', join(FIXTURES, 'learning.wsdl'), '--endpoint', `${learning.url}/soap`]);
    expect(result.status, result.stderr).toBe(0);
    // Workday's names, without the underscores and the `Type` at the end of each.
    expect(result.stdout).toContain('New root fields (1):\n  Query.learning_getLearningCourses(requestReferences: LearningLearningCourseRequestReferencesInput, '
      + 'requestCriteria: JSON, responseFilter: LearningResponseFilterInput, responseGroup: LearningLearningCourseResponseGroupInput, '
      + 'integrationExtension: LearningIntegrationExtensionInput, version: String): LearningGetLearningCoursesResult\n');
    const schema = buildSchema(readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8'));
    expect(validateSchema(schema)).toEqual([]);
    const empty = Object.values(schema.getTypeMap())
      .filter((type) => (isObjectType(type) || isInputObjectType(type)) && Object.keys(type.getFields()).length === 0)
      .map((type) => type.name);
    expect(empty).toEqual([]);
  }, 120_000);

  it('shares one JSON scalar with another source that has its own', () => {
    const result = project.run('npm', ['run', '-s', 'source:add', '--', 'tracking', join(FIXTURES, 'tracking.graphql'), '--endpoint', `${tracking.url}/graphql`]);
    expect(result.status, result.stderr).toBe(0);
    const composed = readFileSync(join(project.root, '.mesh', 'schema.graphql'), 'utf8');
    expect(composed.match(/^scalar \w*JSON\b.*$/gm)).toEqual(['scalar JSON']);
  }, 120_000);
});

describe('the added source, end to end', () => {
  beforeAll(async () => {
    gateway = await project.start({});
  }, 60_000);

  it('writes IDs with their wd:type, markers, extension points and the request version as the envelope Workday expects', async () => {
    const { body } = await query(`{ learning_getLearningCourses(
        version: "v45.0"
        requestReferences: { skipNonExistingInstances: true, learningCourseReference: [{ descriptor: "Forklift Safety", id: [{ type: Learning_Course_ID, value: "SAFE-101" }] }] }
        responseFilter: { asOfEffectiveDate: "2026-12-01", page: "1", count: "50" }
        responseGroup: { includeReference: true, includeRetired: {} }
        integrationExtension: { sourceSystem: "LMS", otherElements: { Ticket: "T-9" }, otherAttributes: { batch: "2026-48" } }
      ) { version } }`);
    expect(body).toEqual({ data: { learning_getLearningCourses: { version: 'v45.0' } } });
    expect(learning.requests.map((request) => [request.url, request.headers?.soapAction])).toEqual([['/soap#Get_Learning_Courses', '"Get_Learning_Courses"']]);
    const sent = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(learning.requests[0]!.envelope!)?.[1];
    expect(sent).toBe(`<wd:Get_Learning_Courses_Request wd:version="v45.0" xmlns:wd="${WD}" xmlns="${WD}">`
      + '<wd:Request_References wd:Skip_Non_Existing_Instances="true"><wd:Learning_Course_Reference wd:Descriptor="Forklift Safety">'
      + '<wd:ID wd:type="Learning_Course_ID">SAFE-101</wd:ID></wd:Learning_Course_Reference></wd:Request_References>'
      + '<wd:Response_Filter><wd:As_Of_Effective_Date>2026-12-01</wd:As_Of_Effective_Date><wd:Page>1</wd:Page><wd:Count>50</wd:Count></wd:Response_Filter>'
      + '<wd:Response_Group><wd:Include_Reference>true</wd:Include_Reference><wd:Include_Retired></wd:Include_Retired></wd:Response_Group>'
      + '<wd:Integration_Extension batch="2026-48"><wd:Source_System>LMS</wd:Source_System><wd:Ticket>T-9</wd:Ticket></wd:Integration_Extension>'
      + '</wd:Get_Learning_Courses_Request>');
  });

  it('reads simple content with its attributes, choices, groups, attribute groups, markers, anyType and extension points', async () => {
    const { body } = await query(`{ learning_getLearningCourses(requestReferences: { learningCourseReference: [{ id: [{ type: WID, value: "9f3c2b" }] }] }) {
      version
      requestReferences { learningCourseReference { descriptor id { type value } } }
      responseFilter { page count }
      responseResults { totalResults totalPages }
      responseData { learningCourse {
        learningCourseReference { descriptor id { type value } }
        learningCourseData {
          courseNumber courseTitle legacyCode lastUpdated updatedBy
          duration { value unit }
          price { value currencyCode } priceNote
          digitalCourseReference { id { type value } } instructorLedLocation
          lessonTitle assessmentReference { id { type value } }
          retired customData
          integrationExtension { sourceSystem otherElements otherAttributes }
        }
      } }
    } }`);
    expect(body).toEqual({
      data: {
        learning_getLearningCourses: {
          version: 'v45.0',
          requestReferences: { learningCourseReference: [{ descriptor: null, id: [{ type: 'WID', value: '9f3c2b' }] }] },
          responseFilter: { page: '1', count: '50' },
          responseResults: { totalResults: '1', totalPages: '1' },
          responseData: {
            learningCourse: [{
              learningCourseReference: { descriptor: 'Forklift Safety', id: [{ type: 'WID', value: '9f3c2b' }, { type: 'Learning_Course_ID', value: 'SAFE-101' }] },
              learningCourseData: [{
                courseNumber: 'SAFE-101',
                courseTitle: 'Forklift Safety & Handling',
                legacyCode: 'LC-7',
                lastUpdated: '2026-11-30T09:15:00Z',
                updatedBy: 'lms-sync',
                duration: { value: '2.5', unit: 'Hours' },
                price: { value: '149.00', currencyCode: 'EUR' },
                priceNote: null,
                digitalCourseReference: { id: [{ type: 'Digital_Course_ID', value: 'DC-88' }] },
                instructorLedLocation: null,
                lessonTitle: ['Load charts', 'Pre-use checks'],
                assessmentReference: [{ id: [{ type: 'Assessment_ID', value: 'AS-3' }] }],
                // A marker is there or not; anyType holds the element as it came.
                retired: {},
                customData: { Cost_Center: 'CC-410', Tags: { Tag: ['safety', 'warehouse'] } },
                integrationExtension: { sourceSystem: 'LMS', otherElements: { Rating: { attributes: { scale: '5' }, $value: '4.6' } }, otherAttributes: { batch: '2026-48' } },
              }],
            }],
          },
        },
      },
    });
    expect(learning.requests).toHaveLength(2);
  });

  it('answers JSON from both sources in one request', async () => {
    const { body } = await query('{ tracking_shipment(id: "shp-1") { attributes } learning_getLearningCourses { responseData { learningCourse { learningCourseData { customData } } } } }');
    expect(body).toEqual({
      data: {
        tracking_shipment: { attributes: { fragile: true } },
        learning_getLearningCourses: { responseData: { learningCourse: [{ learningCourseData: [{ customData: { Cost_Center: 'CC-410', Tags: { Tag: ['safety', 'warehouse'] } } }] }] } },
      },
    });
  });

  it("answers the demo's queries beside it", async () => {
    const { body } = await query('{ products(first: 2) { id name stock { total } } }');
    expect(body).toEqual({
      data: { products: world.products.slice(0, 2).map((product) => ({ id: product.id, name: product.name, stock: { total: stockOf(product.sku).total } })) },
    });
  });
});

// Starts `exemplar serve` on an empty data folder, fetches the OpenAPI
// document it serves, and checks it against the OpenAPI 3.1 JSON schema
// published by the OpenAPI Initiative, its 2022-10-07 revision and the
// current one (as @seriousme/openapi-schema-validator 2.1.0 and 2.11.0 ship
// them), with ajv for JSON Schema draft 2020-12. Also
// checks what the schemas cannot: every $ref resolves, every operation has
// a unique operationId, every Schema Object is a valid JSON Schema.
//
// Usage: node validate.mjs path/to/exemplar  (after `npm ci` here)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const binary = process.argv[2];
if (!binary) {
  console.error('usage: node validate.mjs path/to/exemplar');
  process.exit(2);
}

// The official schemas: the 2022-10-07 revision and the current one, as
// two versions of one package ship them.
function shippedSchema(pkg) {
  return join(require.resolve(`${pkg}/package.json`), '..', 'schemas', 'v3.1',
              'schema.json');
}
const schemas = {
  '2022-10-07': shippedSchema('@seriousme/openapi-schema-validator'),
  current: shippedSchema('openapi-schema-current'),
};

let server;
let dataDir;
let documentText;

// Starts the server on a free port; resolves with the port once it logs
// "serving http://HOST:PORT".
function startServer() {
  dataDir = mkdtempSync(join(tmpdir(), 'exemplar-openapi-'));
  server = spawn(binary, ['serve', '--data', dataDir, '--port', '0'],
                 {stdio: ['ignore', 'pipe', 'pipe']});
  return new Promise((resolve, reject) => {
    let output = '';
    const listen = (chunk) => {
      output += chunk;
      const match = /serving http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    server.stdout.on('data', listen);
    server.stderr.on('data', listen);
    server.on('exit', (code) => reject(
        new Error(`exemplar serve exited (${code}) before listening:\n${
            output}`)));
    setTimeout(() => reject(new Error(`no "serving" line in 30 s:\n${
                                output}`)),
               30000).unref();
  });
}

before(async () => {
  const port = await startServer();
  const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
  assert.equal(response.status, 200);
  documentText = await response.text();
});

after(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, {recursive: true, force: true});
});

function newAjv() {
  const ajv = new Ajv2020({strict: false, allErrors: true});
  addFormats(ajv);
  ajv.addFormat('media-range', true);  // the schema's own; not checked here
  return ajv;
}

for (const [revision, file] of Object.entries(schemas)) {
  test(`the document is valid against the OpenAPI 3.1 schema (${revision})`,
       () => {
         const schema = JSON.parse(readFileSync(file, 'utf8'));
         const validate = newAjv().compile(schema);
         const valid = validate(JSON.parse(documentText));
         assert.ok(valid, JSON.stringify(validate.errors, null, 2));
       });
}

// Each value of `node` (recursively) whose key is `key`, with its path.
function* members(node, key, path = '#') {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; ++i) {
      yield* members(node[i], key, `${path}/${i}`);
    }
  } else if (node && typeof node === 'object') {
    for (const [name, value] of Object.entries(node)) {
      const here = `${path}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (name === key) yield [here, value];
      else yield* members(value, key, here);
    }
  }
}

function resolve(document, pointer) {
  let node = document;
  for (const raw of pointer.slice(2).split('/')) {
    const name = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !(name in node)) {
      return undefined;
    }
    node = node[name];
  }
  return node;
}

test('every $ref points into the document at something that exists', () => {
  const document = JSON.parse(documentText);
  const refs = [...members(document, '$ref')];
  assert.ok(refs.length > 0);
  for (const [where, ref] of refs) {
    assert.ok(ref.startsWith('#/'), `${where}: ${ref} is not local`);
    assert.notEqual(resolve(document, ref), undefined,
                    `${where}: ${ref} resolves to nothing`);
  }
});

test('every operation has a unique operationId and the servers are named',
     () => {
       const document = JSON.parse(documentText);
       assert.ok(Array.isArray(document.servers) && document.servers.length);
       const seen = new Map();
       for (const [path, item] of Object.entries(document.paths)) {
         for (const [method, operation] of Object.entries(item)) {
           const id = operation.operationId;
           assert.match(id ?? '', /^[a-z][A-Za-z0-9]*$/,
                        `${method} ${path} has no usable operationId`);
           assert.ok(!seen.has(id), `${id}: ${method} ${path} and ${
                                        seen.get(id)}`);
           seen.set(id, `${method} ${path}`);
         }
       }
     });

test('every Schema Object is a valid JSON Schema (draft 2020-12)', () => {
  const document = JSON.parse(documentText);
  const ajv = newAjv();
  const found = [...members(document, 'schema')];
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    found.push([`#/components/schemas/${name}`, schema]);
  }
  assert.ok(found.length > 0);
  for (const [where, schema] of found) {
    assert.ok(ajv.validateSchema(schema),
              `${where}: ${JSON.stringify(ajv.errors)}`);
  }
});

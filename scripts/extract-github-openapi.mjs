// Extracts the few GitHub REST operations the grader calls (the action's, and class
// mode's repository lookups) from GitHub's official REST description (@octokit/openapi,
// generated/api.github.com.json) into a small committed fixture,
// test/fixtures/github/openapi-subset.json, that the fake GitHub server in
// test/helpers/fake-github.ts validates every request against.
//
//   npm install --no-save @octokit/openapi@23 && node scripts/extract-github-openapi.mjs
//
// (@octokit/openapi is ~385 MB unpacked, so it is not a devDependency: only this script needs it.)
//
// Only the request side is kept (method, path template, parameters, request body
// schema with every $ref resolved); descriptions and examples are dropped.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const OPERATIONS = [
  'users/get-authenticated',
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'checks/create',
  'checks/update',
  'repos/get',
  'repos/list-activities',
];
const OUT = 'test/fixtures/github/openapi-subset.json';

const require = createRequire(import.meta.url);
const specFile = require.resolve('@octokit/openapi/generated/api.github.com.json');
const { version } = JSON.parse(await readFile(require.resolve('@octokit/openapi/package.json'), 'utf8'));
const spec = JSON.parse(await readFile(specFile, 'utf8'));

function resolve(node, seen = new Set()) {
  if (Array.isArray(node)) return node.map((item) => resolve(item, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) throw new Error(`recursive $ref ${node.$ref}`);
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at, key) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    return resolve(target, new Set([...seen, node.$ref]));
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'example' || key === 'examples' || key === 'x-github') continue;
    out[key] = resolve(value, seen);
  }
  return out;
}

const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(item)) {
    if (!OPERATIONS.includes(op.operationId)) continue;
    const body = op.requestBody?.content?.['application/json'];
    operations.push({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      parameters: resolve(op.parameters ?? []).map(({ name, in: where, required, schema }) => ({
        name,
        in: where,
        required: Boolean(required),
        schema,
      })),
      ...(body ? { requestBody: { required: Boolean(op.requestBody.required), schema: resolve(body.schema) } } : {}),
    });
  }
}
const missing = OPERATIONS.filter((id) => !operations.some((op) => op.operationId === id));
if (missing.length > 0) throw new Error(`not in the REST description: ${missing.join(', ')}`);
operations.sort((a, b) => OPERATIONS.indexOf(a.operationId) - OPERATIONS.indexOf(b.operationId));

const fixture = {
  source: `@octokit/openapi ${version}, generated/api.github.com.json (GitHub REST API ${spec.info.version})`,
  generatedBy: 'scripts/extract-github-openapi.mjs',
  operations,
};
await writeFile(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${OUT}: ${operations.map((op) => op.operationId).join(', ')}`);

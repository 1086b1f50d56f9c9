// Bundles the action (dist/index.js and dist/chunks/) and the CLI (dist/cli.js, which runs
// dist/cli-main.cjs) into self-contained files.
//
//   node scripts/bundle.mjs [--outdir DIR] [--analyze]
//
// --analyze prints, for each bundle, its size and the packages that weigh most in it.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' }, analyze: { type: 'boolean', default: false } } });
const outdir = values.outdir;

/** The CLI's program (src/cli/main.ts and all it imports) in one CommonJS file, which dist/cli.js runs. */
const CLI_PROGRAM = 'cli-main.cjs';

// dockerode's CommonJS code uses require/__dirname; an ESM bundle must provide them.
const banner = [
  "import { createRequire as __graderCreateRequire } from 'node:module';",
  "import { fileURLToPath as __graderFileURLToPath } from 'node:url';",
  "import { dirname as __graderDirname } from 'node:path';",
  'const require = __graderCreateRequire(import.meta.url);',
  'const __filename = __graderFileURLToPath(import.meta.url);',
  'const __dirname = __graderDirname(__filename);',
].join('\n');

/**
 * Parts of dependencies the grader never calls, replaced by a stub that says so if anyone
 * ever does (or, for https, that loads them when first used). They would otherwise be loaded
 * (and paid for at every start) or shipped:
 * - ssh2 (optional native code, a wasm file): the grader only talks to a local socket or tcp://;
 * - dockerode's BuildKit session (gRPC and its protobuf loader): the grader posts its builds
 *   itself, without a session (src/engine/engine-request.ts);
 * - dockerode's followProgress decoder (protobufjs): the grader reads build streams itself;
 * - Node's https (and TLS, some 15 ms to load), which docker-modem loads up front but needs only
 *   for an engine reached over TLS (DOCKER_TLS_VERIFY, or port 2376).
 */
const STUBS = [
  {
    filter: /^ssh2$/,
    contents:
      "export class Client { constructor() { throw new Error('grader does not support ssh:// Docker hosts; use a local socket or tcp://'); } }\nexport default { Client };",
  },
  {
    filter: /^\.\/session$/,
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    contents:
      "module.exports = function withSession(_docker, _auth, handler) { handler(new Error('grader bundles no BuildKit session'), null, function () {}); };",
  },
  {
    filter: /^https$/,
    importer: /docker-modem[\\/]lib[\\/]http\.js$/,
    contents:
      "var https; module.exports = new Proxy({}, { get: function (_target, key) { https = https || require('node:https'); return https[key]; } });",
  },
  {
    filter: /^\.\/buildkit$/,
    importer: /dockerode[\\/]lib[\\/]docker\.js$/,
    contents: "module.exports = { followProgress: function () { throw new Error('grader bundles no BuildKit progress decoder'); } };",
  },
];

const stubs = {
  name: 'stubs',
  setup(b) {
    STUBS.forEach((stub, index) => {
      b.onResolve({ filter: stub.filter }, (args) =>
        !stub.importer || stub.importer.test(args.importer) ? { path: String(index), namespace: 'stub' } : undefined,
      );
    });
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: STUBS[Number(args.path)].contents, loader: 'js' }));
  },
};

await rm(outdir, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning', metafile: values.analyze };
const results = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outdir,
    format: 'esm',
    // The entry loads the rest after turning on V8's compile cache (src/compile-cache.ts): in chunks of their own.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: banner },
    plugins: [stubs],
  }),
  // The CLI: a small entry that runs the program with V8's code cache of an earlier run (src/program-cache.ts)...
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outdir,
    format: 'esm',
    define: { GRADER_CLI_PROGRAM: JSON.stringify(`./${CLI_PROGRAM}`) },
  }),
  // ...and the program, one script: only a script's code cache can be made after it has run.
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: path.join(outdir, CLI_PROGRAM),
    format: 'cjs',
    // import() would need a module loader, which a script run by node:vm lacks: require() instead.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__graderImportMetaUrl' },
    // Strict, as the ES modules it is made of: the directive comes first.
    banner: { js: `"use strict";\nvar __graderImportMetaUrl = require("node:url").pathToFileURL(__filename).href;` },
    plugins: [stubs],
  }),
]);

if (values.analyze) {
  for (const [file, output] of results.flatMap((result) => Object.entries(result.metafile.outputs))) {
    const byPackage = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    console.log(`${file}: ${(output.bytes / 1024).toFixed(0)} KiB`);
    for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12))
      console.log(`  ${(bytes / 1024).toFixed(0).padStart(5)} KiB  ${name}`);
  }
}

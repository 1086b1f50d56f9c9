// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into self-contained
// ESM files, plus the .proto files dockerode reads next to itself at run time.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';

const outdir = 'dist';

// dockerode's CommonJS code uses require/__dirname; an ESM bundle must provide them.
const banner = [
  "import { createRequire as __graderCreateRequire } from 'node:module';",
  "import { fileURLToPath as __graderFileURLToPath } from 'node:url';",
  "import { dirname as __graderDirname } from 'node:path';",
  'const require = __graderCreateRequire(import.meta.url);',
  'const __filename = __graderFileURLToPath(import.meta.url);',
  'const __dirname = __graderDirname(__filename);',
].join('\n');

// The grader only talks to a local socket: ssh2 (optional native code, a wasm file)
// is replaced by a stub that says so if anyone ever asks for ssh://.
const stubSsh2 = {
  name: 'stub-ssh2',
  setup(b) {
    b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "export class Client { constructor() { throw new Error('grader does not support ssh:// Docker hosts; use a local socket or tcp://'); } }\nexport default { Client };",
      loader: 'js',
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: banner },
  plugins: [stubSsh2],
  legalComments: 'none',
  logLevel: 'warning',
});
await mkdir(`${outdir}/proto`, { recursive: true });
await cp('node_modules/dockerode/lib/proto', `${outdir}/proto`, { recursive: true });

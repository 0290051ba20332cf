#!/usr/bin/env node
// Bundles the CLI into dist/bin/ (the `scomfw` command), after tsc has built dist/.
//
// Why: Node resolves, reads and links every ES module on its own. The unbundled CLI loads about 300 modules (its own
// and zod's, yaml's, commander's) and spent 0.35 s of a 0.46 s `validate` of a three-host file doing so; the bundle
// starts in 0.30 s. Commands stay lazy: each is its own chunk, loaded only when it runs.
//
// The library (dist/index.js) and dist/cli/main.js stay tsc's, module for module.
//
// Modules find their assets (PowerShell programs, the example, the dashboard's pages) beside themselves under dist/,
// through import.meta.url and import.meta.dirname. In a bundle those would name dist/bin/, so each module's
// import.meta is rewritten to the place its tsc output has under dist/; the assets stay where they are.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');
const outdir = join(root, 'dist', 'bin');
const entry = join(src, 'cli', 'main.ts');

/** Where a source module's tsc output sits, relative to the bundle's directory, as a URL path. */
function distPathFromBundle(file) {
  const compiled = join(root, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
  return relative(outdir, compiled).split(sep).join('/');
}

const importMetaAsInDist = {
  name: 'import-meta-as-in-dist',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      // The entry keeps its own import.meta: it asks whether it is the script node was started with.
      if (args.path === entry || !args.path.startsWith(src + sep) || !text.includes('import.meta.')) return { contents: text, loader: 'ts' };
      const file = distPathFromBundle(args.path);
      const dir = dirname(file);
      const contents = text
        .replaceAll('import.meta.url', `new URL(${JSON.stringify(file)}, import.meta.url).href`)
        .replaceAll('import.meta.dirname', `(import.meta.dirname + ${JSON.stringify('/' + dir)})`);
      return { contents, loader: 'ts' };
    });
  },
};

// commander loads node:child_process when it is imported, for subcommands that are programs of their own, which
// scomfw has none of: 10 to 20 ms of every start. Its one use (spawn) loads it when called instead. If commander
// changes that line, the build stops here rather than quietly bundling the eager form.
const commanderChildProcessOnUse = {
  name: 'commander-child-process-on-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) throw new Error(`${args.path}: expected the line ${eager} (update scripts/bundle.mjs)`);
      return { contents: text.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

// Chunk names carry hashes: clear the folder so chunks of an earlier build do not pile up.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { scomfw: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's "main" is a UMD build that requires its own files at run time; its ES module build bundles.
  mainFields: ['module', 'main'],
  // Native or browser-driving packages are loaded from node_modules as they are.
  external: ['better-sqlite3', 'playwright-core'],
  chunkNames: 'chunk-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // Bundled CommonJS packages (commander, js-yaml) call require() for Node's own modules.
  banner: { js: "import { createRequire as __scomfwRequire } from 'node:module'; const require = __scomfwRequire(import.meta.url);" },
  plugins: [importMetaAsInDist, commanderChildProcessOnUse],
  logLevel: 'warning',
  metafile: Boolean(process.env.SCOMFW_BUILD_VERBOSE),
});
if (process.env.SCOMFW_BUILD_VERBOSE) {
  const outputs = Object.entries(result.metafile.outputs);
  console.log(`bundled the CLI into ${outputs.length} files under dist/bin/ (${Math.round(outputs.reduce((n, [, o]) => n + o.bytes, 0) / 1024)} KiB)`);
}

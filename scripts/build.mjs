// Bundles each executable part of the project into one self-contained file
// with esbuild, so neither `npm install -g` nor a .vsix needs node_modules:
//
//   cli/main.ts            -> dist/cli.js        the greenlet-lens command (package bin)
//   debug-adapter/main.ts  -> dist/adapter.js    the debug adapter, run as `node dist/adapter.js`
//   extension/extension.ts -> dist/extension.js  the VS Code extension (package.json `main`);
//                                                 `vscode` is provided by the editor at run time
//   webview/main.ts        -> dist/webview/board.js  the board, a browser IIFE (d3 bundled in), with
//                                                 webview/*.css copied next to it
//
// node scripts/build.mjs [--only NAME,…] [--outdir DIR]
//   --only builds just the named entries, --outdir writes somewhere other
//   than dist/ (tests use both to inspect a bundle without touching dist/).
import { build } from 'esbuild';
import { chmodSync, copyFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const ENTRIES = [
  { name: 'cli', source: 'cli/main.ts', outfile: 'cli.js', executable: true },
  { name: 'adapter', source: 'debug-adapter/main.ts', outfile: 'adapter.js' },
  {
    name: 'extension',
    source: 'extension/extension.ts',
    outfile: 'extension.js',
    external: ['vscode'],
    // It runs the adapter inline (greenletLens.inlineAdapter), so it bundles its session class.
  },
  {
    name: 'webview',
    source: 'webview/main.ts',
    outfile: 'webview/board.js',
    browser: true,
    // Plain files the page links (board.md): copied as they are.
    assets: ['webview/board.css', 'webview/theme-dark.css', 'webview/theme-light.css'],
  },
];

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, outdir: { type: 'string' } },
});
const only = options.only?.split(',');
const unknown = (only ?? []).filter((name) => !ENTRIES.some((e) => e.name === name));
if (unknown.length > 0) {
  console.error(`build: unknown entry ${unknown.join(', ')} (entries: ${ENTRIES.map((e) => e.name).join(', ')})`);
  process.exit(2);
}
const outdir = options.outdir ?? join(root, 'dist');

async function bundle(entry) {
  const outfile = join(outdir, entry.outfile);
  await build({
    entryPoints: [join(root, entry.source)],
    outfile,
    bundle: true,
    // The board is minified: the page parses it on every load (the source map keeps it debuggable).
    ...(entry.browser
      ? { platform: 'browser', target: 'es2020', format: 'iife', minify: true }
      : { platform: 'node', target: 'node20', format: 'cjs' }),
    sourcemap: true,
    external: entry.external ?? [],
    banner: entry.executable ? { js: '#!/usr/bin/env node' } : undefined,
    logLevel: 'warning',
  });
  if (entry.executable) chmodSync(outfile, 0o755);
  for (const asset of entry.assets ?? []) copyFileSync(join(root, asset), join(dirname(outfile), basename(asset)));
  return outfile;
}

const built = [];
for (const entry of ENTRIES) {
  if (only !== undefined && !only.includes(entry.name)) continue;
  built.push(await bundle(entry));
}
console.log(`built ${built.map((f) => relative(root, f)).join(', ')}`);

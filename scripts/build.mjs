// Bundles the command-line tool: cli/main.ts -> dist/cli.js, one
// self-contained executable file for `npm install -g` / the package's bin.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function buildCli() {
  const outfile = join(root, 'dist', 'cli.js');
  await build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

const built = [await buildCli()];
console.log(`built ${built.map((f) => f.slice(root.length + 1)).join(', ')}`);

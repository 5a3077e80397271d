// node scripts/gen-schema.mjs [--check]: writes what is generated from the
// trace schema (shared/trace/schema.ts): the Python runtime's constants and
// a C header (runtime-instrumentation/greenlet_lens/_schema.py, _schema.h),
// the TypeScript event decoder (shared/trace/decode-events.generated.ts) and
// the tables of docs/trace-format.md; and package.json's debugger
// configurationAttributes from shared/protocol/launch-attributes.ts. --check writes nothing and exits 1
// when a file is stale (test/unit/schema.test.ts checks the same).
import { buildSync } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
// The renderers are TypeScript (type-checked with the rest); bundled in memory to run them here.
const bundled = buildSync({
  entryPoints: [join(root, 'scripts', 'schema', 'render.ts')], bundle: true, write: false, platform: 'node', format: 'cjs',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', bundled.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
const render = mod.exports;

const files = [
  [render.GENERATED_FILES.python, () => render.renderPython()],
  [render.GENERATED_FILES.cHeader, () => render.renderCHeader()],
  [render.GENERATED_FILES.decoder, () => render.renderDecoder()],
  [render.TRACE_FORMAT_DOC, (old) => render.withDocTables(old)],
  [render.PACKAGE_JSON, (old) => render.withConfigurationAttributes(old)],
];
let stale = 0;
for (const [file, make] of files) {
  const path = join(root, file);
  let old = null;
  try { old = readFileSync(path, 'utf8'); } catch { /* a new file */ }
  const text = make(old ?? '');
  if (text === old) continue;
  stale++;
  if (check) console.error(`stale: ${file}`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${file}`);
  }
}
if (check && stale > 0) {
  console.error('run: node scripts/gen-schema.mjs');
  process.exit(1);
}

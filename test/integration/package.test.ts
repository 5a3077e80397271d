// The .vsix that `npm run package` made (npm test packages it before the
// suites run): what VS Code installs must hold the bundles, the board's
// assets and the whole Python runtime, and nothing of the sources, tests,
// source maps or node_modules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { NODE_ONLY } from '../support/stacks';
import { ROOT } from './support';

interface Entry { readonly name: string; readonly method: number; readonly size: number; readonly offset: number; readonly compressed: number }

/** The entries of a zip's central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): Entry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressed: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      offset: zip.readUInt32LE(at + 42),
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

function contents(zip: Buffer, e: Entry): Buffer {
  const local = e.offset;
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const raw = zip.subarray(start, start + e.compressed);
  return e.method === 0 ? raw : inflateRawSync(raw);
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; icon: string };
const vsixPath = path.join(ROOT, 'dist', `greenlet-lens-${pkg.version}.vsix`);

test('the .vsix holds the bundles, the board assets and every runtime module, and nothing else of the repository', { skip: NODE_ONLY }, () => {
  assert.ok(fs.existsSync(vsixPath), `${vsixPath} is missing: npm run package makes it`);
  const zip = fs.readFileSync(vsixPath);
  const names = zipEntries(zip).map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)).sort();
  for (const must of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', pkg.icon,
    'dist/extension.js', 'dist/adapter.js', 'dist/webview/board.js', 'dist/webview/board.css',
    'dist/webview/theme-dark.css', 'dist/webview/theme-light.css']) {
    assert.ok(names.includes(must), `${must} is in the .vsix`);
  }
  // The Python modules, and the compiled core's source, built on the user's machine on first use.
  const runtime = fs.readdirSync(path.join(ROOT, 'runtime-instrumentation', 'greenlet_lens')).filter((f) => /\.(py|c|h)$/.test(f));
  assert.ok(runtime.includes('_core.c') && runtime.includes('_schema.h'), runtime.join(', '));
  for (const module of runtime) {
    assert.ok(names.includes(`runtime-instrumentation/greenlet_lens/${module}`), `runtime module ${module} is in the .vsix`);
  }
  // Nothing else: an allowlist, so a new file in the repository cannot slip in unnoticed.
  const allowed = (n: string): boolean =>
    ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', pkg.icon, 'dist/extension.js', 'dist/adapter.js'].includes(n)
    || /^dist\/webview\/[\w-]+\.(js|css)$/.test(n)
    || /^runtime-instrumentation\/greenlet_lens\/\w+\.(py|c|h)$/.test(n);
  assert.deepEqual(names.filter((n) => !allowed(n)), [], 'only what runs is packaged');
});

test('the packaged package.json and readme are the marketplace ones', { skip: NODE_ONLY }, () => {
  const zip = fs.readFileSync(vsixPath);
  const entries = zipEntries(zip);
  const read = (name: string): string => contents(zip, entries.find((e) => e.name === `extension/${name}`)!).toString('utf8');
  const manifest = JSON.parse(read('package.json')) as { main: string; categories: string[]; repository: unknown; license: string };
  assert.equal(manifest.main, './dist/extension.js');
  assert.deepEqual(manifest.categories, ['Debuggers']);
  assert.ok(manifest.repository !== undefined && manifest.license === 'MIT');
  const readme = read('readme.md');
  assert.match(readme, /^# Greenlet Lens/);
  assert.match(readme, /!\[[^\]]+\]\(https:\/\/\S+\.png\)/, 'screenshots, linked by absolute URL as the marketplace needs');
});

/**
 * The stack matrix runner (scripts/stacks.mjs): a stack whose wheels or
 * interpreter are missing is skipped with the reason while the others run,
 * each stack's suites get its interpreter and mode, and the summary gives
 * every stack's test counts and fails when one stack fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'stacks.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-stacks-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const emptyWheels = path.join(dir, 'no-wheels');
fs.mkdirSync(emptyWheels);

function stacks(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, GREENLET_LENS_CACHE: path.join(dir, 'cache'), GREENLET_LENS_PYSTACKS: emptyWheels, PURE_PYTHON: '', ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('without the pystacks wheels the current stacks are skipped, saying why, and the Debian ones stay', () => {
  const r = stacks(['plan'], {});
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^stacks: debian-3\.11: Python 3\.\d+\.\d+ · gevent \S+ compiled · greenlet \S+ \(\/usr\/bin\/python3\)$/m);
  assert.match(r.out, /^stacks: debian-3\.11-pure: Python .* pure-Python .*PURE_PYTHON=1\)$/m);
  for (const id of ['cpython-3.12', 'cpython-3.12-pure', 'cpython-3.13-pyrec']) {
    const wheels = path.join(emptyWheels, id.includes('3.12') ? 'cp312' : 'cp313');
    assert.ok(r.out.includes(`stacks: ${id}: skipped: no gevent and greenlet wheels in ${wheels} (set GREENLET_LENS_PYSTACKS`), r.out);
  }
});

test('a missing interpreter skips its stack only', () => {
  const r = stacks(['plan'], { GREENLET_LENS_PYTHON_3_13: path.join(dir, 'no-python3.13') });
  assert.match(r.out, /^stacks: cpython-3\.13-pyrec: skipped: GREENLET_LENS_PYTHON_3_13=.*no-python3\.13 does not exist$/m);
  assert.match(r.out, /^stacks: debian-3\.11: Python/m);
});

test('the matrix runs the suites on every ready stack with its Python and mode, and counts each', () => {
  const suite = path.join(dir, 'suite');
  fs.mkdirSync(suite);
  // Passes everywhere, except one test that fails in pure-Python mode.
  fs.writeFileSync(path.join(suite, 'probe.test.js'), `
    const { test } = require('node:test');
    const assert = require('node:assert');
    test('the stack is named', () => assert.match(process.env.GREENLET_LENS_STACK, /^debian-3\\.11/));
    test('the Python is given', () => assert.equal(process.env.GREENLET_LENS_PYTHON, '/usr/bin/python3'));
    test('compiled only', () => assert.notEqual(process.env.PURE_PYTHON, '1'));
  `);
  const r = stacks(['test', suite], {});
  assert.equal(r.status, 1, `a failing stack fails the matrix\n${r.out}`);
  assert.match(r.out, /=== stack 1\/2: debian-3\.11: Python .* ===/);
  assert.match(r.out, /=== stack 2\/2: debian-3\.11-pure: Python .* \(PURE_PYTHON=1\) · 1 files ===/);
  assert.match(r.out, /^ {2}debian-3\.11 +Python .* 3\/3 passed {2}\d+ s$/m);
  assert.match(r.out, /^ {2}debian-3\.11-pure +Python .* 2\/3 passed \(1 failed\) {2}\d+ s$/m);
  // CI may show only the tail: the failing test is named there, with its place.
  assert.match(r.out, /^ {2}debian-3\.11-pure .*\n {6}✖ compiled only {2}\(.*probe\.test\.js:\d+:\d+\)$/m);
  assert.match(r.out, /^ {2}cpython-3\.12 +skipped: no gevent and greenlet wheels/m);
  assert.match(r.out, /^ {2}the matrix took \d+ s$/m);
});

test('the DAP suite runs whole on an old and a new gevent, its gevent-internals part in pure-Python mode, and not on the second compiled stack', () => {
  const files = ['out/test/integration/view.test.js', 'out/test/dap/launch.test.js', 'out/test/dap/stops.test.js'];
  // The script is an ES module; this suite is CommonJS.
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { STACKS, filesFor } from ${JSON.stringify(pathToFileURL(SCRIPT).href)};
    const files = ${JSON.stringify(files)};
    console.log(JSON.stringify(Object.fromEntries(STACKS.map((s) => [s.id, filesFor(s, files).map((f) => f.split('/').pop())]))));
  `], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const runs = JSON.parse(r.stdout) as Record<string, string[]>;
  assert.deepEqual(runs, {
    'debian-3.11': ['view.test.js', 'launch.test.js', 'stops.test.js'],
    'debian-3.11-pure': ['view.test.js', 'stops.test.js'],
    'cpython-3.12': ['view.test.js'],
    'cpython-3.12-pure': ['view.test.js', 'stops.test.js'],
    'cpython-3.13-pyrec': ['view.test.js', 'launch.test.js', 'stops.test.js'],
  });
});

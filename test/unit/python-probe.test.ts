/**
 * The one interpreter probe (shared/node/python-probe.ts) against real
 * interpreters: the runtime's own probe module answers, in the environment
 * the program will get; a Python without greenlet, one that cannot be run and
 * one that hangs are told apart. Both the async (adapter, extension) and the
 * sync (CLI) form give the same answers.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { installCommands, mergeEnv, probePython, probePythonSync, type ProbeResult } from '../../shared/node/python-probe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glx-probe-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const PYTHON = '/usr/bin/python3';

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

async function both(python: string, options: Parameters<typeof probePython>[1] = {}): Promise<ProbeResult> {
  const a = await probePython(python, options);
  const b = probePythonSync(python, options);
  assert.deepEqual(b, a, 'the sync probe answers as the async one');
  return a;
}

test("a Python with gevent: its versions as the runtime reports them, in gevent mode", async () => {
  const r = await both(PYTHON);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.mode, 'gevent');
  assert.match(r.info.python, /^3\.\d+\.\d+$/);
  assert.match(r.info.gevent ?? '', /^\d+\.\d+/);
  assert.match(r.info.greenlet ?? '', /^\d+\.\d+/);
  assert.equal(r.info.compiled, true);
  const pure = await both(PYTHON, { env: { ...process.env, PURE_PYTHON: '1' } });
  assert.ok(pure.ok && pure.info.compiled === false, 'PURE_PYTHON=1 in the environment selects the pure-Python build');
});

test('the environment decides: a PYTHONPATH gevent that fails to import leaves greenlet mode, with the reason', async () => {
  const site = path.join(dir, 'site');
  fs.mkdirSync(path.join(site, 'gevent'), { recursive: true });
  fs.writeFileSync(path.join(site, 'gevent', '__init__.py'), 'raise ImportError("fake gevent says no")\n');
  const r = await both(PYTHON, { env: mergeEnv(process.env, { PYTHONPATH: site }), cwd: dir });
  assert.ok(r.ok);
  assert.equal(r.mode, 'greenlet');
  assert.equal(r.info.gevent, null);
  assert.equal(r.info.importErrors.gevent, 'ImportError: fake gevent says no');
});

test('no greenlet, not found, not a Python, and hanging are each said apart', async () => {
  assert.deepEqual(await both(script('no-site-python', `exec ${PYTHON} -S "$@"`)),
    { ok: false, reason: 'noGreenlet', detail: "ModuleNotFoundError: No module named 'greenlet'" });
  assert.deepEqual(await both(path.join(dir, 'no-such-python')), { ok: false, reason: 'notFound', detail: 'not found' });
  assert.deepEqual(await both(script('broken-python', 'echo "python: broken install" >&2; exit 1')),
    { ok: false, reason: 'failed', detail: 'python: broken install' });
  const slow = await both(script('slow-python', 'sleep 5'), { timeoutMs: 300 });
  assert.equal(slow.ok === false && slow.reason, 'timeout');
});

test('install commands quote an interpreter path a shell would split', () => {
  assert.equal(installCommands('python3').pip, 'python3 -m pip install gevent');
  assert.equal(installCommands('/home/me/my env/bin/python').pip, '"/home/me/my env/bin/python" -m pip install gevent');
  assert.equal(installCommands('python3').apt, 'sudo apt-get install python3-gevent');
});

test('mergeEnv adds, replaces and (with null) removes variables', () => {
  assert.deepEqual(mergeEnv({ A: '1', B: '2' }, { B: '3', C: '4', A: null }), { B: '3', C: '4' });
  assert.deepEqual(mergeEnv({ A: '1' }, undefined), { A: '1' });
});

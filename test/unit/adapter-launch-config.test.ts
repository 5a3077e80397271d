import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { AdapterError, AdapterErrorId } from '../../debug-adapter/errors';
import { validateAttach, validateLaunch } from '../../debug-adapter/runtime/launch-config';
import { debuggeeEnv, runtimeArgs, runtimeDir } from '../../debug-adapter/runtime/launcher';
import { checkPython } from '../../debug-adapter/runtime/python';
import { defaultSecretFile } from '../../debug-adapter/runtime/secret';
import type { AttachArguments, LaunchArguments } from '../../shared/protocol/custom-dap';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-cfg-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const app = path.join(dir, 'app.py');
fs.writeFileSync(app, 'print(1)\n');

const launch = (a: Record<string, unknown>) => validateLaunch(a as LaunchArguments, dir);
const attach = (a: Record<string, unknown>) => validateAttach(a as unknown as AttachArguments, dir);

function fails(fn: () => unknown, id: AdapterErrorId, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AdapterError, String(e));
    assert.equal(AdapterErrorId[e.id], AdapterErrorId[id]);
    assert.match(e.message, message);
    return true;
  });
}

test('launch: a valid configuration is resolved against cwd, with defaults', () => {
  const c = launch({ program: 'app.py', args: ['-x'], env: { A: '1', B: null }, type: 'greenlet', request: 'launch', name: 'x' });
  assert.deepEqual(c.target, { kind: 'program', path: app });
  assert.deepEqual(
    [c.cwd, c.args, c.env, c.python, c.stopOnEntry, c.justMyCode, c.blockedLoopMs, c.maxThreads, c.trace],
    [dir, ['-x'], { A: '1', B: null }, 'python3', false, true, 100, 200, null],
  );
  const m = launch({ module: 'pkg.app', trace: 'run.glt', maxThreads: 5, blockedLoopMs: 0 });
  assert.deepEqual([m.target, m.trace, m.maxThreads, m.blockedLoopMs], [{ kind: 'module', name: 'pkg.app' }, path.join(dir, 'run.glt'), 5, 0]);
});

test('launch: each mistake is named, with the attribute', () => {
  fails(() => launch({}), AdapterErrorId.NoTarget, /give "program" \(a Python file\) or "module"/);
  fails(() => launch({ program: 'app.py', module: 'x' }), AdapterErrorId.NoTarget, /not both/);
  fails(() => launch({ program: 'missing.py' }), AdapterErrorId.ProgramNotFound, /"program" ".*missing\.py" does not exist/);
  fails(() => launch({ program: '.' }), AdapterErrorId.ProgramNotFound, /is a directory/);
  fails(() => launch({ program: 'app.py', cwd: 'nowhere' }), AdapterErrorId.CwdNotFound, /"cwd" ".*nowhere" is not an existing directory/);
  fails(() => launch({ program: 42 }), AdapterErrorId.InvalidConfig, /"program" must be a string, not number 42/);
  fails(() => launch({ program: 'app.py', args: 'a b' }), AdapterErrorId.InvalidConfig, /"args" must be an array of strings/);
  fails(() => launch({ program: 'app.py', args: [1] }), AdapterErrorId.InvalidConfig, /"args" must be an array of strings, not an array/);
  fails(() => launch({ program: 'app.py', env: { A: 1 } }), AdapterErrorId.InvalidConfig, /"env" must be an object of strings \(or null to unset a variable\)/);
  fails(() => launch({ program: 'app.py', env: ['A=1'] }), AdapterErrorId.InvalidConfig, /"env" must be an object/);
  fails(() => launch({ program: 'app.py', stopOnEntry: 'yes' }), AdapterErrorId.InvalidConfig, /"stopOnEntry" must be true or false/);
  assert.equal(launch({ program: 'app.py', python: '' }).python, 'python3', 'an empty python is the default one');
  fails(() => launch({ program: 'app.py', blockedLoopMs: -1 }), AdapterErrorId.InvalidConfig, /"blockedLoopMs" must be a number of milliseconds/);
  fails(() => launch({ program: 'app.py', maxThreads: 0 }), AdapterErrorId.InvalidConfig, /"maxThreads" must be an integer of 1 or more, not number 0/);
  fails(() => launch({ module: 'two words' }), AdapterErrorId.InvalidConfig, /"module" must be a module name/);
  fails(() => launch({ program: 'app.py', followChildren: 'yes' }), AdapterErrorId.InvalidConfig, /"followChildren" must be true or false, not string "yes"/);
  fails(() => launch({ program: 'app.py', followChildren: true, subProcess: false }), AdapterErrorId.InvalidConfig,
    /"followChildren": true debugs the new Pythons the program starts besides its forked children, but "subProcess": false debugs no child: remove one of them/);
});

test('launch: which children are followed, as record [--follow-children] says', () => {
  const follows = (a: Record<string, unknown>) => {
    const c = launch({ program: 'app.py', ...a });
    return [c.subProcess, c.followSpawned];
  };
  assert.deepEqual(follows({}), [true, false], 'forked children only, by default');
  assert.deepEqual(follows({ followChildren: true }), [true, true]);
  assert.deepEqual(follows({ followChildren: true, subProcess: true }), [true, true]);
  assert.deepEqual(follows({ followChildren: false }), [true, false]);
  assert.deepEqual(follows({ subProcess: false }), [false, false]);
  assert.deepEqual(follows({ subProcess: false, followChildren: false }), [false, false]);
});

test('attach: port required, IPv4 loopback only, secret options resolved', () => {
  const c = attach({ port: 5678, secretFile: 's.secret' });
  assert.deepEqual([c.host, c.port, c.secret, c.secretFile], ['127.0.0.1', 5678, null, path.join(dir, 's.secret')]);
  fails(() => attach({}), AdapterErrorId.InvalidConfig, /"port" is required/);
  fails(() => attach({ port: 70000 }), AdapterErrorId.InvalidConfig, /"port"/);
  // "localhost" may resolve to ::1 first; the runtime is dialled where it listens.
  assert.equal(attach({ port: 5678, host: 'localhost' }).host, '127.0.0.1');
  for (const host of ['10.0.0.2', '::1', '0.0.0.0', '127.0.0.2']) {
    fails(() => attach({ port: 5678, host }), AdapterErrorId.InvalidConfig, /"host" must be "127\.0\.0\.1" or "localhost": the runtime listens on IPv4 loopback only/);
  }
  // In the user's private folder, as greenlet_lens listen writes it.
  assert.equal(defaultSecretFile(5678), path.join(os.tmpdir(), `greenlet-lens-${process.getuid!()}`, 'port-5678.secret'));
});

test('launch: without cwd the program runs in its own folder; a relative python is the cwd\'s', () => {
  const sub = path.join(dir, 'sub');
  fs.mkdirSync(sub, { recursive: true });
  fs.writeFileSync(path.join(sub, 'tool.py'), 'print(2)\n');
  const c = launch({ program: 'sub/tool.py', python: '.venv/bin/python' });
  assert.deepEqual([c.target, c.cwd, c.python], [{ kind: 'program', path: path.join(sub, 'tool.py') }, sub, path.join(sub, '.venv/bin/python')]);
  const given = launch({ program: 'tool.py', cwd: 'sub', python: '../py/python3' });
  assert.deepEqual([given.cwd, given.python], [sub, path.join(dir, 'py/python3')]);
  assert.equal(launch({ module: 'pkg.app', python: 'python3.11' }).python, 'python3.11', 'a bare name is looked up on PATH');
  assert.equal(launch({ module: 'pkg.app' }).cwd, dir, 'a module runs in the base folder');
});

test('launcher: the runtime command line and environment', () => {
  const c = launch({ program: 'app.py', args: ['a', '--b'], trace: 'out.glt', env: { PYTHONPATH: '/mine', DROP: null, KEEP: 'k' } });
  assert.deepEqual(runtimeArgs(c), ['-m', 'greenlet_lens', 'debug', '--trace', path.join(dir, 'out.glt'), '--', app, 'a', '--b']);
  assert.deepEqual(runtimeArgs(launch({ module: 'pkg.app', args: ['z'] })), ['-m', 'greenlet_lens', 'debug', '-m', 'pkg.app', 'z']);
  const rt = runtimeDir();
  assert.ok(fs.existsSync(path.join(rt, 'greenlet_lens', '__main__.py')), rt);
  const env = debuggeeEnv(c, { DROP: 'x', PATH: '/bin' }, { GREENLET_LENS_SECRET: 'ab' }, rt);
  assert.deepEqual(
    [env['PYTHONPATH'], env['DROP'], env['KEEP'], env['PATH'], env['GREENLET_LENS_SECRET'], env['PYTHONUNBUFFERED']],
    [`${rt}${path.delimiter}/mine`, undefined, 'k', '/bin', 'ab', '1'],
  );
  assert.ok(!('DROP' in env));
});

test('python check: a missing interpreter and one without greenlet are told apart, with the install commands', async () => {
  await assert.rejects(checkPython(path.join(dir, 'no-python'), process.env, dir), (e: AdapterError) =>
    e.id === AdapterErrorId.PythonNotFound && /not found/.test(e.message));
  const wrapper = path.join(dir, 'python-without-gevent');
  fs.writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
  await assert.rejects(checkPython(wrapper, process.env, dir), (e: AdapterError) => {
    assert.equal(e.id, AdapterErrorId.GeventMissing);
    assert.match(e.message, /cannot import gevent, nor greenlet for plain greenlet programs \(ModuleNotFoundError: No module named 'greenlet'\)/);
    assert.match(e.message, /sudo apt-get install python3-gevent/);
    assert.ok(e.message.includes(`${wrapper} -m pip install gevent`));
    return true;
  });
  const info = await checkPython('/usr/bin/python3', process.env, dir);
  assert.match(`${info.gevent} ${info.greenlet}`, /^\d+\.\d+.* \d+\.\d+/, 'what it offers, for the session to say');
});

test('python check: runs in the launch\'s cwd with its environment, as the program will', async () => {
  const work = path.join(dir, 'work');
  fs.mkdirSync(path.join(work, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(work, 'marker'), '');
  // An interpreter that only works in `work` with GL_CHECK=1, and is named relative to it.
  const py = path.join(work, 'bin', 'python');
  fs.writeFileSync(py, '#!/bin/sh\n[ -f ./marker ] && [ "$GL_CHECK" = 1 ] || { echo "ImportError: wrong cwd or env" >&2; exit 1; }\nexec /usr/bin/python3 "$@"\n', { mode: 0o755 });
  const c = launch({ program: '../app.py', cwd: 'work', python: 'bin/python', env: { GL_CHECK: '1' } });
  assert.equal(c.python, py);
  await checkPython(c.python, debuggeeEnv(c, process.env, {}, runtimeDir()), c.cwd);
  await assert.rejects(checkPython(c.python, process.env, c.cwd), (e: AdapterError) => e.id === AdapterErrorId.GeventMissing);
});

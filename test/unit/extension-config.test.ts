import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dynamicConfigurations, INITIAL_CONFIGURATIONS } from '../../extension/configurations';
import { formatDapMessage, formatDapNote } from '../../extension/dap-log';
import { ExtensionError, ExtensionErrorCode } from '../../extension/errors';
import {
  completeConfiguration,
  configurationProblems,
  currentFileConfiguration,
  invalidConfigurationError,
  isEmptyConfiguration,
} from '../../extension/launch-config';
import { threadTargetFromArgs } from '../../extension/thread-target';

test('F5 on a saved Python file with no launch.json launches that file from the workspace folder', () => {
  assert.ok(isEmptyConfiguration({}));
  assert.ok(!isEmptyConfiguration({ type: 'greenlet', request: 'launch', name: 'x' }));
  const config = currentFileConfiguration({ languageId: 'python', isFile: true, fsPath: '/ws/app/main.py' }, '/ws');
  assert.deepEqual(config, { type: 'greenlet', request: 'launch', name: 'Greenlet Lens: main.py', program: '/ws/app/main.py', cwd: '/ws' });
  assert.deepEqual(configurationProblems(config), []);
  // No folder open: the file's own folder, as `python main.py` run there.
  assert.equal(currentFileConfiguration({ languageId: 'python', isFile: true, fsPath: '/tmp/x/main.py' }, undefined)['cwd'], '/tmp/x');
});

test('F5 without a saved Python file explains what is needed instead of launching', () => {
  const attempt = (active: Parameters<typeof currentFileConfiguration>[0]): ExtensionError => {
    try {
      currentFileConfiguration(active, '/ws');
    } catch (err) {
      assert.ok(err instanceof ExtensionError);
      return err;
    }
    assert.fail('expected an error');
  };
  const none = attempt(undefined);
  assert.equal(none.code, ExtensionErrorCode.NoPythonFile);
  assert.match(none.message, /open a Python file/);
  assert.match(attempt({ languageId: 'markdown', isFile: true, fsPath: '/ws/README.md' }).message, /open a Python file/);
  assert.match(attempt({ languageId: 'python', isFile: false, fsPath: 'Untitled-1' }).message, /save the Python file/);
});

test('launch validation: exactly one of program and module, and every attribute of the right type', () => {
  const base = { type: 'greenlet', request: 'launch', name: 'n' };
  assert.deepEqual(configurationProblems({ ...base, module: 'app' }), []);
  assert.deepEqual(configurationProblems({ ...base }), ['give "program" (a Python file) or "module" (run as python -m MODULE).']);
  assert.deepEqual(configurationProblems({ ...base, program: 'a.py', module: 'a' }), ['give either "program" or "module", not both.']);
  assert.deepEqual(
    configurationProblems({
      ...base, program: 'a.py', args: ['x', 1], env: { A: 'a', B: null, C: 3 }, stopOnEntry: 'yes',
      blockedLoopMs: -1, maxThreads: 0, python: 3, __sessionId: 'ignored', preLaunchTask: 'ignored',
    }),
    [
      '"args" must be an array of strings, not an array.',
      '"env" must be an object of strings (or null to unset a variable), not an object.',
      '"python" must be a string, not number 3.',
      '"stopOnEntry" must be true or false, not string "yes".',
      '"blockedLoopMs" must be a number of milliseconds, 0 or more (0 turns blocked-loop detection off), not number -1.',
      '"maxThreads" must be an integer of 1 or more, not number 0.',
    ],
  );
  assert.deepEqual(configurationProblems({ ...base, program: 'a.py', blockedLoopMs: 0, maxThreads: 1, env: { A: null } }), []);
  assert.deepEqual(configurationProblems({ ...base, program: 'a.py', blockedLoopMs: 2.5, python: null, trace: null }), [], 'null is unset');
});

test('attach validation: port required and in range; request must be launch or attach', () => {
  const base = { type: 'greenlet', request: 'attach', name: 'n' };
  assert.deepEqual(configurationProblems({ ...base, port: 5679 }), []);
  assert.match(configurationProblems({ ...base })[0]!, /"port" is required/);
  assert.deepEqual(configurationProblems({ ...base, port: 70000 }), ['"port" must be an integer from 1 to 65535, not number 70000.']);
  assert.deepEqual(configurationProblems({ ...base, port: 1, program: 3 }), [], 'launch-only attributes are not attach\'s to judge');
  assert.deepEqual(configurationProblems({ type: 'greenlet', name: 'n' }), ['"request" must be "launch" or "attach", not undefined.']);
  const err = invalidConfigurationError('Mine', ['a.', 'b.']);
  assert.equal(err.code, ExtensionErrorCode.InvalidConfiguration);
  assert.equal(err.message, 'Greenlet Lens cannot start "Mine": a. b.');
});

test('completing a configuration makes program and cwd absolute, as `cd CWD && python PROGRAM` would', () => {
  const launch = { type: 'greenlet', request: 'launch', name: 'n' };
  assert.deepEqual(completeConfiguration({ ...launch, program: 'app.py' }, '/ws'), { ...launch, program: '/ws/app.py', cwd: '/ws' });
  assert.deepEqual(completeConfiguration({ ...launch, program: 'app.py', cwd: 'sub' }, '/ws'), { ...launch, program: '/ws/sub/app.py', cwd: '/ws/sub' });
  assert.deepEqual(completeConfiguration({ ...launch, program: '/abs/app.py' }, undefined), { ...launch, program: '/abs/app.py', cwd: '/abs' });
  assert.deepEqual(completeConfiguration({ ...launch, module: 'pkg.main' }, '/ws'), { ...launch, module: 'pkg.main', cwd: '/ws' });
  assert.deepEqual(completeConfiguration({ ...launch, module: 'pkg.main' }, undefined), { ...launch, module: 'pkg.main' });
  const attach = { type: 'greenlet', request: 'attach', port: 5679 };
  assert.deepEqual(completeConfiguration(attach, '/ws'), { ...attach, name: 'Greenlet Lens: attach' });
});

test('initial and dynamic configurations are valid once their variables are substituted', () => {
  for (const config of INITIAL_CONFIGURATIONS) {
    const substituted = JSON.parse(JSON.stringify(config).replace(/\$\{file\}/g, '/ws/a.py').replace(/\$\{workspaceFolder\}/g, '/ws'));
    assert.deepEqual(configurationProblems(substituted), [], config.name);
  }
  const dynamic = dynamicConfigurations('/ws/svc/main.py');
  assert.deepEqual(dynamic[0], { type: 'greenlet', request: 'launch', name: 'Greenlet Lens: main.py', program: '/ws/svc/main.py' });
  assert.equal(dynamic[1]!.request, 'attach');
  assert.deepEqual(dynamicConfigurations(undefined).map((c) => c.request), ['attach']);
  for (const config of dynamic) assert.deepEqual(configurationProblems(config), [], config.name);
});

test('Run to Greenlet finds the thread in what the Call Stack context menu passes', () => {
  // VS Code passes the DAP thread id, then {sessionId, threadId: "thread:<session>:<id>"}.
  assert.deepEqual(threadTargetFromArgs([7, { sessionId: 's-1', threadId: 'thread:s-1:7' }]), { threadId: 7, sessionId: 's-1' });
  // A thread id of 0 is not forwarded (VS Code drops a falsy menu argument): the context object still has it.
  assert.deepEqual(threadTargetFromArgs([{ sessionId: 's-1', threadId: 'thread:s-1:0' }]), { threadId: 0, sessionId: 's-1' });
  // A stack frame's context names its thread too.
  assert.deepEqual(
    threadTargetFromArgs(['file:///a.py', { sessionId: 'a:b', threadId: 'thread:a:b:12', frameId: 'stackframe:x' }]),
    { threadId: 12, sessionId: 'a:b' },
  );
  assert.deepEqual(threadTargetFromArgs([{ threadId: 3 }]), { threadId: 3 });
  assert.deepEqual(threadTargetFromArgs([5]), { threadId: 5 });
  assert.equal(threadTargetFromArgs([]), undefined);
  assert.equal(threadTargetFromArgs([{ sessionId: 's' }, 'x', -1, 1.5, null]), undefined);
});

test('DAP log lines: time, session, direction and the message as JSON, bounded', () => {
  const at = new Date(2024, 0, 1, 9, 5, 7, 42);
  const request = { seq: 1, type: 'request', command: 'stepSwitch', arguments: {} };
  assert.equal(
    formatDapMessage('toAdapter', 'app.py', request, at),
    '09:05:07.042 [app.py] VS Code → adapter: {"seq":1,"type":"request","command":"stepSwitch","arguments":{}}',
  );
  assert.match(formatDapMessage('fromAdapter', 's', { type: 'event' }, at), /adapter → VS Code: \{"type":"event"\}$/);
  assert.match(formatDapMessage('fromAdapter', 's', { body: 'x'.repeat(100) }, at, 20), /: \{"body":"x{11}… \(91 more characters\)$/);
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.match(formatDapMessage('toAdapter', 's', cyclic, at), /<unserialisable message: /);
  assert.equal(formatDapNote('s', 'session stopping', at), '09:05:07.042 [s] session stopping');
});

test('a replay configuration needs no program and no Python, and refuses one', () => {
  assert.deepEqual(configurationProblems({ type: 'greenlet', request: 'launch', name: 'r', replay: '/tmp/run.glt' }), []);
  const both = configurationProblems({ type: 'greenlet', request: 'launch', name: 'r', replay: '/tmp/run.glt', program: 'app.py' });
  assert.equal(both.length, 1);
  assert.match(both[0]!, /replay/);
});

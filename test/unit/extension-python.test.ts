import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ExtensionError, ExtensionErrorCode } from '../../extension/errors';
import {
  absoluteIfRelativePath,
  interpreterCandidates,
  selectInterpreter,
  type InterpreterInputs,
} from '../../extension/python-choice';
import type { ProbeResult } from '../../shared/node/python-probe';
import { environmentsApi, selectedInterpreter, type PythonEnvironmentsApi } from '../../extension/python-extension-api';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glx-python-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function inputs(overrides: Partial<InterpreterInputs>): InterpreterInputs {
  return {
    fromConfiguration: undefined,
    fromSetting: undefined,
    fromPythonExtension: () => Promise.resolve(undefined),
    platform: 'linux',
    baseDir: '/ws',
    ...overrides,
  };
}

test('interpreter order: configuration, then setting, then the Python extension, then python3 and /usr/bin/python3', async () => {
  const ext = () => Promise.resolve('/venv/bin/python');
  assert.deepEqual(await interpreterCandidates(inputs({ fromConfiguration: '/c/python', fromSetting: '/s/python', fromPythonExtension: ext })), [
    { command: '/c/python', source: 'configuration' },
  ]);
  assert.deepEqual(await interpreterCandidates(inputs({ fromSetting: '/s/python', fromPythonExtension: ext })), [
    { command: '/s/python', source: 'setting' },
  ]);
  assert.deepEqual(await interpreterCandidates(inputs({ fromSetting: '  ', fromPythonExtension: ext })), [
    { command: '/venv/bin/python', source: 'pythonExtension' },
  ]);
  assert.deepEqual(await interpreterCandidates(inputs({})), [
    { command: 'python3', source: 'default' },
    { command: '/usr/bin/python3', source: 'default' },
  ]);
  assert.deepEqual(await interpreterCandidates(inputs({ platform: 'win32' })), [{ command: 'python', source: 'default' }]);
});

test('the Python extension is only asked when neither the configuration nor the setting names an interpreter', async () => {
  let asked = 0;
  const ext = () => { asked++; return Promise.resolve(undefined); };
  await interpreterCandidates(inputs({ fromConfiguration: 'python3.11', fromPythonExtension: ext }));
  await interpreterCandidates(inputs({ fromSetting: 'python3.11', fromPythonExtension: ext }));
  assert.equal(asked, 0);
  await interpreterCandidates(inputs({ fromConfiguration: '', fromSetting: '', fromPythonExtension: ext }));
  assert.equal(asked, 1);
});

test('relative interpreter paths are taken from the workspace folder; bare commands are left to PATH', () => {
  assert.equal(absoluteIfRelativePath('.venv/bin/python', '/ws'), '/ws/.venv/bin/python');
  assert.equal(absoluteIfRelativePath('./venv/bin/python', '/ws'), '/ws/venv/bin/python');
  assert.equal(absoluteIfRelativePath('python3', '/ws'), 'python3');
  assert.equal(absoluteIfRelativePath('/usr/bin/python3', '/ws'), '/usr/bin/python3');
  assert.equal(absoluteIfRelativePath('.venv/bin/python', undefined), '.venv/bin/python');
});

function fakeProbe(results: Record<string, ProbeResult>): (command: string) => Promise<ProbeResult> {
  return (command) => Promise.resolve(results[command] ?? { ok: false, reason: 'notFound', detail: 'not found' });
}

/** What the probe answers for a Python with greenlet, and gevent unless it is null. */
function has(gevent: string | null): ProbeResult {
  const info = { python: '3.11.2', implementation: 'cpython', greenlet: '2.0.2', gevent, loop: null, compiled: gevent === null ? null : true, importErrors: {} };
  return { ok: true, info, mode: gevent === null ? 'greenlet' : 'gevent' };
}
const NOTHING: ProbeResult = { ok: false, reason: 'noGreenlet', detail: "ModuleNotFoundError: No module named 'greenlet'" };

test('the first default that has gevent wins, over an earlier one with greenlet only', async () => {
  const chosen = await selectInterpreter(
    await interpreterCandidates(inputs({})),
    fakeProbe({ python3: has(null), '/usr/bin/python3': has('22.10.2') }),
  );
  assert.deepEqual(chosen, { command: '/usr/bin/python3', source: 'default', mode: 'gevent' });
});

test('without gevent anywhere, the first default with greenlet is chosen to debug plain greenlet programs', async () => {
  const chosen = await selectInterpreter(
    await interpreterCandidates(inputs({})),
    fakeProbe({ python3: NOTHING, '/usr/bin/python3': has(null) }),
  );
  assert.deepEqual(chosen, { command: '/usr/bin/python3', source: 'default', mode: 'greenlet' });
  const named = await selectInterpreter([{ command: '/opt/py/bin/python', source: 'configuration' }], fakeProbe({ '/opt/py/bin/python': has(null) }));
  assert.equal(named.mode, 'greenlet');
});

async function rejection(work: Promise<unknown>): Promise<ExtensionError> {
  try {
    await work;
  } catch (err) {
    assert.ok(err instanceof ExtensionError, String(err));
    return err;
  }
  assert.fail('expected a rejection');
}

test('a named interpreter with neither gevent nor greenlet is refused with both install commands, not replaced', async () => {
  const probed: string[] = [];
  const err = await rejection(selectInterpreter([{ command: '/opt/py/bin/python', source: 'setting' }], (c) => {
    probed.push(c);
    return Promise.resolve(NOTHING);
  }));
  assert.deepEqual(probed, ['/opt/py/bin/python']);
  assert.equal(err.code, ExtensionErrorCode.GeventMissing);
  assert.match(err.message, /greenletLens\.python setting, \/opt\/py\/bin\/python, cannot import either \(ModuleNotFoundError/);
  assert.ok(err.message.includes('"sudo apt-get install python3-gevent"'), err.message);
  assert.ok(err.message.includes('"/opt/py/bin/python -m pip install gevent"'), err.message);
  assert.deepEqual(err.actions.map((a) => a.kind), ['copy', 'openSettings']);
  assert.deepEqual(err.actions[0], { kind: 'copy', label: 'Copy pip Command', text: '/opt/py/bin/python -m pip install gevent' });
});

test('when no default runs at all the error says so, listing every command tried', async () => {
  const err = await rejection(selectInterpreter(await interpreterCandidates(inputs({})), fakeProbe({})));
  assert.equal(err.code, ExtensionErrorCode.PythonNotFound);
  assert.match(err.message, /tried python3: not found; \/usr\/bin\/python3: not found/);
});

test('when one default runs without greenlet, the message is about installing gevent for it', async () => {
  const err = await rejection(selectInterpreter(
    await interpreterCandidates(inputs({})),
    fakeProbe({ '/usr/bin/python3': { ok: false, reason: 'noGreenlet', detail: 'no greenlet' } }),
  ));
  assert.equal(err.code, ExtensionErrorCode.GeventMissing);
  assert.match(err.message, /the default, \/usr\/bin\/python3, cannot import either/);
  assert.ok(err.message.includes('/usr/bin/python3 -m pip install gevent'));
});

function fakeApi(active: { id: string; path: string } | undefined, executable: string | undefined): PythonEnvironmentsApi & { resources: unknown[] } {
  const resources: unknown[] = [];
  return {
    resources,
    getActiveEnvironmentPath: (resource?: unknown) => { resources.push(resource); return active; },
    resolveEnvironment: () => Promise.resolve(executable === undefined ? undefined : { executable: { uri: { fsPath: executable } } }),
  };
}

test('the Python extension API: shape checked, resolved executable preferred, an unselected default ignored', async () => {
  assert.equal(environmentsApi(undefined), undefined);
  assert.equal(environmentsApi({}), undefined);
  assert.equal(environmentsApi({ environments: { getActiveEnvironmentPath: () => undefined } }), undefined);
  const api = fakeApi({ id: 'x', path: '/venv' }, '/venv/bin/python');
  assert.equal(environmentsApi({ environments: api }), api);
  assert.equal(await selectedInterpreter(api, 'folder-uri'), '/venv/bin/python');
  assert.deepEqual(api.resources, ['folder-uri']);
  assert.equal(await selectedInterpreter(fakeApi({ id: 'y', path: '/venv2/bin/python' }, undefined), undefined), '/venv2/bin/python');
  assert.equal(await selectedInterpreter(fakeApi({ id: 'DEFAULT_PYTHON', path: 'python' }, '/usr/bin/python'), undefined), undefined);
});

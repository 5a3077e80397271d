// The vscode glue (configuration provider, adapter factory, traffic logger,
// commands) run against a hand-made `vscode` module: what reaches the user
// and what reaches the adapter, for the paths a real editor takes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import type * as vscode from 'vscode';
import { loadWithFakeVscode } from '../support/fake-vscode-loader';
import { ANSWER_PROBE } from '../support/probe-answer';

const ROOT = path.join(__dirname, '..', '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glx-glue-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
const PY_OK = script('python-with-gevent', `${ANSWER_PROBE}\nexit 1`);
const PY_NO_GEVENT = script('python-without-gevent', `echo "ModuleNotFoundError: No module named 'gevent'" >&2; exit 1`);

// ---- the fake editor -------------------------------------------------------

interface Recorded { errors: string[]; logged: string[]; requests: [string, string, unknown][]; dapLines: string[] }
const recorded: Recorded = { errors: [], logged: [], requests: [], dapLines: [] };
let settings: Record<string, unknown> = {};
let activeEditor: unknown;
let pythonExtension: unknown;
let activeSession: FakeSession | undefined;
const commandHandlers = new Map<string, (...args: unknown[]) => unknown>();
const sessionStarted: ((s: FakeSession) => void)[] = [];

class FakeSession {
  constructor(readonly id: string, readonly type = 'greenlet', readonly name = 'app.py', readonly configuration = {}) {}
  customRequest(command: string, args?: object): Promise<unknown> {
    recorded.requests.push([this.id, command, args]);
    return command === 'runToGreenlet' && (args as { threadId: number }).threadId === 99
      ? Promise.reject(new Error('no greenlet 99'))
      : Promise.resolve({});
  }
}

const disposable = { dispose: () => undefined };
const fakeVscode = {
  workspace: {
    getConfiguration: () => ({ get: (key: string, dflt?: unknown) => settings[key] ?? dflt }),
  },
  window: {
    get activeTextEditor() { return activeEditor; },
    showErrorMessage: (message: string) => { recorded.errors.push(message); return Promise.resolve(undefined); },
  },
  extensions: { getExtension: () => pythonExtension },
  env: { clipboard: { writeText: () => Promise.resolve() } },
  commands: {
    registerCommand: (name: string, handler: (...args: unknown[]) => unknown) => { commandHandlers.set(name, handler); return disposable; },
    executeCommand: () => Promise.resolve(),
  },
  debug: {
    get activeDebugSession() { return activeSession; },
    onDidStartDebugSession: (listener: (s: FakeSession) => void) => { sessionStarted.push(listener); return disposable; },
    onDidTerminateDebugSession: () => disposable,
  },
  DebugAdapterInlineImplementation: class { constructor(readonly implementation: unknown) {} },
  DebugAdapterExecutable: class { constructor(readonly command: string, readonly args: string[]) {} },
};

function load<T>(modulePath: string): T {
  return loadWithFakeVscode<T>(fakeVscode, require.resolve(modulePath));
}

const { GreenletConfigurationProvider } = load<typeof import('../../extension/configuration-provider')>('../../extension/configuration-provider');
const { GreenletAdapterFactory } = load<typeof import('../../extension/adapter-factory')>('../../extension/adapter-factory');
const { DapTrafficLogger } = load<typeof import('../../extension/dap-tracker')>('../../extension/dap-tracker');
const { registerCommands, SessionRegistry } = load<typeof import('../../extension/commands')>('../../extension/commands');
const { ErrorReporter } = load<typeof import('../../extension/show-error')>('../../extension/show-error');

const log = {
  error: (m: string) => recorded.logged.push(`error ${m}`),
  warn: (m: string) => recorded.logged.push(`warn ${m}`),
} as unknown as vscode.LogOutputChannel;
const dapChannel = { appendLine: (l: string) => recorded.dapLines.push(l), show: () => undefined } as unknown as vscode.OutputChannel;
const errors = new ErrorReporter(log);
const provider = new GreenletConfigurationProvider(errors);

test('"Create a launch.json file" gets each configuration once: package.json\'s initialConfigurations, nothing provided on top', () => {
  // VS Code concatenates an Initial provider's configurations with package.json's.
  assert.equal((provider as unknown as { provideDebugConfigurations?: unknown }).provideDebugConfigurations, undefined);
});
const folder = { uri: { fsPath: dir }, name: 'ws', index: 0 } as unknown as vscode.WorkspaceFolder;

beforeEach(() => {
  recorded.errors = []; recorded.logged = []; recorded.requests = []; recorded.dapLines = [];
  settings = {}; activeEditor = undefined; pythonExtension = undefined; activeSession = undefined;
});

/** Error messages are shown without blocking the launch; let them land. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function editor(fsPath: string, languageId = 'python'): unknown {
  return { document: { languageId, isUntitled: false, uri: { scheme: 'file', fsPath } } };
}

// ---- configuration provider -------------------------------------------------

test('F5 with no launch.json debugs the active Python file; with no Python file it explains and cancels', async () => {
  activeEditor = editor(path.join(dir, 'app.py'));
  assert.deepEqual(provider.resolveDebugConfiguration(folder, {} as vscode.DebugConfiguration), {
    type: 'greenlet', request: 'launch', name: 'Greenlet Lens: app.py', program: path.join(dir, 'app.py'), cwd: dir,
  });
  const given = { type: 'greenlet', request: 'launch', name: 'mine', module: 'm' };
  assert.equal(provider.resolveDebugConfiguration(folder, given), given, 'a real configuration passes untouched');
  activeEditor = editor(path.join(dir, 'notes.md'), 'markdown');
  assert.equal(provider.resolveDebugConfiguration(folder, {} as vscode.DebugConfiguration), undefined);
  await settle();
  assert.equal(recorded.errors.length, 1);
  assert.match(recorded.errors[0]!, /open a Python file to debug/);
  assert.match(recorded.logged[0]!, /^error \[NoPythonFile\]/);
});

test('the chosen interpreter goes to the adapter in `python`, with absolute program and cwd', async () => {
  settings = { python: PY_OK };
  const resolved = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, {
    type: 'greenlet', request: 'launch', name: 'n', program: 'app.py', python: '',
  });
  assert.deepEqual(resolved, { type: 'greenlet', request: 'launch', name: 'n', program: path.join(dir, 'app.py'), cwd: dir, python: PY_OK });
  assert.deepEqual(recorded.errors, []);
});

test('the Python extension\'s interpreter is used when neither launch.json nor the setting names one', async () => {
  const resources: unknown[] = [];
  pythonExtension = {
    isActive: true,
    exports: {
      environments: {
        getActiveEnvironmentPath: (r: unknown) => { resources.push(r); return { id: 'venv', path: PY_OK }; },
        resolveEnvironment: () => Promise.resolve({ executable: { uri: { fsPath: PY_OK } } }),
      },
    },
  };
  const resolved = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, {
    type: 'greenlet', request: 'launch', name: 'n', module: 'pkg',
  });
  assert.equal(resolved?.['python'], PY_OK);
  assert.deepEqual(resources, [folder.uri]);
  // A broken Python extension falls back to the defaults, with a note in the log.
  pythonExtension = { isActive: false, activate: () => Promise.reject(new Error('boom')) };
  settings = {};
  await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, { type: 'greenlet', request: 'launch', name: 'n', module: 'pkg' });
  assert.ok(recorded.logged.some((l) => /^warn \[PythonExtensionFailed\].*boom/.test(l)), recorded.logged.join('\n'));
});

test('an interpreter without gevent cancels the launch with the install commands', async () => {
  const resolved = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, {
    type: 'greenlet', request: 'launch', name: 'n', program: 'app.py', python: PY_NO_GEVENT,
  });
  assert.equal(resolved, undefined);
  await settle();
  assert.equal(recorded.errors.length, 1);
  assert.ok(recorded.errors[0]!.includes('sudo apt-get install python3-gevent'), recorded.errors[0]);
  assert.ok(recorded.errors[0]!.includes(`${PY_NO_GEVENT} -m pip install gevent`), recorded.errors[0]);
  assert.match(recorded.logged[0]!, /^error \[GeventMissing\]/);
});

test('an invalid configuration is refused before any interpreter runs; attach needs no interpreter', async () => {
  settings = { python: path.join(dir, 'never-run') };
  assert.equal(await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, {
    type: 'greenlet', request: 'launch', name: 'Bad', program: 'a.py', maxThreads: 'all',
  }), undefined);
  await settle();
  assert.deepEqual(recorded.errors, ['Greenlet Lens cannot start "Bad": "maxThreads" must be an integer of 1 or more, not string "all".']);
  const attach = { type: 'greenlet', request: 'attach', name: 'a', port: 5679 };
  assert.deepEqual(await provider.resolveDebugConfigurationWithSubstitutedVariables(folder, attach), attach);
});

// ---- adapter factory ----------------------------------------------------------

test('the adapter runs inline by default, else as `node dist/adapter.js`', () => {
  const session = {} as vscode.DebugSession;
  const inline = new GreenletAdapterFactory(ROOT).createDebugAdapterDescriptor(session, undefined) as unknown as { implementation: unknown };
  assert.equal((inline.implementation as object).constructor.name, 'GreenletDebugSession');
  settings = { inlineAdapter: false };
  const fromPackageJson = { command: 'node', args: ['x'] } as unknown as vscode.DebugAdapterExecutable;
  assert.equal(new GreenletAdapterFactory(ROOT).createDebugAdapterDescriptor(session, fromPackageJson), fromPackageJson);
  const missing = () => new GreenletAdapterFactory(dir).createDebugAdapterDescriptor(session, undefined);
  assert.throws(missing, (err: unknown) => (err as { code?: string }).code === 'AdapterMissing');
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'adapter.js'), '');
  assert.deepEqual({ ...(missing() as object) }, { command: 'node', args: [path.join(dir, 'dist', 'adapter.js')] });
});

// ---- DAP traffic logger ---------------------------------------------------------

test('DAP traffic is logged both ways only while greenletLens.logDapTraffic is on', () => {
  const session = new FakeSession('s1') as unknown as vscode.DebugSession;
  const logger = new DapTrafficLogger(dapChannel);
  assert.equal(logger.createDebugAdapterTracker(session), undefined);
  settings = { logDapTraffic: true };
  const tracker = logger.createDebugAdapterTracker(session)!;
  tracker.onWillReceiveMessage!({ seq: 1, type: 'request', command: 'initialize' });
  tracker.onDidSendMessage!({ seq: 1, type: 'response', command: 'initialize', success: true });
  tracker.onExit!(0, undefined);
  assert.equal(recorded.dapLines.length, 3);
  assert.match(recorded.dapLines[0]!, /\[app\.py\] VS Code → adapter: \{"seq":1,"type":"request","command":"initialize"\}$/);
  assert.match(recorded.dapLines[1]!, /adapter → VS Code: \{"seq":1,"type":"response"/);
  assert.match(recorded.dapLines[2]!, /adapter exited \(code 0, signal -\)$/);
});

// ---- commands ---------------------------------------------------------------------

test('commands send the protocol\'s custom requests to the right session, and say why when they cannot', async () => {
  const sessions = new SessionRegistry();
  registerCommands(sessions, dapChannel, errors);
  const run = (name: string, ...args: unknown[]) => commandHandlers.get(name)!(...args);

  await run('greenletLens.stepSwitch');
  await settle();
  assert.match(recorded.errors.pop()!, /needs an active Greenlet Lens debug session/);

  const other = new FakeSession('other', 'python');
  activeSession = other;
  await run('greenletLens.stepSwitch');
  await settle();
  assert.equal(recorded.errors.length, 1, 'a non-greenlet active session is not sent greenlet requests');
  recorded.errors = [];

  const a = new FakeSession('A');
  const b = new FakeSession('B');
  for (const listener of sessionStarted) { listener(a); listener(b); }
  activeSession = a;
  await run('greenletLens.stepSwitch');
  // From B's thread in the Call Stack view, while A is the active session.
  await run('greenletLens.runToGreenlet', 7, { sessionId: 'B', threadId: 'thread:B:7' });
  await run('greenletLens.runToGreenlet', { sessionId: 'B', threadId: 'thread:B:0' });
  assert.deepEqual(recorded.requests, [
    ['A', 'stepSwitch', {}],
    ['B', 'runToGreenlet', { threadId: 7 }],
    ['B', 'runToGreenlet', { threadId: 0 }],
  ]);

  await run('greenletLens.runToGreenlet');
  await run('greenletLens.runToGreenlet', 99);
  await settle();
  assert.equal(recorded.errors.length, 2);
  assert.match(recorded.errors[0]!, /Run to Greenlet" runs from a greenlet's context menu/);
  assert.equal(recorded.errors[1], 'Greenlet Lens: running to greenlet 99 failed: no greenlet 99');
  assert.ok(recorded.logged.some((l) => l.startsWith('error [NoThreadSelected]')));
  assert.ok(recorded.logged.some((l) => l.startsWith('error [CustomRequestFailed]')));
  sessions.dispose();
});

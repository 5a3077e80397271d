// The board's panel and session glue (extension/board-panel.ts,
// board-sessions.ts) against a hand-made `vscode` module: when the panel
// opens and how, the page it gets, what a `ready` board is replayed, and
// what the board's messages turn into.
import type { GreenletStatusBody } from '../../shared/protocol/custom-dap';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { beforeEach, test } from 'node:test';
import type * as vscode from 'vscode';
import { FakeUri, emitter, loadWithFakeVscode } from '../support/fake-vscode-loader';

const ROOT = path.join(__dirname, '..', '..', '..');

// ---- the fake editor -------------------------------------------------------

class FakePanel {
  html = '';
  htmlLoads = 0;
  visible = true;
  title: string;
  viewColumn: number | undefined = 2;
  readonly posted: unknown[] = [];
  readonly reveals: unknown[][] = [];
  readonly message = emitter<unknown>();
  readonly viewState = emitter<unknown>();
  readonly disposed = emitter<void>();
  readonly webview: Record<string, unknown>;
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;

  constructor(readonly viewType: string, title: string, readonly showOptions: unknown, readonly options: unknown) {
    this.title = title;
    // The fake webview's accessors read and write the panel, as VS Code's do.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const panel = this;
    this.webview = {
      cspSource: 'https://fake.vscode-cdn.net',
      set options(o: unknown) { panelOptions.push(o); },
      get html() { return panel.html; },
      set html(h: string) { panel.html = h; panel.htmlLoads++; },
      asWebviewUri: (u: FakeUri) => new FakeUri(u.fsPath, 'vscode-webview-resource'),
      postMessage: (m: unknown) => { panel.posted.push(m); return Promise.resolve(true); },
      onDidReceiveMessage: this.message.event,
    };
  }

  reveal(...args: unknown[]): void { this.reveals.push(args); }
  dispose(): void { this.disposed.fire(); }
}
const panelOptions: unknown[] = [];

class FakeSession {
  readonly requests: [string, unknown][] = [];
  constructor(readonly id: string, readonly name = 'app.py', readonly configuration: Record<string, unknown> = { cwd: '/work/app' }, readonly type = 'greenlet') {}
  customRequest(command: string, args?: unknown): Promise<unknown> {
    this.requests.push([command, args]);
    return command === 'pause' ? Promise.reject(new Error('cannot pause now')) : Promise.resolve({});
  }
}

const state = {
  settings: {} as Record<string, unknown>,
  panels: [] as FakePanel[],
  serializers: new Map<string, { deserializeWebviewPanel(p: unknown, s: unknown): Promise<void> }>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  trackerFactories: [] as { createDebugAdapterTracker(s: unknown): { onDidSendMessage?(m: unknown): void } }[],
  errors: [] as string[],
  logged: [] as string[],
  shown: [] as { file: string; options: { selection: { start: { line: number } }; viewColumn: number; preview: boolean; preserveFocus: boolean } }[],
};
const started = emitter<FakeSession>();
const terminated = emitter<FakeSession>();
const focused = emitter<FakeSession | undefined>();
const customEvents = emitter<{ session: FakeSession; event: string; body: unknown }>();
const stackItems = emitter<{ session: FakeSession; threadId: number } | undefined>();
const disposable = { dispose: () => undefined };

const fakeVscode = {
  Uri: FakeUri,
  ViewColumn: { One: 1, Two: 2, Beside: -2 },
  Position: class { constructor(readonly line: number, readonly character: number) {} },
  Range: class { constructor(readonly start: unknown, readonly end: unknown) {} },
  workspace: {
    getConfiguration: () => ({ get: (key: string, dflt?: unknown) => state.settings[key] ?? dflt }),
    openTextDocument: (uri: FakeUri) => uri.fsPath.includes('missing')
      ? Promise.reject(new Error('file not found'))
      : Promise.resolve({ uri, lineCount: 100 }),
    workspaceFolders: undefined,
  },
  TabInputText: class {},
  window: {
    tabGroups: { onDidChangeTabs: () => disposable },
    createWebviewPanel: (viewType: string, title: string, showOptions: unknown, options: unknown) => {
      const p = new FakePanel(viewType, title, showOptions, options);
      state.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer: (viewType: string, s: { deserializeWebviewPanel(p: unknown, st: unknown): Promise<void> }) => {
      state.serializers.set(viewType, s);
      return disposable;
    },
    showTextDocument: (doc: { uri: FakeUri }, options: never) => { state.shown.push({ file: doc.uri.fsPath, options }); return Promise.resolve(); },
    showErrorMessage: (m: string) => { state.errors.push(m); return Promise.resolve(undefined); },
  },
  commands: {
    registerCommand: (name: string, h: (...a: unknown[]) => unknown) => { state.commands.set(name, h); return disposable; },
    executeCommand: () => Promise.resolve(),
  },
  env: { clipboard: { writeText: () => Promise.resolve() } },
  debug: {
    activeDebugSession: undefined,
    registerDebugAdapterTrackerFactory: (_t: string, f: (typeof state.trackerFactories)[number]) => { state.trackerFactories.push(f); return disposable; },
    onDidStartDebugSession: started.event,
    onDidChangeActiveDebugSession: focused.event,
    onDidTerminateDebugSession: terminated.event,
    onDidReceiveDebugSessionCustomEvent: customEvents.event,
    onDidChangeActiveStackItem: stackItems.event,
  },
};

function load<T>(modulePath: string): T {
  return loadWithFakeVscode<T>(fakeVscode, require.resolve(modulePath));
}

const { BoardPanel } = load<typeof import('../../extension/board-panel')>('../../extension/board-panel');
const { BoardSessions } = load<typeof import('../../extension/board-sessions')>('../../extension/board-sessions');
const { ErrorReporter } = load<typeof import('../../extension/show-error')>('../../extension/show-error');

let disposables: { dispose(): unknown }[] = [];
let boardSessions: InstanceType<typeof BoardSessions>;
function activate(): void {
  for (const d of disposables) d.dispose();
  state.panels.length = 0;
  state.serializers.clear();
  state.commands.clear();
  state.trackerFactories.length = 0;
  state.errors.length = 0;
  state.logged.length = 0;
  state.shown.length = 0;
  panelOptions.length = 0;
  const log = { error: (m: string) => state.logged.push(`error ${m}`), warn: (m: string) => state.logged.push(`warn ${m}`) };
  const errors = new ErrorReporter(log as unknown as vscode.LogOutputChannel);
  const sessions = new BoardSessions();
  boardSessions = sessions;
  const board = new BoardPanel(FakeUri.file(ROOT) as unknown as vscode.Uri, sessions, errors);
  disposables = [sessions, ...board.register()];
}
beforeEach(() => { state.settings = {}; activate(); });

const tick = () => new Promise((r) => setImmediate(r));
/** The bytes posted to the board in `sessionBytes` messages, in order. */
const postedBytes = (p: FakePanel): number[][] =>
  p.posted.filter((m) => (m as { type: string }).type === 'sessionBytes').map((m) => [...(m as { bytes: Uint8Array }).bytes]);

/**
 * A greenlet session as VS Code starts it: descriptor (an inline adapter's
 * sink) and tracker first, then the start event; then the board's stream, in
 * order: as custom events (a standalone adapter) or handed over in-process
 * (`via: 'inline'`, the extension's default).
 */
function startSession(id: string, name = 'app.py', configuration?: Record<string, unknown>, via: 'events' | 'inline' = 'events') {
  const session = new FakeSession(id, name, configuration);
  let offset = 0;
  const adapterStarts = () => {
    const sink = via === 'inline' ? boardSessions.sinkFor(session as unknown as vscode.DebugSession) : null;
    state.trackerFactories[0]!.createDebugAdapterTracker(session);
    return sink;
  };
  let sink = adapterStarts();
  const s = {
    session,
    /** The adapter's next batch of trace bytes: these. */
    trace: (...bytes: number[]) => {
      if (sink !== null) sink.trace(Uint8Array.from(bytes), offset);
      else customEvents.fire({ session, event: 'greenletTrace', body: { data: Buffer.from(bytes).toString('base64'), offset } });
      offset += bytes.length;
    },
    status: (body: GreenletStatusBody) => (sink !== null ? sink.status(body) : customEvents.fire({ session, event: 'greenletStatus', body })),
    /** VS Code's Restart: the same session, a new adapter (sink and tracker), started again; returns the old run's sink. */
    restart: () => {
      const old = sink;
      terminated.fire(session);
      offset = 0;
      sink = adapterStarts();
      started.fire(session);
      return old;
    },
  };
  started.fire(session);
  return s;
}

const VIAS = ['events', 'inline'] as const;

// ---- the tests -------------------------------------------------------------

test('a greenlet session opens the board beside the editor without taking focus, scripts on, only dist/webview loadable', () => {
  startSession('s1', 'demo.py');
  assert.equal(state.panels.length, 1);
  const p = state.panels[0]!;
  assert.equal(p.viewType, 'greenletLens.board');
  assert.equal(p.title, 'Greenlet Lens');
  assert.deepEqual(p.showOptions, { viewColumn: -2, preserveFocus: true });
  const options = p.options as { enableScripts: boolean; retainContextWhenHidden: boolean; localResourceRoots: FakeUri[] };
  assert.equal(options.enableScripts, true);
  assert.equal(options.retainContextWhenHidden, false);
  assert.deepEqual(options.localResourceRoots.map((u) => u.fsPath), [path.join(ROOT, 'dist', 'webview')]);
  // The page: the host boot, the webview's cspSource, webview URIs.
  const boot = JSON.parse(/id="board-boot"[^>]*>([^<]*)</.exec(p.html)![1]!);
  assert.deepEqual(boot, { source: 'host', mode: 'live', title: 'Greenlet Lens: demo.py', session: 's1#0' });
  assert.match(p.html, /style-src https:\/\/fake\.vscode-cdn\.net 'nonce-/);
  assert.match(p.html, /src="vscode-webview-resource:\/\/[^"]*dist\/webview\/board\.js"/);
  assert.match(p.html, /href="vscode-webview-resource:\/\/[^"]*dist\/webview\/board\.css"/);
});

test('greenletLens.openBoardOnSessionStart false: no panel until Open Board', () => {
  state.settings['openBoardOnSessionStart'] = false;
  startSession('s1');
  assert.equal(state.panels.length, 0);
  state.commands.get('greenletLens.openBoard')!();
  assert.equal(state.panels.length, 1);
  assert.deepEqual(state.panels[0]!.showOptions, { viewColumn: -2, preserveFocus: false });
  state.commands.get('greenletLens.revealBoard')!();
  assert.equal(state.panels.length, 1, 'reveal reuses the panel');
  assert.deepEqual(state.panels[0]!.reveals, [[2, false]]);
});

for (const via of VIAS) test(`trace bytes wait for the board's ready and are replayed with the stop after them; then bytes and status flow live, in order (${via})`, async () => {
  const s = startSession('s1', 'app.py', undefined, via);
  const p = state.panels[0]!;
  s.trace(1, 2, 3);
  s.status({ kind: 'stopped', stop: { reason: 'switch', g: 3, seq: 2, from: 1, to: 3 }, description: 'switch g1 → g3' });
  assert.deepEqual(p.posted, [], 'nothing before the board says ready');
  p.message.fire({ type: 'ready' });
  await tick();
  assert.deepEqual(p.posted.map((m) => (m as { type: string }).type), ['pace', 'sessionBytes', 'stopped'], 'the pace first, then the stream');
  assert.deepEqual(p.posted[0], { type: 'pace', running: false });
  assert.ok((p.posted[1] as { bytes: unknown }).bytes instanceof Uint8Array, 'bytes, not JSON');
  assert.deepEqual(p.posted[2], { type: 'stopped', seq: 2, g: 3, reason: 'switch', description: 'switch g1 → g3' });
  p.posted.splice(0, 1);
  s.status({ kind: 'continued' });
  s.trace(4);
  s.status({ kind: 'stopped', stop: { reason: 'breakpoint', g: 4, seq: 3, line: 12 }, description: 'Breakpoint at line 12' });
  assert.deepEqual(p.posted.slice(2).map((m) => (m as { type: string }).type), ['pace', 'continued', 'sessionBytes', 'pace', 'stopped']);
  assert.deepEqual(postedBytes(p), [[1, 2, 3], [4]]);
  assert.equal((p.posted[p.posted.length - 1] as { seq: number }).seq, 3);
});

for (const via of VIAS) test(`Restart gives the board a fresh run: a new key, none of the old run's bytes, and its controls live again (${via})`, async () => {
  const s = startSession('s1', 'demo.py', undefined, via);
  const p = state.panels[0]!;
  p.message.fire({ type: 'ready' });
  s.trace(1, 2);
  s.status({ kind: 'ended', exitCode: 143, byUser: true });
  const oldSink = s.restart();
  // An inline adapter of the old run may still hand over its last bytes: they stay in the old run's feed.
  oldSink?.trace(Uint8Array.of(3), 2);
  oldSink?.status({ kind: 'ended', exitCode: 143, byUser: true });
  assert.equal(p.htmlLoads, 2, 'the board is reloaded for the new run');
  const boot = JSON.parse(/id="board-boot"[^>]*>([^<]*)</.exec(p.html)![1]!);
  assert.equal(boot.session, 's1#1', 'another key than the first run\'s s1#0');
  p.posted.length = 0;
  p.message.fire({ type: 'ready' });
  s.trace(7);
  await tick();
  assert.deepEqual(postedBytes(p), [[7]], 'only the new run\'s bytes');
  assert.ok(!p.posted.some((m) => (m as { type: string }).type === 'ended'), 'the old run\'s end is not the new one\'s');
  p.message.fire({ type: 'command', command: 'stepSwitch' });
  await tick();
  assert.deepEqual(s.session.requests.map((r) => r[0]), ['stepSwitch'], 'the controls work for the new run');
});

test('a new session never shows the previous one\'s bytes', async () => {
  const a = startSession('s1', 'one.py');
  const p = state.panels[0]!;
  a.trace(1, 2, 3);
  a.status({ kind: 'ended', exitCode: 0, byUser: false });
  terminated.fire(a.session);
  const b = startSession('s2', 'two.py');
  b.trace(9);
  p.message.fire({ type: 'ready' });
  await tick();
  assert.deepEqual(postedBytes(p), [[9]]);
  assert.match(p.html, /"session":"s2#0"/);
});

test('a replay session\'s board boots with the recording as its trace; a launch with `trace` names that file', () => {
  startSession('s1', 'replay', { cwd: '/work/app', replay: 'runs/a.glt' });
  assert.match(state.panels[0]!.html, /"trace":"\/work\/app\/runs\/a\.glt"/);
  startSession('s2', 'live', { cwd: '/work/app', program: 'x.py', trace: '/tmp/x.glt' });
  assert.match(state.panels[0]!.html, /"trace":"\/tmp\/x\.glt"/);
});

test('after a window reload whose session is gone, the restored board says so, and shows the session\'s trace again when it had one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-panel-'));
  const trace = path.join(dir, 'run.glt');
  fs.writeFileSync(trace, Buffer.from([5, 6, 7]));
  const restored = new FakePanel('greenletLens.board', 'Greenlet Lens', {}, {});
  await state.serializers.get('greenletLens.board')!.deserializeWebviewPanel(restored, { v: 1, board: {}, session: 's9#0', trace });
  assert.match(restored.html, /"trace":"[^"]*run\.glt"/);
  restored.message.fire({ type: 'ready' });
  for (let i = 0; i < 100 && !restored.posted.some((m) => (m as { type: string }).type === 'ended'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(restored.posted.map((m) => (m as { type: string }).type), ['notice', 'traceBytes', 'ended']);
  assert.match((restored.posted[0] as { message: string }).message, /has ended \(the window was reloaded\); showing its trace/);
  assert.deepEqual([...(restored.posted[1] as { bytes: Uint8Array }).bytes], [5, 6, 7]);
  assert.equal((restored.posted[1] as { bytes: Uint8Array }).bytes.constructor.name, 'Uint8Array', 'not a Buffer, which VS Code would post as JSON');

  activate();
  const without = new FakePanel('greenletLens.board', 'Greenlet Lens', {}, {});
  await state.serializers.get('greenletLens.board')!.deserializeWebviewPanel(without, { v: 1, board: {}, session: 's9#0' });
  without.message.fire({ type: 'ready' });
  await tick();
  assert.deepEqual(without.posted.map((m) => (m as { type: string }).type), ['ended', 'notice']);
  assert.match((without.posted[1] as { message: string }).message, /has ended .* no trace file/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a thread selected in the Call Stack selects its greenlet on the board (its own session only, once the board listens)', async () => {
  const s = startSession('s1');
  const p = state.panels[0]!;
  stackItems.fire({ session: s.session, threadId: 5 });
  assert.deepEqual(p.posted, [], 'not before the board says ready');
  p.message.fire({ type: 'ready' });
  await tick();
  stackItems.fire({ session: s.session, threadId: 5 });
  stackItems.fire({ session: new FakeSession('other'), threadId: 6 });
  stackItems.fire(undefined);
  assert.deepEqual(p.posted, [{ type: 'select', g: 5 }]);
});

test('a hidden board is not posted to; shown again it reloads, says ready and gets everything again', async () => {
  const s = startSession('s1');
  const p = state.panels[0]!;
  p.message.fire({ type: 'ready' });
  s.trace(0);
  assert.equal(p.posted.length, 1);
  p.visible = false;
  p.viewState.fire({});
  s.trace(1);
  assert.equal(p.posted.length, 1);
  p.visible = true;
  p.message.fire({ type: 'ready' });
  await tick();
  assert.deepEqual(postedBytes(p), [[0], [0, 1]]);
});

test('controls become requests to the session with the last stop\'s thread; a failure is shown', async () => {
  const s = startSession('s1');
  const p = state.panels[0]!;
  s.status({ kind: 'stopped', stop: { reason: 'step', g: 7, seq: -1 }, description: 'Paused after a step' });
  for (const command of ['stepSwitch', 'continue', 'pause']) p.message.fire({ type: 'command', command });
  await tick();
  await tick();
  assert.deepEqual(s.session.requests, [['stepSwitch', { threadId: 7 }], ['continue', { threadId: 7 }], ['pause', { threadId: 7 }]]);
  assert.equal(state.errors.length, 1);
  assert.match(state.errors[0]!, /pause from the board failed: cannot pause now/);
});

test('after the session ends the controls say so instead of sending requests', async () => {
  const s = startSession('s1');
  const p = state.panels[0]!;
  s.status({ kind: 'ended', exitCode: 0, byUser: false });
  terminated.fire(s.session);
  p.message.fire({ type: 'command', command: 'continue' });
  await tick();
  assert.deepEqual(s.session.requests, []);
  assert.match(state.errors[0] ?? '', /need a running Greenlet Lens debug session/);
  // The ended session stays on the board: a reload still gets its end.
  p.message.fire({ type: 'ready' });
  await tick();
  assert.deepEqual(p.posted, [{ type: 'pace', running: false }, { type: 'ended', exitCode: 0 }]);
});

test('revealGreenlet opens the file in another group than the board\'s, keeping the focus; a missing file is an error; bad messages are only logged', async () => {
  startSession('s1');
  const p = state.panels[0]!;
  p.message.fire({ type: 'revealGreenlet', g: 3, file: 'pkg/app.py', line: 12 });
  await tick();
  await tick();
  assert.equal(state.shown.length, 1);
  assert.equal(state.shown[0]!.file, '/work/app/pkg/app.py');
  assert.equal(state.shown[0]!.options.viewColumn, 1, 'the board is in column 2');
  assert.equal(state.shown[0]!.options.preview, true);
  assert.equal(state.shown[0]!.options.preserveFocus, true);
  p.viewColumn = 1;
  p.message.fire({ type: 'revealGreenlet', g: 3, file: 'pkg/app.py', line: 12 });
  await tick();
  await tick();
  assert.equal(state.shown[1]!.options.viewColumn, 2, 'beside a board in column 1');
  assert.equal(state.shown[0]!.options.selection.start.line, 11);
  p.message.fire({ type: 'revealGreenlet', g: 3, file: '/gone/missing.py', line: 1 });
  await tick();
  await tick();
  assert.match(state.errors[0] ?? '', /cannot open \/gone\/missing\.py/);
  p.message.fire({ type: 'evaluate', expression: 'os.system("x")' });
  p.message.fire({ type: 'error', message: 'the timeline failed' });
  await tick();
  assert.match(state.errors[1] ?? '', /Greenlet Lens board: the timeline failed/);
  assert.ok(state.logged.some((l) => /warn \[BoardFailed\] ignored a message from the board/.test(l)), state.logged.join('\n'));
});

test('focusing another running session (a forked worker\'s, or its parent) shows its board; an ended one is left alone', async () => {
  const parent = startSession('p', 'gunicorn');
  const worker = startSession('w', 'pid 42 (forked from 41)');
  const p = state.panels[0]!;
  assert.match(p.html, /Greenlet Lens: pid 42 \(forked from 41\)/);
  const loads = p.htmlLoads;
  focused.fire(parent.session);
  assert.equal(p.htmlLoads, loads + 1);
  assert.match(p.html, /Greenlet Lens: gunicorn/);
  focused.fire(parent.session);
  assert.equal(p.htmlLoads, loads + 1, 'the board\'s own session: no reload');
  terminated.fire(worker.session);
  focused.fire(worker.session);
  assert.equal(p.htmlLoads, loads + 1, 'an ended session is not shown on focus');
  focused.fire(undefined);
  assert.equal(p.htmlLoads, loads + 1);
});

test('a new session reloads the open board for it; the serializer adopts a restored panel', async () => {
  startSession('s1', 'one.py');
  const p = state.panels[0]!;
  assert.equal(p.htmlLoads, 1);
  startSession('s2', 'two.py');
  assert.equal(state.panels.length, 1, 'the same panel');
  assert.equal(p.htmlLoads, 2);
  assert.match(p.html, /Greenlet Lens: two\.py/);

  activate();
  const restored = new FakePanel('greenletLens.board', 'Greenlet Lens', {}, {});
  await state.serializers.get('greenletLens.board')!.deserializeWebviewPanel(restored, { selected: 3 });
  assert.equal(restored.htmlLoads, 1);
  assert.match(restored.html, /"source":"host"/);
  assert.deepEqual((panelOptions.at(-1) as { enableScripts: boolean }).enableScripts, true);
  state.commands.get('greenletLens.revealBoard')!();
  assert.equal(state.panels.length, 0, 'reveal uses the restored panel');
  assert.equal(restored.reveals.length, 1);
});

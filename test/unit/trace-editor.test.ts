// The trace files' custom editor (extension/trace-editor.ts) against a
// hand-made `vscode` module: how it registers, the replay page it writes,
// the file's bytes streamed after `ready` (again after a reload), read
// failures shown on the board and on screen, and the board's messages.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import type * as vscode from 'vscode';
import { FakeUri, emitter, loadWithFakeVscode } from '../support/fake-vscode-loader';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-trace-editor-'));
after(() => fs.rmSync(DIR, { recursive: true, force: true }));

class FakePanel {
  html = '';
  visible = true;
  options: unknown;
  accept = true;
  readonly posted: { type: string; bytes?: Uint8Array; final?: boolean; message?: string }[] = [];
  readonly message = emitter<unknown>();
  readonly viewState = emitter<unknown>();
  readonly disposed = emitter<void>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.disposed.event;
  readonly webview: Record<string, unknown>;
  constructor() {
    // The fake webview's accessors read and write the panel, as VS Code's do.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const panel = this;
    this.webview = {
      cspSource: 'https://fake.vscode-cdn.net',
      set options(o: unknown) { panel.options = o; },
      get html() { return panel.html; },
      set html(h: string) { panel.html = h; },
      asWebviewUri: (u: FakeUri) => new FakeUri(u.fsPath, 'vscode-webview-resource'),
      postMessage: (m: FakePanel['posted'][number]) => { if (panel.accept) panel.posted.push(m); return Promise.resolve(panel.accept); },
      onDidReceiveMessage: this.message.event,
    };
  }
  dispose(): void { this.disposed.fire(); }
}

const state = {
  registered: [] as { viewType: string; provider: vscode.CustomReadonlyEditorProvider; options: unknown }[],
  errors: [] as string[],
  logged: [] as string[],
  shown: [] as { file: string; line: number }[],
  remote: new Map<string, Uint8Array>(),
};

const fakeVscode = {
  Uri: FakeUri,
  ViewColumn: { One: 1, Beside: -2 },
  Position: class { constructor(readonly line: number, readonly character: number) {} },
  Range: class { constructor(readonly start: { line: number }, readonly end: unknown) {} },
  workspace: {
    workspaceFolders: undefined,
    fs: {
      readFile: (uri: FakeUri) => {
        const b = state.remote.get(uri.fsPath);
        return b === undefined ? Promise.reject(Object.assign(new Error('nope'), { code: 'FileNotFound' })) : Promise.resolve(b);
      },
    },
    openTextDocument: (uri: FakeUri) => Promise.resolve({ uri, lineCount: 100 }),
  },
  window: {
    registerCustomEditorProvider: (viewType: string, provider: vscode.CustomReadonlyEditorProvider, options: unknown) => {
      state.registered.push({ viewType, provider, options });
      return { dispose: () => undefined };
    },
    showTextDocument: (doc: { uri: FakeUri }, o: { selection: { start: { line: number } } }) => {
      state.shown.push({ file: doc.uri.fsPath, line: o.selection.start.line });
      return Promise.resolve();
    },
    showErrorMessage: (m: string) => { state.errors.push(m); return Promise.resolve(undefined); },
  },
  commands: { executeCommand: () => Promise.resolve() },
  env: { clipboard: { writeText: () => Promise.resolve() } },
};

const load = <T>(p: string): T => loadWithFakeVscode<T>(fakeVscode, require.resolve(p));
const { TraceEditorProvider } = load<typeof import('../../extension/trace-editor')>('../../extension/trace-editor');
const { ErrorReporter } = load<typeof import('../../extension/show-error')>('../../extension/show-error');

const PIECE = 1000;
let provider: InstanceType<typeof TraceEditorProvider>;
beforeEach(() => {
  state.registered.length = 0;
  state.errors.length = 0;
  state.logged.length = 0;
  state.shown.length = 0;
  const log = { error: (m: string) => state.logged.push(`error ${m}`), warn: (m: string) => state.logged.push(`warn ${m}`) };
  provider = new TraceEditorProvider(FakeUri.file(ROOT) as unknown as vscode.Uri, new ErrorReporter(log as unknown as vscode.LogOutputChannel), PIECE);
  provider.register();
});

/** Lets file reads (thread pool) and posts run: waits until `done` holds, or 2 s. */
const settle = async (done: () => boolean = () => false) => {
  const end = Date.now() + (done() ? 0 : 2000);
  await new Promise((r) => setTimeout(r, 20));
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};
const finished = (...panels: FakePanel[]) => () => panels.every((p) => p.posted.some((m) => m.final === true || m.type === 'error'));
const content = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
function traceFile(name: string, bytes: Uint8Array): FakeUri {
  const file = path.join(DIR, name);
  fs.writeFileSync(file, bytes);
  return FakeUri.file(file);
}
async function open(uri: FakeUri): Promise<FakePanel> {
  const p = new FakePanel();
  const { provider: registered } = state.registered[0]!;
  const document = await registered.openCustomDocument(uri as unknown as vscode.Uri, { backupId: undefined, untitledDocumentData: undefined }, {} as vscode.CancellationToken);
  await registered.resolveCustomEditor(document, p as unknown as vscode.WebviewPanel, {} as vscode.CancellationToken);
  return p;
}
const joined = (p: FakePanel) => Uint8Array.from(p.posted.flatMap((m) => [...(m.bytes ?? [])]));

test('registers greenletLens.traceEditor, page not retained while hidden, several editors per file', () => {
  assert.equal(state.registered.length, 1);
  assert.equal(state.registered[0]!.viewType, 'greenletLens.traceEditor');
  assert.deepEqual(state.registered[0]!.options, { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.customEditors, [{
    viewType: 'greenletLens.traceEditor', displayName: 'Greenlet Lens Trace', selector: [{ filenamePattern: '*.glt' }], priority: 'default',
  }]);
  assert.ok(pkg.activationEvents.includes('onCustomEditor:greenletLens.traceEditor'));
});

test('the page is the board in replay mode titled by the file; scripts on, only dist/webview loadable; nothing before ready', async () => {
  const p = await open(traceFile('demo.glt', content(10)));
  const boot = JSON.parse(/id="board-boot"[^>]*>([^<]*)</.exec(p.html)![1]!);
  assert.deepEqual(boot, { source: 'host', mode: 'replay', title: 'Greenlet Lens: demo.glt' });
  const options = p.options as { enableScripts: boolean; localResourceRoots: FakeUri[] };
  assert.equal(options.enableScripts, true);
  assert.deepEqual(options.localResourceRoots.map((u) => u.fsPath), [path.join(ROOT, 'dist', 'webview')]);
  assert.match(p.html, /src="vscode-webview-resource:\/\/[^"]*dist\/webview\/board\.js"/);
  await settle();
  assert.deepEqual(p.posted, []);
});

test('after ready the file comes as traceBytes pieces, final on the last; a reload after hiding sends it again', async () => {
  const bytes = content(2500);
  const p = await open(traceFile('run.glt', bytes));
  p.message.fire({ type: 'ready' });
  await settle(finished(p));
  assert.deepEqual(p.posted.map((m) => [m.type, m.bytes!.length, m.final]), [['traceBytes', 1000, false], ['traceBytes', 1000, false], ['traceBytes', 500, true]]);
  assert.deepEqual(joined(p), bytes);
  p.visible = false;
  p.viewState.fire({});
  p.visible = true;
  p.posted.length = 0;
  p.message.fire({ type: 'ready' });
  await settle(finished(p));
  assert.deepEqual(joined(p), bytes);
  assert.equal(p.posted.at(-1)!.final, true);
  assert.deepEqual(state.errors, []);
});

test('two editors of one file each get the whole file; a disposed editor stops its stream', async () => {
  const uri = traceFile('two.glt', content(5000));
  const a = await open(uri);
  const b = await open(uri);
  a.message.fire({ type: 'ready' });
  b.message.fire({ type: 'ready' });
  b.dispose();
  await settle(finished(a));
  assert.deepEqual(joined(a), content(5000));
  assert.ok(b.posted.length <= 1, `disposed editor got ${b.posted.length} pieces`);
  assert.equal(b.message.size, 0, 'its listeners are gone');
});

test('an unreadable file: an error message to the board and one on screen naming the file and the problem', async () => {
  const missing = path.join(DIR, 'missing.glt');
  const p = await open(FakeUri.file(missing));
  p.message.fire({ type: 'ready' });
  await settle(finished(p));
  assert.deepEqual(p.posted, [{ type: 'error', message: 'no such file' }]);
  assert.deepEqual(state.errors, [`Greenlet Lens: cannot read the trace ${missing}: no such file`]);
  assert.ok(state.logged.some((l) => l.includes('[BoardFailed]') && l.includes('missing.glt')));

  const dir = await open(FakeUri.file(DIR));
  dir.message.fire({ type: 'ready' });
  await settle(finished(dir));
  assert.equal(dir.posted[0]!.type, 'error');
  assert.match(state.errors[1] ?? '', /cannot read the trace .*: (it is a directory|EISDIR)/);
});

test('other schemes are read through vscode.workspace.fs and sent in pieces too', async () => {
  state.remote.set('/remote/r.glt', content(1500));
  const p = await open(new FakeUri('/remote/r.glt', 'vscode-remote'));
  p.message.fire({ type: 'ready' });
  await settle(finished(p));
  assert.deepEqual(p.posted.map((m) => [m.bytes!.length, m.final]), [[1000, false], [500, true]]);
  const gone = await open(new FakeUri('/remote/gone.glt', 'vscode-remote'));
  gone.message.fire({ type: 'ready' });
  await settle(finished(gone));
  assert.deepEqual(gone.posted, [{ type: 'error', message: 'no such file' }]);
  assert.match(state.errors[0] ?? '', /gone\.glt: no such file/);
});

test('board messages: its errors are shown, reveal opens the line, controls need a live session, junk is only logged', async () => {
  const p = await open(traceFile('msgs.glt', content(1)));
  p.message.fire({ type: 'error', message: 'corrupt chunk at 123' });
  p.message.fire({ type: 'revealGreenlet', g: 2, file: 'app.py', line: 5 });
  p.message.fire({ type: 'command', command: 'continue' });
  p.message.fire({ type: 'evaluate' });
  await settle(() => state.errors.length >= 2 && state.shown.length >= 1);
  assert.match(state.errors[0] ?? '', /Greenlet Lens board: corrupt chunk at 123/);
  assert.match(state.errors[1] ?? '', /need a running Greenlet Lens debug session/);
  assert.deepEqual(state.shown, [{ file: path.join(DIR, 'app.py'), line: 4 }]);
  assert.ok(state.logged.some((l) => /warn \[BoardFailed\] ignored a message from the trace board/.test(l)));
});

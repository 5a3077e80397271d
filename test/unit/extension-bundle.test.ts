// The extension bundle (dist/extension.js): built with the project's build
// script into a scratch folder, it must need nothing at run time but Node's
// own modules and `vscode` (a .vsix ships no node_modules), and activating it
// must register what package.json promises.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module, { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { DEBUG_TYPE } from '../../shared/protocol/custom-dap';
import { BOARD_VIEW_TYPE, COMMANDS } from '../../extension/contributions';

const ROOT = path.join(__dirname, '..', '..', '..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'glx-bundle-'));
const bundle = path.join(outdir, 'extension.js');
after(() => fs.rmSync(outdir, { recursive: true, force: true }));

before(() => {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--only', 'extension', '--outdir', outdir], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr + run.stdout);
});

function isBuiltin(name: string): boolean {
  return builtinModules.includes(name.replace(/^node:/, ''));
}

test('the bundle requires only vscode and Node built-ins', () => {
  const code = fs.readFileSync(bundle, 'utf8');
  const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
  assert.ok(required.has('vscode'));
  assert.deepEqual([...required].filter((name) => name !== 'vscode' && !isBuiltin(name)), []);
  assert.ok(fs.existsSync(`${bundle}.map`), 'a source map next to the bundle');
});

/**
 * A stand-in for the `vscode` module that records every call made on it.
 * The namespaces are real properties because the bundle's ES-module interop
 * copies the module's own properties.
 */
function recordingVscode(calls: { path: string; args: unknown[] }[]): Record<string, unknown> {
  const make = (name: string): unknown =>
    new Proxy(function stub() {}, {
      get: (_target, key) => (key === 'then' || typeof key === 'symbol' ? undefined : make(`${name}.${key}`)),
      apply: (_target, _this, args: unknown[]) => { calls.push({ path: name, args }); return make(`${name}()`); },
      construct: (_target, args: unknown[]) => { calls.push({ path: `new ${name}`, args }); return make(`new ${name}`) as object; },
    });
  const namespaces = ['commands', 'debug', 'env', 'extensions', 'languages', 'window', 'workspace', 'Uri',
    'DebugAdapterExecutable', 'DebugAdapterInlineImplementation', 'DebugConfigurationProviderTriggerKind'];
  return Object.fromEntries(namespaces.map((n) => [n, make(`vscode.${n}`)]));
}

test('loading and activating the bundle registers the greenlet providers and every command', () => {
  const calls: { path: string; args: unknown[] }[] = [];
  const requested: string[] = [];
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    requested.push(request);
    if (request === 'vscode') return recordingVscode(calls);
    return original.call(this, request, parent, isMain);
  };
  try {
    // The bundle must load through the hooked Module._load; a static import cannot do.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundle) as { activate: (context: unknown) => void; deactivate: () => void };
    const subscriptions: unknown[] = [];
    extension.activate({ subscriptions, extensionPath: ROOT });
    extension.deactivate();
    assert.ok(subscriptions.length >= 7, `${subscriptions.length} disposables`);
  } finally {
    loader._load = original;
  }
  assert.deepEqual(requested.filter((name) => name !== 'vscode' && !isBuiltin(name) && name !== bundle), []);
  const argsOf = (p: string): unknown[][] => calls.filter((c) => c.path === p).map((c) => c.args);
  assert.deepEqual(argsOf('vscode.commands.registerCommand').map((a) => a[0]).sort(), Object.values(COMMANDS).sort());
  assert.deepEqual(argsOf('vscode.debug.registerDebugConfigurationProvider').map((a) => [a[0], a.length]), [
    [DEBUG_TYPE, 2],
    [DEBUG_TYPE, 3],
  ]);
  assert.deepEqual(argsOf('vscode.debug.registerDebugAdapterDescriptorFactory').map((a) => a[0]), [DEBUG_TYPE]);
  // The DAP traffic logger and the board's status watcher.
  assert.deepEqual(argsOf('vscode.debug.registerDebugAdapterTrackerFactory').map((a) => a[0]), [DEBUG_TYPE, DEBUG_TYPE]);
  assert.deepEqual(argsOf('vscode.window.registerWebviewPanelSerializer').map((a) => a[0]), [BOARD_VIEW_TYPE]);
  // The board's events and the Problems view's findings.
  assert.equal(argsOf('vscode.debug.onDidReceiveDebugSessionCustomEvent').length, 2);
  assert.deepEqual(argsOf('vscode.languages.createDiagnosticCollection').map((a) => a[0]), ['greenlet-lens']);
  assert.deepEqual(argsOf('vscode.window.createOutputChannel').map((a) => a[0]), ['Greenlet Lens', 'Greenlet Lens DAP']);
});

// package.json's contributions against the code that implements them: the
// attribute table of shared/protocol/launch-attributes.ts, the command and
// setting names, the initial configurations. A mismatch here is a launch.json
// IntelliSense that lies, or a menu entry that runs nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_BLOCKED_LOOP_MS, DEFAULT_MAX_THREADS } from '../../shared/protocol/launch-attributes';
import { DEBUG_TYPE } from '../../shared/protocol/custom-dap';
import { INITIAL_CONFIGURATIONS } from '../../extension/configurations';
import { listenCommand } from '../../extension/listen-command';
import { BOARD_VIEW_TYPE, COMMANDS, SETTINGS, SETTINGS_SECTION } from '../../extension/contributions';
import {
  ATTACH_ATTRIBUTES, LAUNCH_ATTRIBUTES, configurationSchema, valueFits, type AttributeSpec,
} from '../../shared/protocol/launch-attributes';

const ROOT = path.join(__dirname, '..', '..', '..');

interface JsonSchema {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  items?: JsonSchema;
  additionalProperties?: JsonSchema;
  minimum?: number;
  maximum?: number;
}
interface MenuItem { command: string; when?: string; group?: string }
interface Debugger {
  type: string;
  label: string;
  languages: string[];
  program: string;
  runtime: string;
  configurationAttributes: Record<'launch' | 'attach', { required?: string[]; properties: Record<string, JsonSchema> }>;
  initialConfigurations: Record<string, unknown>[];
  configurationSnippets: { label: string; description: string; body: Record<string, unknown> }[];
}
interface PackageJson {
  main: string;
  activationEvents: string[];
  engines: { vscode: string };
  contributes: {
    debuggers: Debugger[];
    breakpoints: { language: string }[];
    commands: { command: string; title: string; icon?: string }[];
    menus: Record<string, MenuItem[]>;
    keybindings: { command: string; key: string; mac?: string; when: string }[];
    configuration: { properties: Record<string, JsonSchema> };
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const debuggers = pkg.contributes.debuggers;
const dbg = debuggers[0]!;

test('one debugger, of the protocol\'s debug type, run by node from dist/adapter.js', () => {
  assert.equal(debuggers.length, 1);
  assert.equal(dbg.type, DEBUG_TYPE);
  assert.equal(dbg.label, 'Greenlet Lens (gevent)');
  assert.deepEqual(dbg.languages, ['python']);
  assert.equal(dbg.program, './dist/adapter.js');
  assert.equal(dbg.runtime, 'node');
  assert.deepEqual(pkg.contributes.breakpoints, [{ language: 'python' }]);
  assert.equal(pkg.main, './dist/extension.js');
});

test('configurationAttributes are exactly what the attribute table says (node scripts/gen-schema.mjs writes them)', () => {
  assert.deepEqual(dbg.configurationAttributes, configurationSchema());
  for (const [request, table] of [['launch', LAUNCH_ATTRIBUTES], ['attach', ATTACH_ATTRIBUTES]] as const) {
    for (const [name, spec] of Object.entries(table) as [string, AttributeSpec][]) {
      assert.ok(spec.description.length > 20, `${request}.${name} needs a description`);
      if (spec.default !== undefined && spec.kind !== 'string') assert.ok(valueFits(spec.kind, spec.default), `${request}.${name} default`);
      if (!['string', 'moduleName', 'stringArray', 'env'].includes(spec.kind)) {
        assert.notEqual(spec.default, undefined, `${request}.${name} needs a default`);
      }
    }
  }
});

test('defaults documented in package.json are the ones the adapter applies', () => {
  for (const request of ['launch', 'attach'] as const) {
    const properties = dbg.configurationAttributes[request].properties;
    assert.equal(properties['blockedLoopMs']!.default, DEFAULT_BLOCKED_LOOP_MS, request);
    assert.equal(properties['maxThreads']!.default, DEFAULT_MAX_THREADS, request);
    assert.equal(properties['justMyCode']!.default, true, request);
  }
  // docs/debug-protocol.md: configure.blockedLoopMs "0 = off, default 100".
  assert.equal(DEFAULT_BLOCKED_LOOP_MS, 100);
  assert.equal(dbg.configurationAttributes.launch.properties['stopOnEntry']!.default, false);
  assert.deepEqual(dbg.configurationAttributes.attach.required, ['port']);
  assert.equal(dbg.configurationAttributes.attach.properties['port']!.default, 5679);
});

test('initialConfigurations are the ones the extension provides', () => {
  assert.deepEqual(dbg.initialConfigurations, INITIAL_CONFIGURATIONS);
});

test('configuration snippets use only their request\'s attributes: launch current file, launch module, attach to port 5679', () => {
  const byRequest: Record<string, readonly string[]> = {
    launch: Object.keys(LAUNCH_ATTRIBUTES),
    attach: Object.keys(ATTACH_ATTRIBUTES),
  };
  const snippets = dbg.configurationSnippets;
  assert.deepEqual(snippets.map((s) => [s.body['request'], s.body['program'] !== undefined, s.body['module'] !== undefined]), [
    ['launch', true, false],
    ['launch', false, true],
    ['attach', false, false],
  ]);
  for (const { label, description, body } of snippets) {
    assert.equal(body['type'], DEBUG_TYPE, label);
    assert.ok(description.length > 0 && typeof body['name'] === 'string', label);
    const allowed = byRequest[String(body['request'])];
    assert.ok(allowed !== undefined, label);
    for (const key of Object.keys(body)) {
      assert.ok(['type', 'request', 'name'].includes(key) || allowed.includes(key), `${label}: unknown attribute ${key}`);
    }
  }
  assert.equal(snippets[2]!.body['port'], 5679);
  assert.match(snippets[2]!.description, /python3 -m greenlet_lens listen --port 5679/);
});

test('commands: exactly the ones the extension registers, each with an activation event and only valid menu references', () => {
  const declared: string[] = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(declared, Object.values<string>(COMMANDS).sort());
  for (const command of declared) assert.ok(pkg.activationEvents.includes(`onCommand:${command}`), command);
  for (const event of [`onDebugResolve:${DEBUG_TYPE}`, `onDebugDynamicConfigurations:${DEBUG_TYPE}`, `onWebviewPanel:${BOARD_VIEW_TYPE}`]) {
    assert.ok(pkg.activationEvents.includes(event), event);
  }
  // VS Code ignores a menu id it does not know, silently ("debug/toolbar" once hid the step-switch button).
  const knownMenus = ['debug/toolBar', 'debug/callstack/context', 'commandPalette', 'editor/title', 'view/title'];
  for (const menu of Object.keys(pkg.contributes.menus)) assert.ok(knownMenus.includes(menu), `unknown menu id ${menu}`);
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) assert.ok(declared.includes(item.command), `${menu}: ${item.command}`);
  }
  const stepSwitch = pkg.contributes.commands.find((c) => c.command === COMMANDS.stepSwitch)!;
  assert.equal(stepSwitch.icon !== undefined, true, 'the toolbar button needs an icon');
  const greenlet = `debugType == '${DEBUG_TYPE}'`;
  assert.deepEqual(pkg.contributes.menus['debug/toolBar']!.map((i) => [i.command, i.when]), [[COMMANDS.stepSwitch, greenlet]]);
  const callStack = pkg.contributes.menus['debug/callstack/context']!;
  assert.deepEqual(callStack.map((i) => i.command), [COMMANDS.runToGreenlet, COMMANDS.whyNotRunning]);
  for (const item of callStack) assert.ok(item.when!.includes(greenlet) && item.when!.includes("callStackItemType == 'thread'"), item.command);
  assert.deepEqual(pkg.contributes.keybindings, [
    { command: COMMANDS.stepSwitch, key: 'ctrl+alt+f10', mac: 'cmd+alt+f10', when: `inDebugMode && ${greenlet}` },
  ]);
});

test('settings: exactly the ones the extension reads, with the documented defaults', () => {
  const properties = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), Object.values(SETTINGS).map((s) => `${SETTINGS_SECTION}.${s}`).sort());
  const setting = (name: string): JsonSchema => properties[`${SETTINGS_SECTION}.${name}`]!;
  assert.deepEqual([setting(SETTINGS.logDapTraffic).type, setting(SETTINGS.logDapTraffic).default], ['boolean', false]);
  assert.deepEqual([setting(SETTINGS.inlineAdapter).type, setting(SETTINGS.inlineAdapter).default], ['boolean', true]);
  assert.deepEqual([setting(SETTINGS.python).type, setting(SETTINGS.python).default], ['string', '']);
  assert.deepEqual([setting(SETTINGS.openBoardOnSessionStart).type, setting(SETTINGS.openBoardOnSessionStart).default], ['boolean', true]);
  for (const schema of Object.values(properties)) assert.ok((schema.markdownDescription ?? '').length > 20);
});

test('the copied listen command quotes what the shell would split and keeps the user\'s PYTHONPATH', () => {
  const cmd = listenCommand({ runtimeDir: "/opt/it's here/runtime-instrumentation", python: 'python3', port: 5679, program: '/w/my app.py' });
  assert.equal(cmd, `env PYTHONPATH='/opt/it'\\''s here/runtime-instrumentation'\${PYTHONPATH:+:$PYTHONPATH} python3 -m greenlet_lens listen --port 5679 -- '/w/my app.py'`);
});

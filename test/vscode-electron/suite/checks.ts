/** The ordered checks of the test-electron suite (each depends on the one before, as the user's steps do). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BOARD_VIEW_TYPE, COMMANDS } from '../../../extension/contributions';
import { TRACE_EDITOR_VIEW_TYPE } from '../../../extension/trace-editor-stream';
import { DEBUG_TYPE } from '../../../shared/protocol/custom-dap';
import { LIVE_CONFIG, REPLAY_CONFIG } from '../../support/examples-workspace';

interface Stop { readonly reason: string; readonly threadId: number; readonly description?: string }
interface Thread { readonly id: number; readonly name: string }

/** Every `stopped` event of greenlet sessions, in order, seen by a tracker. */
const stops: Stop[] = [];
let trackerRegistered = false;
function trackStops(): void {
  if (trackerRegistered) return;
  trackerRegistered = true;
  vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: Stop }) => {
        if (m.type === 'event' && m.event === 'stopped' && m.body !== undefined) stops.push(m.body);
      },
    }),
  });
}

async function nextStop(after: number, timeoutMs = 30_000): Promise<Stop> {
  const deadline = Date.now() + timeoutMs;
  while (stops.length <= after) {
    if (Date.now() > deadline) throw new Error(`no stopped event within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return stops[after]!;
}

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f !== undefined, 'the examples workspace is open');
  return f;
}

async function threads(session: vscode.DebugSession): Promise<string[]> {
  const body = (await session.customRequest('threads')) as { threads: Thread[] };
  return body.threads.map((t) => t.name);
}

function tabsOf(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
    (t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType))
    || (t.input instanceof vscode.TabInputCustom && t.input.viewType === viewType));
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let session: vscode.DebugSession | undefined;

export const checks: [string, () => Promise<void>][] = [
  ['the workspace has the greenlet launch configurations', async () => {
    const configs = vscode.workspace.getConfiguration('launch', folder().uri).get<{ name: string; type: string }[]>('configurations') ?? [];
    assert.ok(configs.some((c) => c.name === LIVE_CONFIG && c.type === DEBUG_TYPE), JSON.stringify(configs.map((c) => c.name)));
  }],
  ['a breakpoint in a worker stops the session there, the board opens', async () => {
    trackStops();
    const program = vscode.Uri.file(path.join(folder().uri.fsPath, 'bounded_queue.py'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(program, new vscode.Position(12, 0)))]);
    const before = stops.length;
    assert.ok(await vscode.debug.startDebugging(folder(), LIVE_CONFIG), 'the session starts');
    const stop = await nextStop(before);
    assert.equal(stop.reason, 'breakpoint');
    session = vscode.debug.activeDebugSession;
    assert.ok(session !== undefined);
    const names = await threads(session);
    assert.ok(names.some((n) => n.startsWith('g3 worker · running')), names.join('\n'));
    assert.ok(names.some((n) => n.startsWith('g2 boss · blocked on tasks.put')), names.join('\n'));
    await until('the board beside the editor', () => tabsOf(BOARD_VIEW_TYPE).length > 0);
  }],
  ['Step to Next Greenlet Switch: the worker yields to the hub', async () => {
    assert.ok(session !== undefined);
    const before = stops.length;
    await vscode.commands.executeCommand(COMMANDS.stepSwitch);
    await nextStop(before);
    const names = await threads(session);
    assert.ok(names.some((n) => n.startsWith('g3 worker · blocked on sleep')), names.join('\n'));
    assert.ok(names.some((n) => n.startsWith('g6 Hub.run · running')), names.join('\n'));
  }],
  ['Stop ends the session', async () => {
    assert.ok(session !== undefined);
    const ended = new Promise<void>((resolve) => vscode.debug.onDidTerminateDebugSession((s) => { if (s.id === session!.id) resolve(); }));
    await vscode.debug.stopDebugging(session);
    await ended;
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  }],
  ['the recorded trace opens in the trace editor', async () => {
    const trace = vscode.Uri.file(path.join(folder().uri.fsPath, 'recordings', 'bounded_queue.glt'));
    await vscode.commands.executeCommand('vscode.open', trace);
    await until('the trace editor', () => tabsOf(TRACE_EDITOR_VIEW_TYPE).length > 0);
  }],
  ['its replay steps forward one switch, then back one', async () => {
    const before = stops.length;
    assert.ok(await vscode.debug.startDebugging(folder(), REPLAY_CONFIG), 'the replay starts');
    const first = await nextStop(before);
    const replay = vscode.debug.activeDebugSession!;
    await replay.customRequest('next', { threadId: first.threadId });
    const forward = await nextStop(before + 1);
    const atForward = await threads(replay);
    await replay.customRequest('stepBack', { threadId: forward.threadId });
    await nextStop(before + 2);
    assert.notDeepEqual(await threads(replay), atForward, 'the threads differ one switch back');
    await vscode.debug.stopDebugging(replay);
  }],
];

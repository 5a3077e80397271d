/**
 * Stops land on the program's own line (justMyCode): after a switch step,
 * Run to Greenlet and a deadlock, the first frame VS Code opens (the first
 * whose source is not deemphasized) is the innermost frame of the program's
 * own code; gevent's frames stay listed above it, subtle. A stop in a
 * greenlet with no code of the program's (the hub) keeps the editor's focus.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf, type Dap } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_evaluate.py');
const BREAK = lineOf(PROGRAM, '# BREAK');
const WAITS = [lineOf(PROGRAM, 'item = tasks.get()'), lineOf(PROGRAM, 'gevent.sleep(0)')];
const DEADLOCK = path.join(PROGRAMS, 'dap_deadlock.py');

/** The frame VS Code opens: the first whose source is not deemphasized (else the first). */
function opened(stack: DebugProtocol.StackFrame[]): DebugProtocol.StackFrame {
  return stack.find((f) => f.source !== undefined && f.source.presentationHint !== 'deemphasize') ?? stack[0]!;
}

async function stepSwitch(dap: Dap, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const r = await dap.request('stepSwitch', { threadId });
  assert.ok(r.success, r.message);
  return dap.nextStop();
}

dapTest('a switch step into a greenlet waiting in gevent opens its own line, gevent\'s frames listed above it, subtle', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const first = await dap.nextStop();
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  let threadId = first.body.threadId!;
  let sawHub = false;
  let sawUser = false;
  for (let i = 0; i < 12 && !(sawHub && sawUser); i++) {
    const stop = await stepSwitch(dap, threadId);
    threadId = stop.body.threadId!;
    const stack = await frames(dap, threadId);
    const user = stack.filter((f) => f.source?.path === PROGRAM);
    if (user.length === 0) {
      // The hub: nothing of the program's to open, so the editor keeps its place.
      assert.equal(stop.body.preserveFocusHint, true, JSON.stringify(stop.body));
      assert.ok(stack.every((f) => f.presentationHint === 'subtle'));
      sawHub = true;
      continue;
    }
    assert.notEqual(stop.body.preserveFocusHint, true);
    const top = opened(stack);
    assert.equal(top.source?.path, PROGRAM, `opens ${top.source?.path}:${top.line}`);
    assert.equal(top, user[0]);
    const above = stack.slice(0, stack.indexOf(top));
    assert.ok(above.every((f) => f.presentationHint === 'subtle' && f.source?.presentationHint === 'deemphasize'), JSON.stringify(above));
    if (above.length > 0) {
      // Resumed inside gevent's wait: its frames are still there to look at.
      assert.ok(WAITS.includes(top.line), `opens line ${top.line}`);
      sawUser = true;
    }
  }
  assert.ok(sawHub && sawUser, `a step into the hub (${sawHub}) and into a consumer waiting in gevent (${sawUser})`);
  await dap.request('terminate');
});

dapTest('with justMyCode off, gevent\'s frames are ordinary frames', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, blockedLoopMs: 0, justMyCode: false }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const stop = await dap.nextStop();
  const main = await frames(dap, 1);
  assert.ok(main.length > 0);
  assert.ok(main.every((f) => f.presentationHint === undefined && f.source?.presentationHint === undefined), JSON.stringify(main));
  assert.equal(stop.body.preserveFocusHint, undefined);
  await dap.request('terminate');
});

dapTest('a deadlock stop opens the program\'s line that waits, not gevent\'s hub', async (dap) => {
  await dap.begin('launch', { program: DEADLOCK, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'exception');
  const top = opened(await frames(dap, stop.body.threadId!));
  assert.deepEqual([top.source?.path, top.line], [DEADLOCK, lineOf(DEADLOCK, 'w.join()')]);
  await dap.request('terminate');
});

/**
 * Logpoints, conditions and hit conditions as VS Code users know them from
 * the Python debugger: a logpoint says its message in the Debug Console and
 * does not stop; a condition or log expression that raises is said once and
 * does not stop.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, PYTHON, ROOT, dapTest, lineOf, type Dap } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_control.py');
const HELPER = lineOf(PROGRAM, '# HELPER');
const CALL = lineOf(PROGRAM, '# CALL');

async function runWith(dap: Dap, breakpoints: DebugProtocol.SourceBreakpoint[]): Promise<DebugProtocol.SetBreakpointsResponse> {
  const init = await dap.client.initializeRequest();
  assert.equal(init.body?.supportsLogPoints, true);
  await dap.request('launch', { program: PROGRAM, args: ['loop'], python: PYTHON, cwd: ROOT, blockedLoopMs: 0 });
  await dap.next('initialized');
  const set = await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints });
  await dap.client.configurationDoneRequest();
  return set;
}

/** Runs to the end; no stop may come on the way. */
async function toTheEnd(dap: Dap): Promise<void> {
  const e = await dap.nextOf(['stopped', 'terminated']);
  assert.equal(e.event, 'terminated', `stopped: ${JSON.stringify(e.body)}`);
}

dapTest('a logpoint says its message with each {expression} filled in, and never stops', async (dap) => {
  const set = await runWith(dap, [{ line: HELPER, logMessage: 'helper got {i}, doubled {i * 2}, {"text"} {[i]}' }]);
  assert.ok(set.body.breakpoints[0]!.verified);
  await toTheEnd(dap);
  const lines = dap.output('console').split('\n').filter((l) => l.startsWith('helper got'));
  assert.deepEqual(lines, [0, 1, 2, 3, 4, 5].map((i) => `helper got ${i}, doubled ${i * 2}, text [${i}]`));
  assert.match(dap.output('stdout'), /total 30/);
});

dapTest('a condition that raises is said once in the Debug Console and does not stop; nor does a log expression that raises', async (dap) => {
  await runWith(dap, [
    { line: HELPER, condition: 'no_such_name > 1' },
    { line: CALL, logMessage: 'call {i}: {1 / 0}' },
  ]);
  await toTheEnd(dap);
  const console = dap.output('console');
  const told = console.split('\n').filter((l) => l.includes('raised'));
  assert.deepEqual(told, [
    `Greenlet Lens: the condition at dap_control.py:${HELPER} raised NameError: name 'no_such_name' is not defined; the breakpoint does not stop (said once)`,
    `Greenlet Lens: the log message at dap_control.py:${CALL} raised ZeroDivisionError: division by zero; shown as <error> in its message (said once)`,
  ].sort((a, b) => console.indexOf(a) - console.indexOf(b)));
  const calls = console.split('\n').filter((l) => l.startsWith('call '));
  assert.deepEqual(calls, [0, 1, 2, 3, 4, 5].map((i) => `call ${i}: <error: ZeroDivisionError>`));
  assert.match(dap.output('stdout'), /total 30/);
});

dapTest('a hit condition on a logpoint: only the hits it allows are said; a conditional breakpoint still stops', async (dap) => {
  await runWith(dap, [
    { line: CALL, logMessage: 'late call {i}', hitCondition: '>= 5' },
    { line: HELPER, condition: 'i == 4' },
  ]);
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'breakpoint');
  assert.deepEqual(dap.output('console').split('\n').filter((l) => l.startsWith('late call')), ['late call 4']);
  await dap.client.continueRequest({ threadId: stop.body.threadId! });
  await toTheEnd(dap);
  assert.deepEqual(dap.output('console').split('\n').filter((l) => l.startsWith('late call')), ['late call 4', 'late call 5']);
});

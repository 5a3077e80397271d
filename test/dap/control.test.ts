/**
 * Execution control beyond breakpoints and switches: pause inside a greenlet
 * that never yields, conditional and hit-count breakpoints, stepIn/stepOut
 * inside a greenlet, the uncaught-in-main filter, program output.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf, variablesOf } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_control.py');
const SPIN = lineOf(PROGRAM, '# SPIN');
const HELPER = lineOf(PROGRAM, '# HELPER');
const CALL = lineOf(PROGRAM, '# CALL');
const RAISE = lineOf(PROGRAM, '# RAISE');

const launch = (mode: string, extra: object = {}) =>
  ({ program: PROGRAM, args: [mode], python: PYTHON, cwd: ROOT, ...extra });

async function localsOf(dap: Parameters<Parameters<typeof dapTest>[1]>[0], threadId: number) {
  const top = (await frames(dap, threadId))[0]!;
  const scopes = (await dap.client.scopesRequest({ frameId: top.id })).body.scopes;
  return { top, locals: await variablesOf(dap, scopes.find((s) => s.name === 'Locals')!.variablesReference) };
}

dapTest('pause stops a greenlet that spins without yielding, at its loop', async (dap) => {
  // The blocked-loop watchdog is off, so only the pause request can stop it.
  await dap.begin('launch', launch('spin', { blockedLoopMs: 0 }));
  await new Promise((r) => setTimeout(r, 1500));
  const paused = await dap.request('pause', { threadId: 1 });
  assert.ok(paused.success, paused.message);
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'pause');
  const { top, locals } = await localsOf(dap, stop.body.threadId!);
  assert.deepEqual([top.name, top.source?.path], ['spinner', PROGRAM]);
  assert.ok(Math.abs(top.line - SPIN) <= 1, `stopped at line ${top.line}, the loop is at ${SPIN}`);
  assert.ok(Number(locals['n']) > 0, 'the loop has been counting');
  await dap.request('terminate');
  await dap.next('terminated');
});

dapTest('a conditional breakpoint stops only when its condition holds; a hit count skips the first hits', async (dap) => {
  await dap.client.initializeRequest();
  await dap.request('launch', launch('loop'));
  await dap.next('initialized');
  const set = await dap.client.setBreakpointsRequest({
    source: { path: PROGRAM },
    breakpoints: [{ line: HELPER, condition: 'i == 3' }, { line: CALL, hitCondition: '5' }],
  });
  assert.ok(set.body.breakpoints.every((b) => b.verified), JSON.stringify(set.body));
  await dap.client.configurationDoneRequest();

  const first = await dap.nextStop();
  assert.equal(first.body.reason, 'breakpoint');
  const a = await localsOf(dap, first.body.threadId!);
  assert.deepEqual([a.top.line, a.locals['i']], [HELPER, '3']);
  await dap.client.continueRequest({ threadId: first.body.threadId! });

  const second = await dap.nextStop();
  const b = await localsOf(dap, second.body.threadId!);
  assert.deepEqual([b.top.line, b.locals['i']], [CALL, '4'], 'the fifth time the call line runs');
  await dap.client.continueRequest({ threadId: second.body.threadId! });
  const exited = await dap.next('exited');
  assert.equal(exited.body.exitCode, 0);
  assert.match(dap.output('stdout'), /total 30/, 'program output reaches the Debug Console');
});

dapTest('stepIn enters the helper, stepOut returns to the greenlet that called it', async (dap) => {
  await dap.begin('launch', launch('loop'), { breakpoints: [{ path: PROGRAM, lines: [CALL] }] });
  const stop = await dap.nextStop();
  const g = stop.body.threadId!;
  await dap.client.stepInRequest({ threadId: g });
  const inside = await dap.nextStop();
  assert.equal(inside.body.reason, 'step');
  assert.equal(inside.body.threadId, g);
  const inHelper = await localsOf(dap, g);
  assert.deepEqual([inHelper.top.name, inHelper.top.line, inHelper.locals['i']], ['helper', HELPER, '0']);
  await dap.client.stepOutRequest({ threadId: g });
  const back = await dap.nextStop();
  assert.equal(back.body.threadId, g);
  const caller = (await frames(dap, g))[0]!;
  assert.equal(caller.name, 'looper');
  assert.ok(caller.line >= CALL && caller.line <= CALL + 1, `back in looper at ${caller.line}`);
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  await dap.client.continueRequest({ threadId: g });
  assert.equal((await dap.next('exited')).body.exitCode, 0);
});

dapTest('an exception uncaught in main stops there, then the program exits with status 1', async (dap) => {
  await dap.begin('launch', launch('uncaught'), { exceptionFilters: ['uncaught'] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'exception');
  assert.equal(stop.body.threadId, 1);
  assert.match(stop.body.description ?? '', /RuntimeError/);
  const top = (await frames(dap, 1))[0]!;
  assert.deepEqual([top.line, top.source?.path], [RAISE, PROGRAM]);
  await dap.client.continueRequest({ threadId: 1 });
  assert.equal((await dap.next('exited')).body.exitCode, 1);
  assert.match(dap.output('stderr'), /RuntimeError: main gives up/);
});

dapTest('a forked child neither stops at breakpoints nor speaks on the session', async (dap) => {
  const program = path.join(PROGRAMS, 'dap_fork.py');
  const WORK = lineOf(program, '# WORK');
  await dap.begin('launch', { program, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: program, lines: [WORK] }] });
  const stop = await dap.nextStop();
  const { locals } = await localsOf(dap, stop.body.threadId!);
  assert.equal(locals['who'], "'parent'");
  await dap.client.continueRequest({ threadId: stop.body.threadId! });
  const end = await dap.nextOf(['stopped', 'exited']);
  assert.equal(end.event, 'exited', `the child stopped the session: ${JSON.stringify(end.body)}`);
  assert.equal((end as { body: { exitCode: number } }).body.exitCode, 0);
  assert.match(dap.output('stdout'), /child exited 7/);
});

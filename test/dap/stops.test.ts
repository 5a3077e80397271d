import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf } from './support';

const STATE_FLAGS = path.join(EXAMPLES, 'state_flags.py');
const RAISE = lineOf(STATE_FLAGS, "raise Exception('You fail at failing.')");
const DEADLOCK = path.join(PROGRAMS, 'dap_deadlock.py');
const BLOCKED = path.join(PROGRAMS, 'dap_blocked.py');

dapTest('the greenletException filter stops in state_flags.py fail(), where it raises', async (dap) => {
  await dap.begin('launch', { program: STATE_FLAGS, python: PYTHON, cwd: ROOT }, { exceptionFilters: ['greenletException'] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'exception');
  const g = stop.body.threadId!;
  const top = (await frames(dap, g))[0]!;
  assert.deepEqual([top.name, top.line, top.source?.path], ['fail', RAISE, STATE_FLAGS]);
  const info = await dap.client.exceptionInfoRequest({ threadId: g });
  assert.match(`${info.body.exceptionId} ${info.body.description ?? ''}`, /Exception/);
  assert.match(`${info.body.description ?? ''} ${info.body.details?.message ?? ''}`, /You fail at failing/);
  await dap.client.continueRequest({ threadId: g });
  const exited = await dap.next<DebugProtocol.ExitedEvent>('exited');
  assert.equal(exited.body.exitCode, 0, 'gevent only prints a greenlet\'s exception');
  assert.match(dap.output('stdout'), /You fail at failing/);
});

dapTest('without exception filters state_flags.py runs to the end without stopping', async (dap) => {
  await dap.begin('launch', { program: STATE_FLAGS, python: PYTHON, cwd: ROOT }, { exceptionFilters: [] });
  const e = await dap.nextOf(['stopped', 'terminated']);
  assert.equal(e.event, 'terminated', JSON.stringify(e));
});

dapTest('an Event nobody sets stops as a deadlock naming the waiter and the Event', async (dap) => {
  await dap.begin('launch', { program: DEADLOCK, python: PYTHON, cwd: ROOT });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'exception');
  assert.match(stop.body.description ?? '', /^Deadlock/);
  const said = `${stop.body.description ?? ''}\n${stop.body.text ?? ''}`;
  const threads = (await dap.client.threadsRequest()).body.threads;
  const waiter = threads.find((t) => / waiter · /.test(t.name));
  assert.ok(waiter !== undefined, threads.map((t) => t.name).join('\n'));
  assert.equal(waiter.name, `g${waiter.id} waiter · blocked on go.wait`);
  assert.ok(said.includes(`g${waiter.id}`), `names the waiter g${waiter.id}: ${said}`);
  assert.ok(said.includes('go.wait') || said.includes(' go '), `names the Event by its variable, go: ${said}`);
  // The runtime says who waits on what as facts; the words above are the adapter's.
  const facts = await dap.nextStopFacts();
  assert.equal(facts.reason, 'deadlock');
  assert.ok(facts.waits?.some((w) => w.g === waiter.id && w.reason === 'event_wait' && w.obj > 0), JSON.stringify(facts));
  const info = await dap.client.exceptionInfoRequest({ threadId: stop.body.threadId! });
  assert.equal(info.body.exceptionId, 'Deadlock');
  const waits = (await frames(dap, waiter.id)).map((f) => f.line);
  assert.ok(waits.includes(lineOf(DEADLOCK, '# WAIT')), `the waiter's stack shows go.wait(): ${waits}`);
});

dapTest('unpatched time.sleep(0.5) in a greenlet stops as a blocked loop at that line', async (dap) => {
  await dap.begin('launch', { program: BLOCKED, python: PYTHON, cwd: ROOT, blockedLoopMs: 100 });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'pause');
  assert.match(stop.body.description ?? '', /^Blocked loop/);
  const facts = await dap.nextStopFacts();
  assert.deepEqual([facts.reason, facts.thresholdMs, (facts.ms ?? 0) >= 100], ['blocked', 100, true], JSON.stringify(facts));
  const g = stop.body.threadId!;
  const thread = (await dap.client.threadsRequest()).body.threads.find((t) => t.id === g);
  assert.match(thread?.name ?? '', / hog · /);
  const top = (await frames(dap, g)).find((f) => f.source?.path === BLOCKED);
  assert.deepEqual([top?.name, top?.line], ['hog', lineOf(BLOCKED, '# BLOCK')]);
  await dap.client.continueRequest({ threadId: g });
  const exited = await dap.next<DebugProtocol.ExitedEvent>('exited');
  assert.equal(exited.body.exitCode, 0);
  assert.match(dap.output('stdout'), /finished/);
});

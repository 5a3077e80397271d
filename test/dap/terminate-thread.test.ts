/**
 * Terminate Thread on a greenlet: Greenlet.kill() semantics. GreenletExit
 * is raised in it once the program runs on; the program goes on without it.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PROGRAMS, PYTHON, ROOT, dapTest, lineOf, stdoutMatch, streamedTrace } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_evaluate.py');
const BREAK = lineOf(PROGRAM, '# BREAK');

dapTest('Terminate Thread kills a sleeping greenlet with GreenletExit when the program goes on; main and the hub are refused', async (dap) => {
  const init = await dap.client.initializeRequest();
  assert.equal(init.body?.supportsTerminateThreadsRequest, true);
  await dap.request('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 });
  await dap.next('initialized');
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [{ line: BREAK }] });
  await dap.client.configurationDoneRequest();
  const stop = await dap.nextStop();
  const threads = (await dap.client.threadsRequest()).body.threads;
  const idle = threads.find((t) => / idle · /.test(t.name))!;
  const hub = threads.find((t) => /hub/i.test(t.name))!;
  const refused = await dap.request('terminateThreads', { threadIds: [1] });
  assert.equal(refused.success, false);
  assert.match(refused.message ?? '', /g1 is not a gevent Greenlet/);
  assert.equal((await dap.request('terminateThreads', { threadIds: [hub.id] })).success, false);

  const r = await dap.request('terminateThreads', { threadIds: [idle.id] });
  assert.ok(r.success, r.message);
  // Nothing ran meanwhile: still stopped, and the greenlet still waits.
  assert.equal(dap.all.filter((e) => e.event === 'continued').length, 0);
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  await dap.client.continueRequest({ threadId: stop.body.threadId! });
  await dap.next('terminated');
  await stdoutMatch(dap, /^results /m);
  const exits = streamedTrace(dap).events.filter((e) => e.kind === 'exit' && e.g === idle.id);
  assert.equal(exits.length, 1);
  assert.match(JSON.stringify(exits[0]), /GreenletExit/);
});

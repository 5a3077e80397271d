import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { AdapterErrorId } from '../../debug-adapter/errors';
import type { GreenletSnapshotBody } from '../../shared/protocol/custom-dap';
import { PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf, streamedTrace, variablesOf } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_workers.py');
const BREAK = lineOf(PROGRAM, '# BREAK');
const JOIN = lineOf(PROGRAM, '# JOIN');
const SPAWN = lineOf(PROGRAM, 'crew = [gevent.spawn');

dapTest('a breakpoint in a worker: every live greenlet is a thread, with its own stack and Greenlet scope', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'breakpoint');
  assert.equal(stop.body.allThreadsStopped, true);
  const g = stop.body.threadId!;

  const threads = (await dap.client.threadsRequest()).body.threads;
  const names = threads.map((t) => t.name);
  const workers = threads.filter((t) => / worker · /.test(t.name));
  assert.equal(workers.length, 3, names.join('\n'));
  assert.ok(threads.some((t) => t.id === 1 && t.name.startsWith('g1 ')), `main is a thread:\n${names.join('\n')}`);
  assert.ok(names.some((n) => / · /.test(n) && /hub/i.test(n)), `the hub is a thread:\n${names.join('\n')}`);
  assert.ok(!names.some((n) => n.includes('warm_up')), 'the finished warm_up greenlet is not a thread');
  assert.equal(threads.find((t) => t.id === g)?.name, `g${g} worker · running`);
  assert.ok(threads.every((t) => t.name === `g${t.id}${t.name.slice(`g${t.id}`.length)}`), 'thread id = greenlet id');

  const top = (await frames(dap, g))[0]!;
  assert.deepEqual([top.name, top.line, top.source?.path], ['worker', BREAK, PROGRAM]);
  const mainFrames = await frames(dap, 1);
  assert.ok(
    mainFrames.some((f) => f.line === JOIN && f.source?.path === PROGRAM),
    `main waits at line ${JOIN}: ${JSON.stringify(mainFrames.map((f) => [f.name, f.line, f.source?.path]))}`,
  );

  // A worker that has not run has no Python frame: it shows its spawn site, with its Greenlet scope.
  const waiting = workers.find((t) => t.id !== g && t.name.endsWith('· runnable'))!;
  const spawnFrame = (await frames(dap, waiting.id))[0]!;
  assert.deepEqual([spawnFrame.name, spawnFrame.line, spawnFrame.source?.path], [`g${waiting.id} worker has not run yet (spawned here)`, SPAWN, PROGRAM]);
  const spawnScopes = (await dap.client.scopesRequest({ frameId: spawnFrame.id })).body.scopes;
  assert.deepEqual(spawnScopes.map((s) => s.name), ['Greenlet']);
  const other = await variablesOf(dap, spawnScopes[0]!.variablesReference);
  assert.deepEqual([other['state'], other['started'], other['switches']], ['runnable', 'True', '0']);

  const scopes = (await dap.client.scopesRequest({ frameId: top.id })).body.scopes;
  assert.deepEqual(scopes.map((s) => s.name).slice(0, 2), ['Locals', 'Greenlet']);
  assert.ok(scopes.some((s) => s.name === 'Globals'));
  const locals = await variablesOf(dap, scopes[0]!.variablesReference);
  assert.deepEqual([locals['task'], locals['name']], ['0', "'ann'"]);
  const greenlet = await variablesOf(dap, scopes[1]!.variablesReference);
  assert.deepEqual(
    [greenlet['id'], greenlet['name'], greenlet['state'], greenlet['started'], greenlet['ready()'], greenlet['successful()'], greenlet['value'], greenlet['exception'], greenlet['parent']],
    [`g${g}`, 'worker', 'running', 'True', 'False', 'False', 'None', 'None', 'g1 <main>'],
  );
  assert.ok(greenlet['spawned at']!.startsWith(`${PROGRAM}:${SPAWN} `), greenlet['spawned at']);

  // The board's view: the live stream and the snapshot agree with the threads.
  const snapshot = (await dap.request('greenletSnapshot')).body as GreenletSnapshotBody;
  assert.equal(snapshot.header?.format, 'greenlet-lens-trace');
  // VS Code pauses only a thread it knows: the adapter says one started once configured, so VS Code asks for the list.
  assert.ok(dap.all.some((e) => e.event === 'thread' && (e.body as { reason: string }).reason === 'started'), 'a thread event after configurationDone');
  const trace = streamedTrace(dap);
  assert.equal(trace.header?.format, 'greenlet-lens-trace', 'the stream starts with the trace header');
  const streamed = trace.events;
  assert.deepEqual(streamed.map((e) => e.seq), streamed.map((_, i) => i), 'consecutive from 0, none dropped');
  assert.equal(streamed.length, snapshot.eventCount, 'everything up to the stop was streamed before it');
  const live = snapshot.state.greenlets.filter((x) => !x.state.startsWith('dead')).map((x) => x.id);
  assert.deepEqual(threads.map((t) => t.id), live);

  // Run to the end without the breakpoint: output, exit status 0, then terminated.
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  await dap.client.continueRequest({ threadId: g });
  const exited = await dap.next<DebugProtocol.ExitedEvent>('exited');
  assert.equal(exited.body.exitCode, 0);
  await dap.next('terminated');
  assert.match(dap.output('stdout'), /results \[\('ann', 0\)/);
});

dapTest('ids of an earlier stop are refused as stale, never answered with the new stop\'s data', async (dap) => {
  const error = async (command: string, args: object): Promise<{ id: number | undefined; message: string }> => {
    const r = await dap.request(command, args);
    assert.equal(r.success, false, `${command} ${JSON.stringify(args)} should fail`);
    return { id: (r.body as { error?: DebugProtocol.Message } | undefined)?.error?.id, message: r.message ?? '' };
  };
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const ids = async (g: number) => {
    // The last worker has not run at either stop: its frame is the adapter's own, at its spawn site.
    const cid = (await dap.client.threadsRequest()).body.threads.filter((t) => / worker · /.test(t.name)).at(-1)!.id;
    const spawn = (await frames(dap, cid))[0]!.id;
    const top = (await frames(dap, g))[0]!.id;
    const scopes = (await dap.client.scopesRequest({ frameId: top })).body.scopes;
    const ref = (name: string) => scopes.find((s) => s.name === name)!.variablesReference;
    return { spawn, top, locals: ref('Locals'), greenlet: ref('Greenlet') };
  };
  const first = await ids((await dap.nextStop()).body.threadId!);
  await dap.client.continueRequest({ threadId: 1 });
  const second = await ids((await dap.nextStop()).body.threadId!);
  assert.notEqual(second.spawn, first.spawn);
  assert.notEqual(second.greenlet, first.greenlet);
  for (const [command, args] of [
    ['scopes', { frameId: first.spawn }],
    ['scopes', { frameId: first.top }],
    ['variables', { variablesReference: first.greenlet }],
    ['variables', { variablesReference: first.locals }],
  ] as const) {
    const e = await error(command, args);
    assert.equal(e.id, AdapterErrorId.StaleId, `${command} ${JSON.stringify(args)}: ${e.message}`);
    assert.match(e.message, /is stale: it belongs to an earlier stop/);
  }
  assert.ok((await dap.client.scopesRequest({ frameId: second.spawn })).body.scopes.length > 0);
});

dapTest('stepping by line inside the stopped greenlet (next) stays in that greenlet', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const g = (await dap.nextStop()).body.threadId!;
  await dap.client.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: [] });
  await dap.client.nextRequest({ threadId: g });
  const step = await dap.nextStop();
  assert.equal(step.body.reason, 'step');
  assert.equal(step.body.threadId, g);
  const top = (await frames(dap, g))[0]!;
  assert.deepEqual([top.name, top.line], ['worker', BREAK + 1]);
});

dapTest('thousands of greenlets: the thread list is capped at maxThreads, quickly, and the cap is said once', async (dap) => {
  const many = path.join(PROGRAMS, 'dap_many.py');
  // The watchdog is off: spawning 3000 greenlets on a loaded machine may hold the loop past 100 ms.
  await dap.begin('launch', { program: many, python: PYTHON, cwd: ROOT, maxThreads: 50, blockedLoopMs: 0 }, { breakpoints: [{ path: many, lines: [lineOf(many, '# BREAK')] }] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.threadId, 1);
  const t0 = Date.now();
  const threads = (await dap.client.threadsRequest()).body.threads;
  const ms = Date.now() - t0;
  assert.equal(threads.length, 50);
  assert.equal(threads[0]!.name, 'g1 <main> · running');
  assert.ok(threads.slice(1).every((t) => / waiter · blocked on q\.get$/.test(t.name) || /hub/i.test(t.name)), threads.map((t) => t.name).join('\n'));
  assert.ok(ms < 1000, `threads took ${ms} ms`);
  await dap.client.threadsRequest();
  const notes = dap.all.filter((e) => e.event === 'output' && /not listed as threads/.test((e as DebugProtocol.OutputEvent).body.output));
  assert.equal(notes.length, 1);
  assert.match((notes[0] as DebugProtocol.OutputEvent).body.output, /2952 greenlets are not listed as threads \(maxThreads is 50\)/);
  await dap.client.setBreakpointsRequest({ source: { path: many }, breakpoints: [] });
  await dap.client.continueRequest({ threadId: 1 });
  assert.equal((await dap.next<DebugProtocol.ExitedEvent>('exited')).body.exitCode, 0);
  assert.match(dap.output('stdout'), /all 3000 done/);
});

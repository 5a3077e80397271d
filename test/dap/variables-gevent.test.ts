/**
 * gevent objects explained in Variables, Watch and the Debug Console: the
 * facts the board shows (items, maxsize, getters, putters, waiters, holders),
 * each greenlet expandable to its Greenlet view, the Python attributes last;
 * each object named as the program named it (`full`, `go`), in values and in
 * what greenlets wait on.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, PYTHON, ROOT, dapTest, frames, lineOf, type Dap } from './support';

const PROGRAM = path.join(PROGRAMS, 'dap_objects.py');
const BREAK = lineOf(PROGRAM, '# BREAK');

async function evaluated(dap: Dap, expression: string, frameId: number): Promise<DebugProtocol.EvaluateResponse['body']> {
  const r = (await dap.request('evaluate', { expression, frameId, context: 'watch' })) as DebugProtocol.EvaluateResponse;
  assert.equal(r.success, true, r.message);
  return r.body;
}

async function children(dap: Dap, ref: number, extra: object = {}): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await dap.client.variablesRequest({ variablesReference: ref, ...extra });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

dapTest('a Queue, an Event, an AsyncResult and a Semaphore expand to what the board shows, greenlets included', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, python: PYTHON, cwd: ROOT, blockedLoopMs: 0 }, { breakpoints: [{ path: PROGRAM, lines: [BREAK] }] });
  const stop = await dap.nextStop();
  const top = (await frames(dap, stop.body.threadId!))[0]!;
  const threads = (await dap.client.threadsRequest()).body.threads;
  const label = (fn: string): string => threads.find((t) => t.name.includes(` ${fn} · `))!.name.split(' · ')[0]!;

  const full = await evaluated(dap, 'full', top.id);
  assert.match(full.result, /^full · 2 items of 2, 1 putter$/);
  const q = await children(dap, full.variablesReference);
  assert.deepEqual([q.get('maxsize')?.value, q.get('qsize()')?.value, q.get('putters')?.value, q.get('getters')?.value], ['2', '2', label('putter'), 'none']);
  const items = await children(dap, q.get('items')!.variablesReference);
  assert.deepEqual([...items.values()].map((v) => v.value), ["'a'", "'b'"]);
  // A waiting greenlet expands to its Greenlet view: what it waits on, where it was spawned.
  const putters = await children(dap, q.get('putters')!.variablesReference);
  const putter = await children(dap, putters.get('[0]')!.variablesReference);
  assert.match(putter.get('state')!.value, /^blocked on full\.put$/);
  assert.match(putter.get('spawned at')!.value, /dap_objects\.py:\d+/);
  // The Python attributes are still there (a compiled gevent's Queue has none the runtime can read safely).
  if (q.has('Python attributes')) assert.ok((await children(dap, q.get('Python attributes')!.variablesReference)).size > 0);

  assert.match((await evaluated(dap, 'empty', top.id)).result, /^empty · 0 items, 1 getter$/);

  const go = await evaluated(dap, 'go', top.id);
  assert.match(go.result, /^go · not set, 2 waiters$/);
  const ev = await children(dap, go.variablesReference);
  assert.equal(ev.get('is_set()')?.value, 'False');
  assert.deepEqual(ev.get('waiters')?.value.split(', ').sort(), [label('waiter'), label('holder')].sort());

  const result = await children(dap, (await evaluated(dap, 'result', top.id)).variablesReference);
  assert.deepEqual([result.get('ready()')?.value, result.get('value')?.value, result.get('exception')?.value], ['True', '42', 'None']);

  const lock = await evaluated(dap, 'lock', top.id);
  assert.match(lock.result, new RegExp(`^lock · held by ${label('holder')}, 1 waiter$`));
  const l = await children(dap, lock.variablesReference);
  assert.deepEqual([l.get('counter')?.value, l.get('holders')?.value, l.get('waiters')?.value], ['0', label('holder'), label('wanter')]);

  // A greenlet as a value: its Greenlet view, not only its attributes.
  const g = await evaluated(dap, 'crew[1]', top.id);
  assert.match(g.result, /getter · blocked on empty\.get$/);
  const gv = await children(dap, g.variablesReference);
  assert.deepEqual([gv.get('started')?.value, gv.get('ready()')?.value], ['True', 'False']);
  if (gv.has('Python attributes')) assert.ok(gv.get('Python attributes')!.variablesReference > 0);

  // A long queue's items page.
  const long = await children(dap, (await evaluated(dap, 'long_queue', top.id)).variablesReference);
  assert.equal(long.get('items')?.indexedVariables, 150);
  const page = await children(dap, long.get('items')!.variablesReference, { filter: 'indexed', start: 140, count: 10 });
  assert.deepEqual([...page.keys()], ['[140]', '[141]', '[142]', '[143]', '[144]', '[145]', '[146]', '[147]', '[148]', '[149]']);
  await dap.request('terminate');
});

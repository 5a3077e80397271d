import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalRefs, LOCAL_REF_BASE, localVariables } from '../../debug-adapter/session/greenlet-scope';
import { exceptionInfoBody, isExceptionStop, stoppedEventBody } from '../../debug-adapter/session/stop-events';
import { listThreads } from '../../debug-adapter/session/threads';
import { greenletLine } from '../../shared/present/greenlet-words';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceState } from '../../shared/model/state';
import type { StopInfo } from '../../shared/protocol/stop';
import { frame, sequence } from '../support/events';
import { SAMPLE } from '../support/sample-trace';
import type { EventInput } from '../support/trace-builder';

function stateOf(inputs: readonly EventInput[], at?: number): TraceState {
  const model = new TraceModel({ checkpointInterval: 16 });
  model.appendAll(sequence(inputs));
  return at === undefined ? model.latest() : model.stateAt(at);
}

const names = (s: TraceState, max = 200, focus: number | null = null): string[] => listThreads(s, max, focus).threads.map((t) => `${t.id}: ${t.name}`);

test('thread names: label, then what the greenlet does; hub and main included, dead ones left out', () => {
  // After event 18 of the sample g1 joins g4, g3 is blocked putting and the hub runs; after 22 g4 waits on the Event.
  assert.deepEqual(names(stateOf(SAMPLE, 18)), [
    '1: g1 <module> · blocked on join g4 consumer-A',
    '2: g2 Hub · running',
    '3: g3 producer · blocked on Queue#1.put',
    '4: g4 consumer-A · runnable',
  ]);
  assert.deepEqual(names(stateOf(SAMPLE, 22)), [
    '1: g1 <module> · blocked on join g4 consumer-A',
    '2: g2 Hub · runnable',
    '3: g3 producer · runnable',
    '4: g4 consumer-A · blocked on Event#1.wait',
  ]);
  const end = stateOf(SAMPLE);
  assert.deepEqual(names(end), ['1: g1 <module> · running', '2: g2 Hub · runnable'], 'g3 and g4 are dead');
  assert.deepEqual(names(end, 200, 3), ['1: g1 <module> · running', '2: g2 Hub · runnable', '3: g3 producer · failed'], 'unless stopped in');
});

test('thread names: every wait reason reads as the program calls it', () => {
  const reasons = [
    ['sleep', 0, 'sleep'], ['queue_get', 1, 'Queue#1.get'], ['queue_put', 1, 'Queue#1.put'], ['event_wait', 2, 'Event#1.wait'],
    ['result_get', 3, 'AsyncResult#1.get'], ['join', 5, 'join g5'], ['lock_acquire', 4, 'Lock#1.acquire'], ['io', 0, 'I/O'],
    ['other', 0, ''], ['other', 1, 'Queue#1'],
  ] as const;
  for (const [reason, obj, text] of reasons) {
    const s = stateOf([
      { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<module>', site: null, stack: [] },
      { kind: 'object', obj: 1, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1 },
      { kind: 'object', obj: 2, okind: 'Event', capacity: null, type: 'Event', site: null, by: 1 },
      { kind: 'object', obj: 3, okind: 'AsyncResult', capacity: null, type: 'AsyncResult', site: null, by: 1 },
      { kind: 'object', obj: 4, okind: 'Lock', capacity: 1, type: 'Lock', site: null, by: 1 },
      { kind: 'spawn', g: 5, parent: 1, gkind: 'gevent', name: 'worker-3', func: 'work', site: null, stack: [] },
      { kind: 'ready', g: 5, by: 1 },
      { kind: 'switch', from: 1, to: 5, throw: false },
      { kind: 'block', g: 5, reason, obj: reason === 'join' ? 1 : obj, timeout: null, site: frame(7), stack: [] },
    ]);
    const g = s.greenlets.find((x) => x.id === 5)!;
    const expected = reason === 'join' ? 'join g1 <module>' : text;
    assert.equal(greenletLine(g), expected === '' ? 'g5 worker-3 · blocked' : `g5 worker-3 · blocked on ${expected}`);
  }
});

function crowd(n: number): EventInput[] {
  const out: EventInput[] = [
    { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<module>', site: null, stack: [] },
    { kind: 'spawn', g: 2, parent: 1, gkind: 'hub', name: 'Hub', func: 'Hub.run', site: null, stack: [] },
    { kind: 'object', obj: 1, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1 },
  ];
  for (let g = 3; g < n + 3; g++) {
    out.push({ kind: 'spawn', g, parent: 1, gkind: 'gevent', name: '', func: 'worker', site: null, stack: [] }, { kind: 'ready', g, by: 1 });
  }
  // Every tenth worker blocks on the queue; the last one is running.
  for (let g = 3; g < n + 3; g += 10) {
    out.push({ kind: 'switch', from: 1, to: g, throw: false }, { kind: 'block', g, reason: 'queue_get', obj: 1, timeout: null, site: null, stack: [] }, { kind: 'switch', from: g, to: 1, throw: false });
  }
  out.push({ kind: 'switch', from: 1, to: n + 2, throw: false });
  return out;
}

test('threads are capped at maxThreads: the stopped and running greenlet first, then blocked ones, listed by id', () => {
  const s = stateOf(crowd(5000));
  const t0 = process.hrtime.bigint();
  const list = listThreads(s, 200, 4);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(list.threads.length, 200);
  assert.equal(list.omitted, 5002 - 200);
  const ids = list.threads.map((t) => t.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'by id');
  assert.ok(ids.includes(4), 'the stopped greenlet');
  assert.ok(ids.includes(5002), 'the running greenlet');
  const blocked = s.greenlets.filter((g) => g.state === 'blocked').map((g) => g.id);
  assert.equal(blocked.length, 500);
  assert.ok(blocked.slice(0, 197).every((id) => ids.includes(id)), 'blocked ones fill the rest');
  assert.ok(ms < 50, `listing 5000 greenlets took ${ms} ms`);
  assert.equal(listThreads(s, 10_000, null).threads.length, 5002, 'no cap below the count');
});

test('past maxThreads, one greenlet of every kind is listed before a second of any: the one producer among 300 waiting workers', () => {
  const inputs = crowd(3000);
  // One producer, blocked putting: a kind of its own among 300 workers blocked getting.
  inputs.push(
    { kind: 'spawn', g: 9000, parent: 1, gkind: 'gevent', name: '', func: 'producer', site: null, stack: [] }, { kind: 'ready', g: 9000, by: 1 },
    { kind: 'switch', from: 3002, to: 9000, throw: false },
    { kind: 'block', g: 9000, reason: 'queue_put', obj: 1, timeout: null, site: null, stack: [] },
    { kind: 'switch', from: 9000, to: 3002, throw: false },
  );
  const s = stateOf(inputs);
  assert.equal(s.greenlets.filter((g) => g.state === 'blocked' && g.func === 'worker').length, 300);
  const list = listThreads(s, 200, null);
  assert.equal(list.threads.length, 200);
  assert.ok(list.threads.some((t) => /g9000 producer · blocked on Queue#1\.put/.test(t.name)), 'the producer is listed');
});

test('Greenlet scope: flags, parent, spawn site and what it waits on, from the model', () => {
  const refs = new LocalRefs();
  const s = stateOf(SAMPLE, 18);
  const ref = refs.alloc({ kind: 'greenlet', g: 3 });
  assert.ok(ref >= LOCAL_REF_BASE && LocalRefs.isLocal(ref));
  const vars = localVariables(refs.get(ref)!, s, refs);
  const v = Object.fromEntries(vars.map((x) => [x.name, x.value]));
  assert.deepEqual(
    [v['name'], v['state'], v['started'], v['ready()'], v['successful()'], v['value'], v['exception'], v['parent'], v['spawned at'], v['waiting on'], v['switches']],
    ['producer', 'blocked on Queue#1.put', 'True', 'False', 'False', 'None', 'None', 'g1 <module>', '/app/demo.py:20 (<module>)', 'Queue#1.put', '1'],
  );
  const waiting = vars.find((x) => x.name === 'waiting on')!;
  const w = Object.fromEntries(localVariables(refs.get(waiting.variablesReference)!, s, refs).map((x) => [x.name, x.value]));
  assert.deepEqual(w, { reason: 'queue put', object: 'Queue#1', timeout: '2.5 s', at: '/app/demo.py:50 (producer)' });
  const dead = Object.fromEntries(localVariables({ kind: 'greenlet', g: 3 }, stateOf(SAMPLE), refs).map((x) => [x.name, x.value]));
  assert.deepEqual([dead['state'], dead['ready()'], dead['successful()'], dead['exception']], ['failed', 'True', 'False', "ValueError('bad item')"]);
  refs.reset();
  assert.equal(refs.get(ref), undefined);
});

test('stops: worded from their facts and the model\'s labels; a switch is a step, a deadlock an exception, a blocked loop a pause', () => {
  const at22 = stateOf(SAMPLE, 22);
  const body = (stop: StopInfo, state = at22) => stoppedEventBody(stop, state);
  assert.deepEqual(body({ reason: 'switch', g: 5, seq: 9, from: 3, to: 5 }), { reason: 'step', description: 'switch g3 → g5', threadId: 5, allThreadsStopped: true });
  const deadlock = body({ reason: 'deadlock', g: 1, seq: 22, waits: [{ g: 1, reason: 'join', obj: 4 }, { g: 4, reason: 'event_wait', obj: 2 }] });
  assert.deepEqual([deadlock.reason, deadlock.description, deadlock.text], [
    'exception', 'Deadlock: every greenlet is blocked and nothing is scheduled',
    'g1 <module> waits on join g4 consumer-A\ng4 consumer-A waits on Event#1.wait',
  ]);
  const blocked = body({ reason: 'blocked', g: 3, seq: 22, ms: 512, thresholdMs: 100 });
  assert.deepEqual([blocked.reason, blocked.description, blocked.text], [
    'pause', 'Blocked loop: g3 producer has run 512 ms without yielding',
    'No greenlet switch for 512 ms (threshold 100 ms): this greenlet keeps the hub from running.',
  ]);
  assert.equal(body({ reason: 'pause', g: 4, seq: 22 }).description, 'Paused in g4 consumer-A');
  assert.equal(body({ reason: 'breakpoint', g: 4, seq: 22, line: 13 }).description, 'Breakpoint at line 13');
  const raised = body({ reason: 'exception', g: 3, seq: 40, exception: 'ValueError', uncaught: false }, stateOf(SAMPLE));
  assert.deepEqual([raised.description, raised.text], ['g3 producer raised ValueError', 'ValueError: bad item']);
  // exceptionInfo answers only for what DAP calls an exception; a blocked loop is a pause.
  const is = (reason: 'deadlock' | 'blocked' | 'exception' | 'pause') => isExceptionStop({ reason, g: 4, seq: 9 });
  assert.deepEqual([is('exception'), is('deadlock'), is('blocked'), is('pause')], [true, true, false, false]);
  const info = exceptionInfoBody({ reason: 'exception', g: 3, seq: 40, exception: 'ValueError' }, stateOf(SAMPLE));
  assert.deepEqual([info.exceptionId, info.description, info.details?.stackTrace?.includes('line 55')], ['ValueError', 'ValueError: bad item', true]);
});

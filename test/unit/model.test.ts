import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import type { GreenletView, TraceState } from '../../shared/model/state';
import { NO_FLAGS, frame, sequence } from '../support/events';
import { SAMPLE } from '../support/sample-trace';
import type { EventInput } from '../support/trace-builder';

function modelOf(inputs: readonly EventInput[]): TraceModel {
  const model = new TraceModel({ checkpointInterval: 8 });
  model.appendAll(sequence(inputs));
  return model;
}

const sample = modelOf(SAMPLE);
const g = (s: TraceState, id: number): GreenletView => s.greenlets.find((x) => x.id === id)!;

test('names and labels: explicit name, else function, else greenlet-<id>', () => {
  const s = sample.latest();
  assert.deepEqual(s.greenlets.map((x) => [x.id, x.name, x.label, x.gkind]), [
    [1, '<module>', 'g1 <module>', 'main'],
    [2, 'Hub', 'g2 Hub', 'hub'],
    [3, 'producer', 'g3 producer', 'gevent'],
    [4, 'consumer-A', 'g4 consumer-A', 'gevent'],
  ]);
  const anon = modelOf([{ kind: 'spawn', g: 7, parent: 1, gkind: 'greenlet', name: '', func: '', site: null, stack: [] }]);
  assert.equal(anon.latest().greenlets[0]!.label, 'g7 greenlet-7');
  assert.deepEqual(s.queues.map((q) => q.label), ['Queue#1']);
  assert.deepEqual(s.events.map((e) => [e.label, e.type]), [['Event#1', 'Event'], ['AsyncResult#1', 'AsyncResult']]);
  assert.deepEqual(s.locks.map((l) => [l.label, l.capacity]), [['Lock#1', 1]]);
});

test('greenlet states follow spawn, ready, switch, block and exit', () => {
  let s = sample.stateAt(6);
  assert.equal(s.current, 1, 'main runs from the start');
  assert.equal(g(s, 1).state, 'running');
  assert.equal(g(s, 3).state, 'not_started');
  assert.equal(g(s, 3).flags.started, false);
  s = sample.stateAt(7);
  assert.equal(g(s, 3).state, 'runnable');
  assert.equal(g(s, 3).flags.started, true);
  s = sample.stateAt(11);
  assert.deepEqual(g(s, 1).blockedOn, { reason: 'join', obj: 4, objLabel: 'g4 consumer-A', timeout: null, site: frame(30, '<module>') });
  s = sample.stateAt(13);
  assert.deepEqual([g(s, 1).state, g(s, 2).state, g(s, 3).state, s.current], ['blocked', 'runnable', 'running', 3]);
  s = sample.stateAt(18);
  assert.equal(g(s, 3).state, 'blocked', 'switched out while blocked stays blocked');
  assert.equal(g(s, 3).blockedOn?.timeout, 2.5);
  assert.equal(sample.stateAt(21).greenlets[2]!.state, 'runnable');
  assert.equal(g(sample.stateAt(37), 4).state, 'running', 'a throw into a greenlet runs it');
  assert.equal(g(sample.latest(), 4).switches, 2);
});

test('queue items, getters and putters', () => {
  let q = sample.stateAt(17).queues[0]!;
  assert.deepEqual([q.items, q.putters, q.getters, q.maxsize], [["'a'", "'b'"], [3], [], 2]);
  q = sample.stateAt(21).queues[0]!;
  assert.deepEqual([q.items, q.putters], [["'b'"], []]);
  assert.deepEqual(sample.stateAt(26).queues[0]!.items, ["'b'", "'c'"], 'qsync replaces the contents');

  const getters = modelOf([
    { kind: 'object', obj: 1, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 1 },
    ...[5, 3, 4].map((id): EventInput => ({ kind: 'block', g: id, reason: 'queue_get', obj: 1, timeout: null, site: null, stack: [] })),
    { kind: 'put', obj: 1, item: '1' },
    { kind: 'ready', g: 3, by: 1 },
  ]);
  assert.deepEqual(getters.stateAt(3).queues[0]!.getters, [5, 3, 4], 'in the order they blocked');
  assert.deepEqual(getters.latest().queues[0]!.getters, [5, 4]);
});

test('get removes the matching item: first for FIFO, last for LIFO; a miss removes the head', () => {
  const put = (obj: number, item: string): EventInput => ({ kind: 'put', obj, item });
  const m = modelOf([
    { kind: 'object', obj: 1, okind: 'Queue', capacity: null, type: 'Queue', site: null, by: 0 },
    { kind: 'object', obj: 2, okind: 'LifoQueue', capacity: null, type: 'LifoQueue', site: null, by: 0 },
    put(1, 'x'), put(1, 'y'), put(1, 'x'), put(2, 'x'), put(2, 'y'), put(2, 'x'),
    { kind: 'get', obj: 1, item: 'x' },
    { kind: 'get', obj: 2, item: 'x' },
  ]);
  let s = m.latest();
  assert.deepEqual(s.queues.map((q) => q.items), [['y', 'x'], ['x', 'y']]);
  assert.equal(s.inconsistencies, 0);
  m.append({ seq: m.eventCount, t: 100, kind: 'get', obj: 1, item: 'zzz' });
  s = m.latest();
  assert.deepEqual(s.queues[0]!.items, ['x']);
  assert.equal(s.inconsistencies, 1);
});

test('event and async result: set, clear, value, exception, waiters', () => {
  let e = sample.stateAt(22).events[0]!;
  assert.deepEqual([e.set, e.waiters], [false, [4]]);
  e = sample.stateAt(28).events[0]!;
  assert.deepEqual([e.set, e.waiters, e.value], [true, [4], null], 'the waiter stays until it is made ready');
  assert.deepEqual(sample.stateAt(29).events[0]!.waiters, []);
  assert.equal(sample.stateAt(33).events[0]!.set, false);
  let r = sample.stateAt(34).events[1]!;
  assert.deepEqual([r.set, r.value, r.exception], [true, null, 'KeyError(1)']);
  r = sample.stateAt(35).events[1]!;
  assert.deepEqual([r.set, r.value, r.exception], [true, '42', null]);
});

test('lock holders: acquire adds, release removes one occurrence', () => {
  assert.deepEqual(sample.stateAt(14).locks[0]!.holders, [3]);
  assert.deepEqual(sample.stateAt(27).locks[0]!.holders, []);
  const m = modelOf([
    { kind: 'object', obj: 1, okind: 'RLock', capacity: null, type: 'RLock', site: null, by: 1 },
    { kind: 'acquire', obj: 1, g: 2 },
    { kind: 'acquire', obj: 1, g: 2 },
    { kind: 'block', g: 3, reason: 'lock_acquire', obj: 1, timeout: 1, site: null, stack: [] },
    { kind: 'release', obj: 1, g: 2 },
  ]);
  assert.deepEqual(m.latest().locks[0]!, {
    id: 1, label: 'RLock#1', type: 'RLock', className: 'RLock', capacity: null, holders: [2], waiters: [3],
  });
});

test('flags while alive and after exit; dead with exception', () => {
  assert.deepEqual(g(sample.stateAt(29), 3).flags, { ...NO_FLAGS, started: true, value: null, exception: null });
  const s = sample.latest();
  const producer = g(s, 3);
  assert.equal(producer.state, 'dead_exception');
  assert.deepEqual(producer.flags, { started: true, ready: true, successful: false, killed: false, value: null, exception: "ValueError('bad item')" });
  assert.equal(producer.exceptionInfo?.type, 'ValueError');
  const consumer = g(s, 4);
  assert.equal(consumer.state, 'dead_ok', 'a killed greenlet is successful in gevent');
  assert.deepEqual(consumer.flags, { started: true, ready: true, successful: true, killed: true, value: 'GreenletExit()', exception: null });
  const viaException = modelOf([
    { kind: 'spawn', g: 2, parent: 1, gkind: 'greenlet', name: '', func: 'f', site: null, stack: [] },
    { kind: 'exception', g: 2, type: 'KeyError', message: '1', traceback: '' },
    { kind: 'exit', g: 2, flags: { ...NO_FLAGS, started: true, ready: true }, value: '', error: '' },
  ]);
  assert.equal(viaException.latest().greenlets[0]!.state, 'dead_exception');
});

test('marks, runtime errors and the end record', () => {
  assert.deepEqual(sample.stateAt(9).marks, []);
  assert.deepEqual(sample.stateAt(10).marks, [{ seq: 10, t: 11, label: 'spawned — ünïcode ✓' }]);
  assert.equal(sample.stateAt(35).errors.length, 0);
  assert.deepEqual(sample.stateAt(36).errors.map((e) => e.message), ['hook failed: patched Queue.peek']);
  assert.equal(sample.stateAt(40).end, null);
  assert.deepEqual(sample.latest().end, { code: -3, switches: 9, errors: 1 });
  assert.equal(sample.latest().inconsistencies, 0, 'the sample trace is consistent');
});

test('stateAt(-1) is the empty state; out-of-range throws RangeError', () => {
  const s = sample.stateAt(-1);
  assert.deepEqual([s.seq, s.current, s.greenlets.length, s.queues.length], [-1, null, 0, 0]);
  assert.throws(() => sample.stateAt(sample.eventCount), RangeError);
  assert.throws(() => sample.stateAt(1.5), RangeError);
});

test('a snapshot is a copy: changing it does not change the model', () => {
  const s = sample.stateAt(17);
  s.queues[0]!.items.push('tampered');
  assert.deepEqual(sample.stateAt(17).queues[0]!.items, ["'a'", "'b'"]);
  assert.deepEqual(JSON.parse(JSON.stringify(s.greenlets)), s.greenlets, 'plain JSON-able data');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import type { TraceState } from '../../shared/model/state';
import { allBlocked, deadlockVerdict } from '../../shared/analysis/deadlock';
import { TraceFacts } from '../../shared/analysis/facts';
import { buildWaitGraph, stronglyConnected, type WaitGraph } from '../../shared/analysis/waitgraph';
import { frame, sequence } from '../support/events';
import type { EventInput } from '../support/trace-builder';

interface Built {
  state: TraceState;
  graph: WaitGraph;
  facts: TraceFacts;
}

/** The state after all `inputs`, and its wait-for graph as the board builds it. */
function build(inputs: readonly EventInput[], wokenLater: (g: number) => boolean = () => false): Built {
  const model = new TraceModel({ checkpointInterval: 16 });
  const facts = new TraceFacts();
  for (const ev of sequence(inputs)) {
    model.append(ev);
    facts.apply(ev);
  }
  const cursor = model.eventCount - 1;
  const state = model.stateAt(cursor);
  const graph = buildWaitGraph(state, (obj, reason) => facts.queueWakers(obj, reason, cursor), wokenLater);
  return { state, graph, facts };
}

const spawn = (g: number, name: string, parent = 1): EventInput =>
  ({ kind: 'spawn', g, parent, gkind: 'gevent', name, func: name, site: frame(10 + g), stack: [] });
const main: EventInput = { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [] };
const hub: EventInput = { kind: 'spawn', g: 9, parent: 1, gkind: 'hub', name: '', func: 'Hub.run', site: null, stack: [] };
const object = (obj: number, okind: 'Semaphore' | 'Queue' | 'Event' | 'Channel', capacity: number | null = null): EventInput =>
  ({ kind: 'object', obj, okind, capacity, type: okind, site: null, by: 1 });
const block = (g: number, reason: 'lock_acquire' | 'queue_get' | 'queue_put' | 'event_wait' | 'join' | 'sleep' | 'other', obj: number, timeout: number | null = null): EventInput =>
  ({ kind: 'block', g, reason, obj, timeout, site: frame(40 + g), stack: [] });
const sw = (from: number, to: number): EventInput => ({ kind: 'switch', from, to, throw: false });

/** g2 holds Semaphore#1 and wants #2; g3 holds #2 and wants #1; main joins g2. */
const LOCK_CYCLE: EventInput[] = [
  main, spawn(2, 'one'), spawn(3, 'two'), hub, object(4, 'Semaphore', 1), object(5, 'Semaphore', 1),
  { kind: 'acquire', obj: 4, g: 2 }, { kind: 'acquire', obj: 5, g: 3 },
  block(2, 'lock_acquire', 5), block(3, 'lock_acquire', 4), block(1, 'join', 2), sw(1, 9),
];

const cycleEdges = (g: WaitGraph): string[] => g.edges.filter((e) => e.cycle).map((e) => `${e.from}>${e.to}`).sort();

test('a lock-order cycle: its four edges are marked, the joining main is stuck but off the cycle', () => {
  const { graph, state } = build(LOCK_CYCLE);
  assert.deepEqual(cycleEdges(graph), ['g2>o5', 'g3>o4', 'o4>g2', 'o5>g3']);
  assert.deepEqual(graph.stuck, [1, 2, 3]);
  const join = graph.edges.find((e) => e.from === 'g1')!;
  assert.deepEqual([join.to, join.kind, join.cycle], ['g2', 'joins', false]);
  assert.deepEqual(graph.nodes.map((n) => n.id), ['g1', 'g2', 'g3', 'o4', 'o5']);
  const verdict = deadlockVerdict(state, graph)!;
  assert.equal(verdict.kind, 'cycle');
  assert.match(verdict.text, /g2 one, g3 two wait on each other through Semaphore#1, Semaphore#2/);
});

test('the same cycle is no deadlock when the trace shows one of them woken later', () => {
  const { graph, state } = build(LOCK_CYCLE, (g) => g === 3);
  assert.deepEqual(cycleEdges(graph), []);
  assert.deepEqual(graph.stuck, []);
  assert.equal(deadlockVerdict(state, graph, (g) => g === 3), null);
});

test('a semaphore with a second holder that still runs is not a deadlock (any holder can release)', () => {
  const inputs = [...LOCK_CYCLE.slice(0, 8), spawn(6, 'free'), { kind: 'acquire', obj: 4, g: 6 } as EventInput, ...LOCK_CYCLE.slice(8)];
  const { graph } = build(inputs);
  assert.deepEqual(cycleEdges(graph), []);
  assert.ok(graph.edges.some((e) => e.from === 'o4' && e.to === 'g6' && e.label === 'held by'));
});

test('a consumer waiting on a queue whose only producer waits on a lock the consumer holds', () => {
  const { graph } = build([
    main, spawn(2, 'consumer'), spawn(3, 'producer'), hub, object(4, 'Queue'), object(5, 'Semaphore', 1),
    sw(1, 3), { kind: 'put', obj: 4, item: '1' }, sw(3, 2), { kind: 'get', obj: 4, item: '1' },
    { kind: 'acquire', obj: 5, g: 2 }, block(2, 'queue_get', 4), sw(2, 3), block(3, 'lock_acquire', 5), sw(3, 9),
  ]);
  assert.deepEqual(cycleEdges(graph), ['g2>o4', 'g3>o5', 'o4>g3', 'o5>g2']);
  assert.equal(graph.edges.find((e) => e.from === 'o4')!.label, 'could wake');
});

test('a getter and a putter blocked on one channel are about to meet: no edges between them', () => {
  const { graph } = build([
    main, spawn(2, 'getter'), spawn(3, 'putter'), hub, object(4, 'Channel'),
    sw(1, 3), { kind: 'put', obj: 4, item: 'x' }, sw(3, 2), { kind: 'get', obj: 4, item: 'x' },
    block(2, 'queue_get', 4), sw(2, 3), block(3, 'queue_put', 4), sw(3, 9),
  ]);
  assert.deepEqual(graph.edges.map((e) => `${e.from}>${e.to}`).sort(), ['g2>o4', 'g3>o4']);
  assert.deepEqual(graph.nodes.map((n) => `${n.id}:${n.label}`), ['g2:g2 getter', 'g3:g3 putter', 'o4:Channel#1']);
  assert.deepEqual(graph.stuck, []);
});

test('everyone blocked on an Event nobody sets: no cycle, but the all-blocked banner', () => {
  const { graph, state } = build([main, spawn(2, 'waiter'), hub, object(3, 'Event'), block(2, 'event_wait', 3), block(1, 'join', 2), sw(1, 9)]);
  assert.deepEqual(cycleEdges(graph), []);
  const verdict = deadlockVerdict(state, graph)!;
  assert.equal(verdict.kind, 'all-blocked');
  assert.deepEqual(verdict.greenlets, [1, 2]);
  assert.match(verdict.text, /^Deadlock: every greenlet is blocked and nothing is scheduled/);
  assert.equal(allBlocked(state, (g) => g === 1), null, 'a wake later in the trace means it was only a moment');
});

test('a sleeper, a timeout or a runnable greenlet means the loop can still wake someone', () => {
  const base = [main, spawn(2, 'waiter'), hub, object(3, 'Event'), block(2, 'event_wait', 3)];
  assert.equal(allBlocked(build([...base, block(1, 'sleep', 0), sw(1, 9)]).state), null);
  assert.equal(allBlocked(build([...base, block(1, 'event_wait', 3, 1.5), sw(1, 9)]).state), null);
  assert.equal(allBlocked(build([...base, sw(1, 9)]).state), null, 'main is runnable');
});

test('a main that died of LoopExit still counts; one that ended normally does not', () => {
  const base = [main, spawn(2, 'waiter'), hub, object(3, 'Event'), block(2, 'event_wait', 3), block(1, 'join', 2), sw(1, 9)];
  const flags = { started: true, ready: true, successful: false, killed: false };
  const loopExit = build([...base, { kind: 'ready', g: 1, by: 9 }, { kind: 'switch', from: 9, to: 1, throw: true },
    { kind: 'exception', g: 1, type: 'gevent.exceptions.LoopExit', message: 'This operation would block forever', traceback: '' },
    { kind: 'exit', g: 1, flags, value: '', error: '' }]);
  assert.deepEqual(allBlocked(loopExit.state), [2]);
  const normal = build([...base, { kind: 'ready', g: 1, by: 9 }, sw(9, 1), { kind: 'exit', g: 1, flags: { ...flags, successful: true }, value: '', error: '' }]);
  assert.equal(allBlocked(normal.state), null);
});

test('stronglyConnected: components of a graph with a cycle, a self-loop and a tail', () => {
  const c = stronglyConnected([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['e', 'e']]);
  assert.equal(c.get('a'), c.get('b'));
  assert.equal(c.get('b'), c.get('c'));
  assert.notEqual(c.get('c'), c.get('d'));
  assert.notEqual(c.get('e'), c.get('a'));
  // Deep chains must not overflow the stack (the search is iterative).
  const chain = Array.from({ length: 50_000 }, (_, i) => [`n${i}`, `n${i + 1}`] as const);
  assert.equal(new Set(stronglyConnected([...chain, ['n50000', 'n0']]).values()).size, 1);
});

test('the graph keeps at most the limit of greenlet nodes, stuck ones first, and counts the rest', () => {
  const inputs: EventInput[] = [...LOCK_CYCLE, object(99, 'Event')];
  for (let g = 20; g < 40; g++) inputs.push(spawn(g, `w${g}`), block(g, 'event_wait', 99));
  const model = new TraceModel();
  const facts = new TraceFacts();
  for (const ev of sequence(inputs)) {
    model.append(ev);
    facts.apply(ev);
  }
  const graph = buildWaitGraph(model.latest(), () => [], () => false, 5);
  const greenlets = graph.nodes.filter((n) => n.kind === 'greenlet').map((n) => n.id);
  assert.deepEqual(greenlets.slice(0, 3), ['g1', 'g2', 'g3']);
  assert.equal(greenlets.length, 5);
  assert.equal(graph.omitted, 18);
});

test('ping-pong through two queues: a deadlock only while neither queue holds the item the other waits for', () => {
  const base: EventInput[] = [
    main, spawn(2, 'player'), spawn(3, 'starter'), hub, object(4, 'Queue'), object(5, 'Queue'),
    sw(1, 3), { kind: 'put', obj: 4, item: '0' }, sw(3, 2), { kind: 'get', obj: 4, item: '0' },
    { kind: 'put', obj: 5, item: '1' }, sw(2, 3), { kind: 'get', obj: 5, item: '1' },
    block(3, 'queue_get', 5), sw(3, 2), block(2, 'queue_get', 4), sw(2, 9),
  ];
  assert.deepEqual(cycleEdges(build(base).graph), ['g2>o4', 'g3>o5', 'o4>g3', 'o5>g2']);
  // The starter's next item is already in its queue: the hub is about to wake it.
  const inFlight = [...base.slice(0, -2), { kind: 'put', obj: 5, item: '2' } as EventInput, ...base.slice(-2)];
  const { graph, state } = build(inFlight);
  assert.deepEqual(cycleEdges(graph), []);
  assert.equal(deadlockVerdict(state, graph), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import { TraceFacts } from '../../shared/analysis/facts';
import { buildWaitGraph } from '../../shared/analysis/waitgraph';
import { shownWaitGraph, type ShownGraph } from '../../webview/derived/waitgraph-groups';
import { layoutWaitGraph } from '../../webview/derived/waitgraph-layout';
import { groupRows } from '../../webview/derived/greenlet-groups';
import type { GreenletRow } from '../../webview/frame';
import { frame, sequence } from '../support/events';
import type { EventInput } from '../support/trace-builder';

const main: EventInput = { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [] };
const hub: EventInput = { kind: 'spawn', g: 9, parent: 1, gkind: 'hub', name: '', func: 'Hub.run', site: null, stack: [] };
const spawn = (g: number, func: string): EventInput =>
  ({ kind: 'spawn', g, parent: 1, gkind: 'gevent', name: func, func, site: frame(10), stack: [] });
const object = (obj: number, okind: 'Semaphore' | 'Queue' | 'Event', capacity: number | null = null): EventInput =>
  ({ kind: 'object', obj, okind, capacity, type: okind, site: null, by: 1 });
const block = (g: number, reason: 'lock_acquire' | 'queue_get' | 'event_wait', obj: number): EventInput =>
  ({ kind: 'block', g, reason, obj, timeout: null, site: frame(40), stack: [] });

/** 300 workers on one queue, 4 watchers on an Event, a two-lock cycle (g2, g3), 30 loners each on its own Event. */
function crowd(selected: number | null, maxNodes?: number): ShownGraph {
  const inputs: EventInput[] = [
    main, spawn(2, 'take'), spawn(3, 'take'), hub, object(4, 'Semaphore', 1), object(5, 'Semaphore', 1), object(6, 'Queue'), object(7, 'Event'),
    { kind: 'acquire', obj: 4, g: 2 }, { kind: 'acquire', obj: 5, g: 3 }, block(2, 'lock_acquire', 5), block(3, 'lock_acquire', 4),
  ];
  for (let g = 100; g < 400; g++) inputs.push(spawn(g, 'worker'), block(g, 'queue_get', 6));
  for (let g = 400; g < 404; g++) inputs.push(spawn(g, 'watcher'), block(g, 'event_wait', 7));
  for (let i = 0; i < 30; i++) inputs.push(object(1000 + i, 'Event'), spawn(500 + i, 'loner'), block(500 + i, 'event_wait', 1000 + i));
  const model = new TraceModel();
  const facts = new TraceFacts();
  for (const ev of sequence(inputs)) {
    model.append(ev);
    facts.apply(ev);
  }
  const state = model.latest();
  const graph = buildWaitGraph(state, (obj, reason) => facts.queueWakers(obj, reason, model.eventCount - 1), () => false, Number.MAX_SAFE_INTEGER);
  return shownWaitGraph(graph, new Map(state.greenlets.map((g) => [g.id, g])), selected, { maxNodes: maxNodes ?? 40, maxChain: 30 });
}

test('alike waiters become one node with their count; the cycle stays greenlet by greenlet', () => {
  const shown = crowd(null);
  const workers = shown.nodes.find((n) => n.kind === 'group' && n.label === 'worker ×300')!;
  assert.equal(workers.count, 300);
  assert.equal(workers.members.length, 300);
  assert.ok(shown.edges.some((e) => e.from === workers.id && e.to === 'o6' && e.label === 'get' && e.count === 300));
  assert.equal(shown.nodes.find((n) => n.label === 'watcher ×4')?.count, 4);
  const cycle = shown.nodes.filter((n) => n.cycle).map((n) => n.id).sort();
  assert.deepEqual(cycle, ['g2', 'g3', 'o4', 'o5']);
  assert.ok(shown.edges.filter((e) => e.cycle).length === 4);
});

test('the objects with most waiters come first; the rest is counted, not drawn', () => {
  const shown = crowd(null, 12);
  const ids = new Set(shown.nodes.map((n) => n.id));
  assert.ok(ids.has('o6') && ids.has('o7'), 'the queue (300 waiters) and the Event (4) are drawn');
  assert.ok(shown.nodes.length <= 12, `${shown.nodes.length} nodes`);
  // 30 loners on 30 Events: one waiter each, each a node of its own, so only some fit.
  const loners = shown.nodes.filter((n) => n.label.endsWith('loner')).length;
  assert.equal(shown.hiddenGreenlets, 30 - loners);
  assert.ok(shown.hiddenObjects > 0);
});

test('the selected greenlet leaves its group and its chain is marked', () => {
  const shown = crowd(150);
  const me = shown.nodes.find((n) => n.id === 'g150')!;
  assert.equal(me.chain, true);
  assert.equal(shown.nodes.find((n) => n.id === 'o6')?.chain, true);
  assert.equal(shown.nodes.find((n) => n.label === 'worker ×299')?.chain, false);
  assert.ok(shown.edges.some((e) => e.from === 'g150' && e.to === 'o6' && e.chain));
  // Selecting one of the cycle's greenlets marks the whole cycle as its chain.
  const onCycle = crowd(2);
  assert.deepEqual(onCycle.nodes.filter((n) => n.chain).map((n) => n.id).sort(), ['g2', 'g3', 'o4', 'o5']);
});

test('the layout never overlaps two nodes, wide or narrow (layers stacked)', () => {
  const shown = crowd(150);
  const nodes = shown.nodes.map((n) => ({ id: n.id, labelWidth: n.label.length * 7 }));
  for (const width of [1400, 200]) {
    const layout = layoutWaitGraph(nodes, shown.edges, width);
    assert.equal(layout.vertical, width === 200);
    const boxes = [...layout.placed.values()].map((p) => p.box);
    assert.equal(boxes.length, nodes.length);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `width ${width}: boxes ${i} and ${j} overlap: ${JSON.stringify([a, b])}`);
      }
    }
    // A waiter comes before what it waits on.
    assert.ok(layout.placed.get('g150')!.layer < layout.placed.get('o6')!.layer);
  }
});

test('greenlet groups: function × state (with what it waits on), biggest first', () => {
  const row = (id: number, func: string, stateText: string, state: 'blocked' | 'dead_ok'): GreenletRow =>
    ({ g: { id, func, state } as GreenletRow['g'], stateText, running: 0, waiting: 0, runnable: 0 });
  const groups = groupRows([
    row(1, 'main', 'dead', 'dead_ok'), row(2, 'worker', 'blocked on Queue#1.get', 'blocked'), row(3, 'worker', 'blocked on Queue#1.get', 'blocked'),
    row(4, 'worker', 'blocked on Queue#2.get', 'blocked'), row(5, 'worker', 'blocked on Queue#1.get', 'blocked'),
  ]);
  assert.deepEqual(groups.map((g) => [g.func, g.stateText, g.ids]), [
    ['worker', 'blocked on Queue#1.get', [2, 3, 5]], ['main', 'dead', [1]], ['worker', 'blocked on Queue#2.get', [4]],
  ]);
});

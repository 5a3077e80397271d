import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import type { GreenletStateName } from '../../shared/model/state';
import { Lane, Phase, phaseName } from '../../webview/derived/segments';
import { TraceIndex } from '../../webview/derived/trace-index';
import { EventFeed } from '../../webview/feed';
import { buildRows } from '../../webview/rows';
import { DEFAULT_BOARD_STATE } from '../../webview/state/board-state';
import { clampRange, fullRange, phaseTimeBetween, zoomRange } from '../../webview/view/timeline-scale';
import { frame, sequence } from '../support/events';
import { randomEvents } from '../support/random-events';
import { seededRandom } from '../support/random';
import type { EventInput } from '../support/trace-builder';

const main: EventInput = { kind: 'spawn', g: 1, parent: 0, gkind: 'main', name: '', func: '<main>', site: null, stack: [], t: 0 };
const hub: EventInput = { kind: 'spawn', g: 3, parent: 1, gkind: 'hub', name: '', func: 'Hub.run', site: null, stack: [], t: 0 };

/** main spawns g2 at t=10, blocks at t=20; g2 runs 20..50 and blocks on an event; main is woken at 60 and runs. */
const SCRIPT: EventInput[] = [
  main, hub,
  { kind: 'spawn', g: 2, parent: 1, gkind: 'gevent', name: 'worker', func: 'work', site: frame(3), stack: [], t: 10 },
  { kind: 'ready', g: 2, by: 1, t: 10 },
  { kind: 'block', g: 1, reason: 'sleep', obj: 0, timeout: 0.04, site: frame(5), stack: [], t: 20 },
  { kind: 'switch', from: 1, to: 3, throw: false, t: 20 },
  { kind: 'switch', from: 3, to: 2, throw: false, t: 20 },
  { kind: 'object', obj: 1, okind: 'Event', capacity: null, type: 'Event', site: null, by: 2, t: 50 },
  { kind: 'block', g: 2, reason: 'event_wait', obj: 1, timeout: null, site: frame(7, 'work'), stack: [], t: 50 },
  { kind: 'switch', from: 2, to: 3, throw: false, t: 50 },
  { kind: 'ready', g: 1, by: 3, t: 60 },
  { kind: 'switch', from: 3, to: 1, throw: false, t: 60 },
  { kind: 'mark', label: 'end', t: 100 },
];

function indexOf(inputs: readonly EventInput[]): { index: TraceIndex; model: TraceModel } {
  const index = new TraceIndex();
  const model = new TraceModel({ checkpointInterval: 4 });
  for (const ev of sequence(inputs)) {
    index.apply(ev);
    model.append(ev);
  }
  return { index, model };
}

const phases = (lane: Lane): string[] =>
  Array.from({ length: lane.segmentCount }, (_, i) => `${lane.seqs.at(i)}:${phaseName(lane.phases.at(i) as Phase)}`);

test('lanes follow the model: spawn, ready, switch, block, wake', () => {
  const { index } = indexOf(SCRIPT);
  assert.deepEqual(phases(index.lanes.get(1)!), ['0:not started', '0:running', '4:blocked', '10:runnable', '11:running']);
  assert.deepEqual(phases(index.lanes.get(3)!), ['1:not started', '5:running', '6:runnable', '9:running', '11:runnable']);
  assert.deepEqual(phases(index.lanes.get(2)!), ['2:not started', '3:runnable', '6:running', '8:blocked']);
  assert.deepEqual(index.lanes.lanes.map((l) => l.g), [1, 3, 2]);
  assert.equal(index.lanes.get(3)!.gkind, 'hub');
});

test('time per phase at any cursor comes from prefix sums, including the open segment', () => {
  const { index } = indexOf(SCRIPT);
  const g1 = index.lanes.get(1)!;
  const g2 = index.lanes.get(2)!;
  // At the last event (t=100): main ran 0..20 and 60..100, blocked 20..60.
  assert.deepEqual(g1.totalsAt(12, 100), { running: 60, blocked: 40, runnable: 0 });
  // At event 9 (t=50): g2 was runnable 10..20, ran 20..50, blocked from 50.
  assert.deepEqual(g2.totalsAt(9, 50), { running: 30, blocked: 0, runnable: 10 });
  assert.deepEqual(g2.totalsAt(12, 100), { running: 30, blocked: 50, runnable: 10 });
  assert.deepEqual(g2.totalsAt(1, 0), { running: 0, blocked: 0, runnable: 0 }, 'before its spawn');
  assert.equal(g2.phaseAt(7), Phase.running);
  assert.equal(g2.lastBlockAt(12), 8);
  assert.equal(g2.lastBlockAt(7), -1);
  assert.equal(g1.nextChangeAfter(5), 10);
  assert.equal(g2.nextChangeAfter(8), -1);
  assert.deepEqual(phaseTimeBetween(g2, 0, g2.segmentCount, 100), { running: 30, blocked: 50, runnable: 10 });
});

test('two changes within one event keep only the last, and merge with an equal neighbour', () => {
  const lane = new Lane(7, 0, 0);
  lane.setPhase(Phase.runnable, 1, 5);
  lane.setPhase(Phase.running, 2, 8);
  lane.setPhase(Phase.blocked, 2, 8);
  assert.deepEqual(phases(lane), ['0:not started', '1:runnable', '2:blocked']);
  lane.setPhase(Phase.runnable, 3, 9);
  lane.setPhase(Phase.blocked, 3, 9);
  assert.deepEqual(phases(lane), ['0:not started', '1:runnable', '2:blocked'], 'back to blocked within event 3: nothing new');
  assert.deepEqual(lane.totalsAt(3, 20), { running: 0, blocked: 12, runnable: 3 });
});

test('time per phase at the cursor equals a replay of the model, on random traces', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const events = randomEvents(seededRandom(seed), 600);
    const index = new TraceIndex();
    const model = new TraceModel({ checkpointInterval: 64 });
    for (const ev of events) {
      index.apply(ev);
      model.append(ev);
    }
    // Replaying state by state: each interval counts for the phase the model gives each greenlet through it.
    const totals = new Map<string, number>();
    let prev = model.stateAt(0);
    for (let seq = 1; seq < events.length; seq++) {
      const dt = events[seq]!.t - events[seq - 1]!.t;
      for (const g of prev.greenlets) totals.set(`${g.id}:${g.state}`, (totals.get(`${g.id}:${g.state}`) ?? 0) + dt);
      prev = model.stateAt(seq);
    }
    const last = events.length - 1;
    for (const g of model.latest().greenlets) {
      const got = index.lanes.get(g.id)!.totalsAt(last, events[last]!.t);
      const want = (state: string): number => totals.get(`${g.id}:${state}`) ?? 0;
      assert.deepEqual(got, { running: want('running'), blocked: want('blocked'), runnable: want('runnable') }, `seed ${seed}, g${g.id}`);
    }
  }
});

test('switch index: prev/next switch, switch counts, event at a time', () => {
  const { index } = indexOf(SCRIPT);
  assert.deepEqual(Array.from({ length: index.switchSeqs.length }, (_, i) => index.switchSeqs.at(i)), [5, 6, 9, 11]);
  assert.equal(index.prevSwitch(6), 5);
  assert.equal(index.prevSwitch(5), null);
  assert.equal(index.nextSwitch(6), 9);
  assert.equal(index.nextSwitch(11), null);
  assert.equal(index.switchesThrough(8), 2);
  assert.equal(index.seqAtTime(55), 9);
  assert.equal(index.seqAtTime(-5), 0);
  assert.deepEqual(index.timeRange, [0, 100]);
});

test('table rows: times at the cursor, filters and sort', () => {
  const { index, model } = indexOf(SCRIPT);
  const state = model.stateAt(12);
  const rows = buildRows(state, index, 12, 100, { ...DEFAULT_BOARD_STATE, sort: { column: 'running', descending: true } });
  assert.deepEqual(rows.map((r) => [r.g.id, r.running, r.waiting]), [[1, 60, 40], [2, 30, 50], [3, 10, 0]]);
  assert.equal(rows.find((r) => r.g.id === 2)!.stateText, 'blocked on Event#1.wait');
  const blocked = buildRows(state, index, 12, 100, { ...DEFAULT_BOARD_STATE, stateFilter: 'blocked' as GreenletStateName });
  assert.deepEqual(blocked.map((r) => r.g.id), [2]);
  assert.deepEqual(buildRows(state, index, 12, 100, { ...DEFAULT_BOARD_STATE, filter: 'WORK' }).map((r) => r.g.id), [2]);
  assert.deepEqual(buildRows(state, index, 12, 100, { ...DEFAULT_BOARD_STATE, filter: 'g3' }).map((r) => r.g.id), [3]);
});

test('timeline zoom and pan stay inside the trace and keep the anchor in place', () => {
  const full = fullRange('time', 0, 1000, 50);
  const z = zoomRange(full, 250, 0.5, full, 'time');
  assert.deepEqual(z, [125, 625]);
  assert.deepEqual(zoomRange(z, 250, 100, full, 'time'), [0, 1000]);
  assert.deepEqual(zoomRange(z, 250, 1e-9, full, 'time')[1] - zoomRange(z, 250, 1e-9, full, 'time')[0], 10, 'never below 10 µs');
  assert.deepEqual(clampRange([900, 1100], full), [800, 1000]);
  assert.deepEqual(fullRange('seq', 0, 0, 50), [-0.5, 49.5]);
});

test('with the start-up hidden the whole trace starts at the first spawn, on either axis', () => {
  const spawn = { time: 900, seq: 7 };
  assert.deepEqual(fullRange('time', 100, 1000, 50, spawn), [900, 1000]);
  assert.deepEqual(fullRange('seq', 100, 1000, 50, spawn), [6.5, 49.5]);
  // A spawn in the last event still leaves a range to draw.
  assert.deepEqual(fullRange('time', 100, 1000, 50, { time: 1000, seq: 49 }), [999, 1001]);
  assert.deepEqual(fullRange('time', 100, 1000, 50, null), [100, 1000]);
});

test('live events with gaps are renumbered; a stop seq maps onto the board numbering', async () => {
  const seen: number[] = [];
  const feed = new EventFeed((ev) => seen.push(ev.seq), () => undefined);
  const events = sequence(Array.from({ length: 12 }, () => ({ kind: 'mark', label: 'x' }) as EventInput));
  // The extension trimmed 0..2; the adapter dropped 6..7.
  await feed.push([...events.slice(3, 6), ...events.slice(8)]);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(feed.toLocal(3), 0);
  assert.equal(feed.toLocal(5), 2);
  assert.equal(feed.toLocal(7), 2, 'a dropped event maps to the last one before it');
  assert.equal(feed.toLocal(8), 3);
  assert.equal(feed.toLocal(11), 6);
  assert.equal(feed.toLocal(1), -1, 'before anything the board has');
});

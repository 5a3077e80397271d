/**
 * The model against the truth: a program takes live snapshots (read from
 * gevent's own objects) at marked points; the model's state at each mark must
 * agree on greenlets, flags, queue items and waiters. Its own switch counter
 * must agree with the trace.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { TraceState } from '../../shared/model/state';
import { EXAMPLES, PROGRAMS, QUICK, describe, load, record, tmpFile } from './support';

interface LiveGreenlet {
  running: boolean; dead: boolean; started: boolean; ready: boolean; successful: boolean;
  value: string | null; exception: string | null;
}
interface LiveSnapshot {
  label: string;
  greenlets: Record<string, LiveGreenlet>;
  queues: Record<string, { items: string[]; getters: number[]; putters: number[] }>;
  events: Record<string, { set: boolean; waiters: number[] }>;
}

function modelView(state: TraceState, live: LiveSnapshot) {
  const greenlets: Record<string, LiveGreenlet> = {};
  for (const id of Object.keys(live.greenlets)) {
    const g = state.greenlets.find((x) => x.id === Number(id));
    if (!g) continue;
    greenlets[id] = {
      running: g.state === 'running',
      dead: g.state === 'dead_ok' || g.state === 'dead_exception',
      started: g.flags.started, ready: g.flags.ready, successful: g.flags.successful,
      value: g.flags.value, exception: g.flags.exception,
    };
  }
  const queues: LiveSnapshot['queues'] = {};
  for (const q of state.queues) queues[String(q.id)] = { items: q.items, getters: q.getters, putters: q.putters };
  const events: LiveSnapshot['events'] = {};
  for (const e of state.events) events[String(e.id)] = { set: e.set, waiters: e.waiters };
  return { label: live.label, greenlets, queues, events };
}

test('the model equals live snapshots at every mark, and switch counts agree', async () => {
  const snapshots = tmpFile('snapshots.jsonl');
  const switches = tmpFile('switches.txt');
  const rec = record(path.join(PROGRAMS, 'fidelity.py'), [], {
    GREENLET_LENS_SNAPSHOTS: snapshots, GREENLET_LENS_SWITCHES: switches,
  });
  assert.equal(rec.status, 0, describe(rec));
  const { events, model, last } = await load(rec.trace);
  const lives: LiveSnapshot[] = fs.readFileSync(snapshots, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lives.map((s) => s.label), last.marks.map((m) => m.label));
  assert.ok(lives.length >= 8);
  let checkedWaiters = 0;
  for (const live of lives) {
    const mark = last.marks.find((m) => m.label === live.label)!;
    const state = model.stateAt(mark.seq);
    assert.equal(Object.keys(live.greenlets).length, state.greenlets.filter((g) => g.gkind === 'gevent').length,
      `${live.label}: number of gevent greenlets`);
    assert.deepEqual(modelView(state, live), live, `state at mark ${live.label} (event ${mark.seq})`);
    for (const q of Object.values(live.queues)) checkedWaiters += q.getters.length + q.putters.length;
    for (const e of Object.values(live.events)) checkedWaiters += e.waiters.length;
  }
  assert.ok(checkedWaiters >= 6, `the snapshots saw waiters (${checkedWaiters})`);
  // Replay backwards, as a user stepping back from the end does: every state
  // from the last event to the first, checkpoints and all, and at each mark
  // the same state as the live snapshot.
  const byMark = new Map(last.marks.map((m) => [m.seq, lives.find((l) => l.label === m.label)!]));
  for (let n = events.length - 1; n >= 0; n--) {
    const state = model.stateAt(n);
    assert.equal(state.seq, n);
    const live = byMark.get(n);
    if (live !== undefined) assert.deepEqual(modelView(state, live), live, `walking back, state at mark ${live.label} (event ${n})`);
  }
  const counted = Number(fs.readFileSync(switches, 'utf8'));
  assert.equal(events.filter((e) => e.kind === 'switch').length, counted);
  assert.equal(last.end?.switches, counted);
});

test('every seed example: the model equals a live snapshot after every switch, walked backwards', async () => {
  for (const name of ['events.py', 'bounded_queue.py', 'async_result.py', 'queue_workers.py', 'state_flags.py', 'determinism.py']) {
    const snapshots = tmpFile(`${name}.jsonl`);
    // The program is unmodified: a sitecustomize takes the snapshots (test/programs/snapshot_every_switch).
    const rec = record(path.join(EXAMPLES, name), [], {
      ...QUICK, GREENLET_LENS_SNAPSHOTS: snapshots, PYTHONPATH: path.join(PROGRAMS, 'snapshot_every_switch'),
    });
    assert.equal(rec.status, 0, `${name}\n${describe(rec)}`);
    const { events, model, last } = await load(rec.trace);
    const lives: LiveSnapshot[] = fs.readFileSync(snapshots, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lives.length, events.filter((e) => e.kind === 'switch').length, `${name}: a snapshot per switch`);
    const byMark = new Map(last.marks.map((m) => [m.seq, lives.find((l) => l.label === m.label)!]));
    for (let n = events.length - 1; n >= 0; n--) {
      const live = byMark.get(n);
      if (live !== undefined) assert.deepEqual(modelView(model.stateAt(n), live), live, `${name}: state at ${live.label} (event ${n})`);
    }
  }
});

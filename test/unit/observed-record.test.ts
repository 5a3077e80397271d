// The `observed` record of format 1.1 (docs/trace-format.md): an extension
// record, so a 1.0 reader skips it, and this reader gives it a seq and the
// time of the event before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import { ErrorCode } from '../../shared/errors';
import { TAGS } from '../../shared/trace/schema';
import { decodeAll } from '../support/decode';
import { TraceBuilder } from '../support/trace-builder';

const SPAWN = { kind: 'spawn', g: 2, parent: 1, gkind: 'gevent', name: '', func: 'work', site: null, stack: [] } as const;

test('an observed record decodes with the time of the event before it and the next seq', () => {
  const b = new TraceBuilder().add({ ...SPAWN, t: 50 }, { kind: 'observed', g: 2, by: 1, how: 'join' }, { kind: 'ready', g: 2, by: 1, t: 70 });
  const { events, result } = decodeAll(b.bytes());
  assert.equal(result.status, 'incomplete');
  assert.deepEqual(events.map((e) => [e.seq, e.t, e.kind]), [[0, 50, 'spawn'], [1, 50, 'observed'], [2, 70, 'ready']]);
  assert.deepEqual(events[1], { seq: 1, t: 50, kind: 'observed', g: 2, by: 1, how: 'join' });
});

test('fields a later minor version appends to an observed record are skipped', () => {
  const b = new TraceBuilder({ minor: 9 }).add(SPAWN).raw([TAGS.T_OBSERVED, 5, 2, 0, 1, 0x7f, 0x7f]).add({ kind: 'ready', g: 2, by: 1 });
  const { events, result } = decodeAll(b.bytes());
  assert.equal(result.problem, null);
  assert.deepEqual(events.map((e) => e.kind), ['spawn', 'observed', 'ready']);
  assert.deepEqual(events[1], { seq: 1, t: events[0]!.t, kind: 'observed', g: 2, by: 0, how: 'link' });
});

test('an observed record shorter than its fields, or with an unknown kind, is a bad record', () => {
  for (const raw of [[TAGS.T_OBSERVED, 2, 2, 0], [TAGS.T_OBSERVED, 3, 2, 0, 9]]) {
    const { events, result } = decodeAll(new TraceBuilder().add(SPAWN).raw(raw).bytes());
    assert.equal(result.status, 'corrupt', JSON.stringify(raw));
    assert.equal(result.problem?.code, ErrorCode.BadRecord);
    assert.deepEqual(events.map((e) => e.kind), ['spawn']);
  }
});

test('the model stores and rebuilds observed events, and they change no state', () => {
  const model = new TraceModel();
  const { events } = decodeAll(new TraceBuilder().add(SPAWN, { kind: 'observed', g: 2, by: 0, how: 'unknown' }).bytes());
  model.appendAll(events);
  assert.deepEqual(model.event(1), events[1]);
  assert.deepEqual(model.stateAt(1).greenlets, model.stateAt(0).greenlets);
  assert.equal(model.latest().inconsistencies, 0);
});

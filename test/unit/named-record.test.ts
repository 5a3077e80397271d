// The `named` record of format 1.2 (docs/trace-format.md): the program's name
// for an object, an extension record (a 1.1 reader skips it; a 1.1 trace has
// none and reads as before). The model labels the object with it, numbering a
// name an earlier object already has, and a state before it keeps `Queue#1`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceModel } from '../../shared/model/trace-model';
import { objectLabelIn, waitText } from '../../shared/present/greenlet-words';
import { TAGS } from '../../shared/trace/schema';
import { decodeAll } from '../support/decode';
import { TraceBuilder } from '../support/trace-builder';

const OBJ = { kind: 'object', okind: 'Event', capacity: null, type: 'Event', site: null, by: 1 } as const;

function model(b: TraceBuilder): TraceModel {
  const m = new TraceModel();
  m.appendAll(decodeAll(b.bytes()).events);
  return m;
}

test('named objects are labelled by their names, a shared name numbered, an unnamed one by kind and number', () => {
  const m = model(new TraceBuilder().add(
    { ...OBJ, obj: 1 }, { kind: 'named', obj: 1, name: 'self.done' },
    { ...OBJ, obj: 2 }, { kind: 'named', obj: 2, name: 'self.done' },
    { ...OBJ, obj: 3 },
    { kind: 'object', obj: 4, okind: 'Queue', capacity: 3, type: 'Queue', site: null, by: 1 }, { kind: 'named', obj: 4, name: 'tasks' },
  ));
  const s = m.latest();
  assert.deepEqual([...s.events.map((e) => e.label), ...s.queues.map((q) => q.label)], ['self.done', 'self.done#2', 'Event#3', 'tasks']);
  assert.equal(objectLabelIn(s, 4), 'tasks');
  assert.equal(waitText({ reason: 'queue_get', obj: 4, objLabel: objectLabelIn(s, 4) }), 'tasks.get');
  // Before its name arrives, and in a state stepped back to, the object keeps its kind and number.
  assert.deepEqual(m.stateAt(0).events.map((e) => e.label), ['Event#1']);
  assert.equal(m.latest().inconsistencies, 0);
});

test('a named record decodes with the time of the event before it; a reader that does not know its tag skips it', () => {
  const b = new TraceBuilder().add({ ...OBJ, obj: 1, t: 40 }, { kind: 'named', obj: 1, name: 'go' }, { kind: 'set', obj: 1, value: '', t: 60 });
  const { events } = decodeAll(b.bytes());
  assert.deepEqual(events.map((e) => [e.seq, e.t, e.kind]), [[0, 40, 'object'], [1, 40, 'named'], [2, 60, 'set']]);
  assert.deepEqual(events[1], { seq: 1, t: 40, kind: 'named', obj: 1, name: 'go' });
  // An unknown extension tag in its place (what a 1.1 reader sees) is skipped: the rest reads alike.
  const unknown = new TraceBuilder().add({ ...OBJ, obj: 1, t: 40 }).raw([TAGS.T_NAMED + 0x10, 2, 1, 0]).add({ kind: 'set', obj: 1, value: '', t: 60 });
  assert.deepEqual(decodeAll(unknown.bytes()).events.map((e) => e.kind), ['object', 'set']);
});

test('a name for an object never described is counted as an inconsistency, not applied', () => {
  const m = model(new TraceBuilder().add({ kind: 'named', obj: 7, name: 'ghost' }));
  assert.equal(m.latest().inconsistencies, 1);
});

test('a 1.1 trace (no named records) still opens, its objects labelled by kind and number', () => {
  const { events, result } = decodeAll(new TraceBuilder({ minor: 1 }).add({ ...OBJ, obj: 1 }).bytes());
  assert.equal(result.problem, null);
  const m = new TraceModel();
  m.appendAll(events);
  assert.deepEqual(m.latest().events.map((e) => e.label), ['Event#1']);
});

/**
 * Objects are named after what the program assigned them to (the `named`
 * record, format 1.2): a module variable, `self.<attr>`, a local, a global
 * set in a function, a closure's variable; one made inline keeps `Queue#N`;
 * a name two objects share is numbered. Runs on every stack of the matrix
 * (each Python's bytecode spells an assignment differently) and with both
 * recorders, which must write the same records.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { greenletLine } from '../../shared/present/greenlet-words';
import { PROGRAMS, cli, describe, load, record } from './support';

const PROGRAM = path.join(PROGRAMS, 'object_names.py');

for (const [recorder, extra] of [['compiled', {}], ['pure-Python', { GREENLET_LENS_PURE: '1' }]] as const) {
  test(`objects read back under the program's names (${recorder} recorder)`, async () => {
    const rec = record(PROGRAM, [], extra);
    assert.equal(rec.status, 0, describe(rec));
    const { events, model, last } = await load(rec.trace);
    const labels = (xs: readonly { label: string; className: string }[]) => xs.map((o) => `${o.label} ${o.className}`);
    assert.deepEqual(labels(last.queues), ['Queue#1 Queue', 'tasks Queue', 'pending Queue'], 'the inline Queue has no name');
    assert.deepEqual(labels(last.events), ['self.done Event', 'self.done#2 Event', 'results AsyncResult']);
    assert.deepEqual(labels(last.locks), ['lock Semaphore']);
    const named = events.filter((e) => e.kind === 'named');
    assert.equal(named.length, 6, JSON.stringify(named));
    // Each name right after its object's record, so a reader labels it from the start.
    for (const n of named) assert.equal(events[n.seq - 1]?.kind, 'object');

    // Where a greenlet waits on it, the wait says the name.
    const block = events.find((e) => e.kind === 'block' && e.reason === 'result_get');
    assert.ok(block !== undefined && block.kind === 'block');
    const waiter = model.stateAt(block.seq).greenlets.find((g) => g.id === block.g)!;
    assert.equal(waiter.blockedOn?.objLabel, 'results');
    assert.match(greenletLine(waiter), /· blocked on results\.get$/);

    const text = cli(['state', '--text', rec.trace]);
    assert.equal(text.status, 0, describe(text));
    assert.match(text.stdout, /^ {2}tasks \(Queue, maxsize 3\): \[1\]/m);
    assert.match(text.stdout, /^ {2}lock \(Semaphore, capacity 1\)/m);
  });
}

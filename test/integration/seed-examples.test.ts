/**
 * The trace of each example of the seed document says what a reader of the
 * seed expects to see (that they print and exit the same recorded as plain is
 * same-output.test.ts).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { EXAMPLES, QUICK, byFunc, greenlet, load, plain, record, timeless } from './support';

const ex = (name: string) => path.join(EXAMPLES, name);

test('events.py: five waiters block on one Event until set() wakes all five', async () => {
  const rec = record(ex('events.py'), [], QUICK);
  const { events, model } = await load(rec.trace);
  const set = events.find((e) => e.kind === 'set');
  assert.ok(set && set.kind === 'set', 'an Event set is recorded');
  const before = model.stateAt(set.seq - 1);
  const ev = before.events[0]!;
  assert.equal(ev.type, 'Event');
  assert.equal(ev.set, false);
  const waiters = byFunc(before, 'waiter');
  assert.equal(waiters.length, 5);
  assert.deepEqual([...ev.waiters].sort(), waiters.map((w) => w.id).sort());
  for (const w of waiters) {
    assert.equal(w.state, 'blocked');
    assert.equal(w.blockedOn?.reason, 'event_wait');
    assert.equal(w.blockedOn?.objLabel, ev.label);
    assert.equal(w.blockedOn?.site?.line, 24, 'blocked at evt.wait()');
  }
  const setter = byFunc(before, 'setter')[0]!;
  // set() readies all five at once, each by the setter.
  const readies = events.slice(set.seq + 1, set.seq + 6);
  assert.deepEqual(readies.map((e) => e.kind), ['ready', 'ready', 'ready', 'ready', 'ready']);
  assert.ok(readies.every((e) => e.kind === 'ready' && e.by === setter.id));
  const after = model.stateAt(set.seq + 5);
  assert.equal(after.events[0]!.set, true);
  assert.deepEqual(after.events[0]!.waiters, []);
  assert.ok(byFunc(after, 'waiter').every((w) => w.state === 'runnable'));
});

test('bounded_queue.py: the boss blocks on put while the queue of maxsize 3 is full', async () => {
  const rec = record(ex('bounded_queue.py'), [], QUICK);
  const { events, model, last } = await load(rec.trace);
  const boss = byFunc(last, 'boss')[0]!;
  const blocks = events.filter((e) => e.kind === 'block' && e.g === boss.id && e.reason === 'queue_put');
  assert.ok(blocks.length >= 5, `boss blocked on put ${blocks.length} times`);
  const at = model.stateAt(blocks[0]!.seq);
  const q = at.queues[0]!;
  assert.equal(q.maxsize, 3);
  assert.deepEqual(q.items, ['1', '2', '3']);
  assert.deepEqual(q.putters, [boss.id]);
  assert.equal(greenlet(at, boss.id).blockedOn?.objLabel, q.label);
  for (const b of blocks) assert.equal(model.stateAt(b.seq).queues[0]!.items.length, 3);
  // At the end the workers waited in get() with a timeout and were thrown Empty.
  const workers = byFunc(last, 'worker');
  assert.equal(workers.length, 3);
  for (const w of workers) {
    const lastBlock = events.filter((e) => e.kind === 'block' && e.g === w.id).pop();
    assert.equal(lastBlock?.kind === 'block' && lastBlock.reason, 'queue_get');
    assert.ok(events.some((e) => e.kind === 'switch' && e.throw && e.to === w.id), `${w.label} interrupted by its timeout`);
    assert.equal(w.state, 'dead_ok');
  }
  assert.deepEqual(last.queues[0]!.items, []);
});

test('state_flags.py: the winner succeeds with its value, the loser dies with its exception', async () => {
  const rec = record(ex('state_flags.py'));
  const { last } = await load(rec.trace);
  const winner = byFunc(last, 'win')[0]!;
  const loser = byFunc(last, 'fail')[0]!;
  assert.equal(winner.state, 'dead_ok');
  assert.deepEqual(
    { started: winner.flags.started, ready: winner.flags.ready, successful: winner.flags.successful, value: winner.flags.value, exception: winner.flags.exception },
    { started: true, ready: true, successful: true, value: "'You win!'", exception: null });
  assert.equal(loser.state, 'dead_exception');
  assert.equal(loser.flags.ready, true);
  assert.equal(loser.flags.successful, false);
  assert.equal(loser.flags.value, null);
  assert.equal(loser.flags.exception, "Exception('You fail at failing.')");
  assert.equal(loser.exceptionInfo?.type, 'Exception');
  assert.equal(loser.exceptionInfo?.message, 'You fail at failing.');
  assert.match(loser.exceptionInfo?.traceback ?? '', /state_flags\.py", line 9, in fail/);
});

test('timeout.py and timeout_with.py: the Timeout interrupts the waiting greenlet', async () => {
  const rec = record(ex('timeout.py'), [], QUICK);
  const { events, last } = await load(rec.trace);
  const main = last.greenlets.find((g) => g.gkind === 'main')!;
  const join = events.find((e) => e.kind === 'block' && e.g === main.id);
  assert.ok(join && join.kind === 'block' && join.reason === 'join');
  const thrown = events.find((e) => e.kind === 'switch' && e.throw && e.to === main.id);
  assert.ok(thrown, 'the Timeout is thrown into main while it joins');
  assert.ok(thrown.seq > join.seq);
  assert.equal(rec.stdout.trim(), 'Could not complete');
  // The spawned wait() is still asleep when the program ends.
  assert.equal(byFunc(last, 'wait')[0]!.state, 'blocked');

  const rec2 = record(ex('timeout_with.py'), [], QUICK);
  const ref2 = plain(ex('timeout_with.py'), [], QUICK);
  assert.equal(rec2.status, 1);
  const programStderr = rec2.stderr.replace(/^greenlet-lens: recorded .*\n/m, '');
  assert.equal(programStderr, ref2.stderr, 'the same traceback');
  const l2 = await load(rec2.trace);
  const main2 = l2.last.greenlets.find((g) => g.gkind === 'main')!;
  assert.equal(main2.exceptionInfo?.type, 'TooLong');
  assert.equal(main2.state, 'dead_exception');
  assert.ok(l2.events.some((e) => e.kind === 'switch' && e.throw && e.to === main2.id));
  assert.equal(l2.last.end?.code, 1);
});

test('determinism.py: two recordings give identical traces apart from times', async () => {
  const a = await load(record(ex('determinism.py')).trace);
  const b = await load(record(ex('determinism.py')).trace);
  assert.ok(a.events.length > 300);
  assert.deepEqual(timeless(b.events), timeless(a.events));
  const c = await load(record(ex('queue_workers.py')).trace);
  const d = await load(record(ex('queue_workers.py')).trace);
  assert.deepEqual(timeless(d.events), timeless(c.events));
});

test('spawning.py and subclass.py: spawn sites, functions and the Greenlet subclass', async () => {
  const { last, events } = await load(record(ex('spawning.py'), [], QUICK).trace);
  const foos = byFunc(last, 'foo');
  assert.deepEqual(foos.map((g) => g.spawnSite?.line), [12, 13]);
  const lambda = byFunc(last, '<lambda>')[0]!;
  assert.equal(lambda.flags.value, '6');
  for (const g of foos) {
    const b = events.find((e) => e.kind === 'block' && e.g === g.id);
    assert.ok(b && b.kind === 'block' && b.reason === 'sleep' && b.site?.line === 8 && b.timeout !== null);
  }
  const sub = await load(record(ex('subclass.py'), [], QUICK).trace);
  const mine = sub.last.greenlets.find((g) => g.func === 'MyGreenlet._run');
  assert.ok(mine, JSON.stringify(sub.last.greenlets.map((g) => g.func)));
  assert.equal(mine.state, 'dead_ok');
});

test('async_result.py: the waiter blocks on the AsyncResult until it is set', async () => {
  const { events, model } = await load(record(ex('async_result.py'), [], QUICK).trace);
  const sets = events.filter((e) => e.kind === 'set');
  assert.equal(sets.length, 2);
  const first = model.stateAt(sets[0]!.seq);
  assert.equal(first.events[0]!.type, 'AsyncResult');
  assert.equal(first.events[0]!.value, "'leoo is cool'");
  assert.equal(model.stateAt(sets[1]!.seq).events[0]!.value, "'minwook is cool'");
});

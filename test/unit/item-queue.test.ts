import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ItemQueue } from '../../shared/model/item-queue';

test('items come out in order across the compaction of the taken prefix', () => {
  const q = ItemQueue.empty();
  for (let i = 0; i < 5000; i++) q.push(String(i));
  for (let i = 0; i < 4000; i++) assert.equal(q.shift(), String(i));
  assert.equal(q.length, 1000);
  assert.equal(q.first(), '4000');
  assert.equal(q.last(), '4999');
  q.push('x');
  assert.deepEqual(q.toArray().slice(-2), ['4999', 'x']);
  assert.equal(q.toArray().length, 1001);
});

test('remove finds an item from the head or from the end, never among taken ones', () => {
  const q = ItemQueue.of(['a', 'b', 'a', 'c']);
  assert.equal(q.shift(), 'a');
  assert.equal(q.remove('a', false), true);
  assert.deepEqual(q.toArray(), ['b', 'c']);
  assert.equal(q.remove('a', true), false, 'the taken "a" is gone');
  assert.equal(q.pop(), 'c');
  assert.equal(q.pop(), 'b');
  assert.equal(q.pop(), undefined);
  assert.equal(q.shift(), undefined);
});

test('a clone is independent of the original', () => {
  const q = ItemQueue.of(['1', '2', '3']);
  q.shift();
  const c = q.clone();
  q.push('4');
  c.shift();
  assert.deepEqual(q.toArray(), ['2', '3', '4']);
  assert.deepEqual(c.toArray(), ['3']);
});

test('takeFront and dropFront work in batches from the head', () => {
  const q = ItemQueue.of([1, 2, 3, 4, 5]);
  assert.equal(q.dropFront(2), 2);
  assert.deepEqual(q.takeFront(2), [3, 4]);
  assert.deepEqual(q.takeFront(10), [5]);
  assert.equal(q.length, 0);
  assert.equal(q.dropFront(3), 0);
  assert.equal(q.dropFront(-1), 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStream } from '../../debug-adapter/session/event-stream';
import type { GreenletEventsBody } from '../../shared/protocol/custom-dap';
import type { Header, TraceEvent } from '../../shared/trace/events';

const HEADER = { format: 'greenlet-lens-trace' } as unknown as Header;
const marks = (from: number, n: number): TraceEvent[] =>
  Array.from({ length: n }, (_, i) => ({ seq: from + i, t: from + i, kind: 'mark', label: `m${from + i}` }));
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('events are batched: one batch per interval, consecutive, the header in the first', async () => {
  const sent: { at: number; body: GreenletEventsBody }[] = [];
  const t0 = Date.now();
  const stream = new EventStream((body) => sent.push({ at: Date.now() - t0, body }), () => HEADER, { intervalMs: 30 });
  stream.add(marks(0, 3));
  stream.add(marks(3, 2));
  assert.equal(sent.length, 0, 'not at once');
  await wait(60);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]!.body.events.map((e) => e.seq), [0, 1, 2, 3, 4]);
  assert.equal(sent[0]!.body.header, HEADER);
  assert.equal(sent[0]!.body.dropped, 0);
  for (let i = 0; i < 10; i++) {
    stream.add(marks(5 + i, 1));
    await wait(5);
  }
  await wait(60);
  const later = sent.slice(1);
  assert.ok(later.length >= 1 && later.length < 10, `${later.length} batches for 10 events: they were batched`);
  assert.deepEqual(later.flatMap((s) => s.body.events.map((e) => e.seq)), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.ok(later.every((s) => s.body.header === undefined));
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 25, 'at most one batch per interval');
  stream.dispose();
});

test('flush sends all that waits at once (before a stop), in batches of at most maxBatch, none lost', () => {
  const sent: GreenletEventsBody[] = [];
  const stream = new EventStream((body) => sent.push(body), () => HEADER, { maxBatch: 100 });
  stream.flush();
  assert.equal(sent.length, 0, 'nothing to send');
  stream.add(marks(0, 70));
  stream.add(marks(70, 160));
  stream.flush();
  assert.deepEqual(sent.map((b) => b.events.length), [100, 100, 30]);
  assert.deepEqual(sent.flatMap((b) => b.events.map((e) => e.seq)), Array.from({ length: 230 }, (_, i) => i));
  assert.ok(sent.every((b) => b.dropped === 0));
  assert.equal(stream.dropped, 0);
  stream.dispose();
});

test('a burst larger than one batch is paced over the next intervals, not dropped', async () => {
  const sent: { at: number; body: GreenletEventsBody }[] = [];
  const t0 = Date.now();
  const stream = new EventStream((body) => sent.push({ at: Date.now() - t0, body }), () => HEADER, { intervalMs: 20, maxBatch: 50 });
  stream.add(marks(0, 180));
  await wait(200);
  assert.deepEqual(sent.map((s) => s.body.events.length), [50, 50, 50, 30]);
  assert.deepEqual(sent.flatMap((s) => s.body.events.map((e) => e.seq)), Array.from({ length: 180 }, (_, i) => i));
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 15, 'one batch per interval');
  stream.dispose();
});

test('only a backlog beyond maxPending loses its oldest events, and the next batch says how many', () => {
  const sent: GreenletEventsBody[] = [];
  const stream = new EventStream((body) => sent.push(body), () => HEADER, { maxBatch: 100, maxPending: 300 });
  stream.add(marks(0, 250));
  stream.add(marks(250, 100));
  stream.flush();
  assert.equal(sent[0]!.dropped, 50);
  assert.equal(sent[0]!.events[0]!.seq, 50);
  assert.deepEqual(sent.slice(1).map((b) => b.dropped), [0, 0]);
  assert.equal(sent.flatMap((b) => b.events).at(-1)!.seq, 349);
  assert.equal(stream.dropped, 50);
  stream.dispose();
});

test('while the client has not read what was sent (backedUp), no batch goes; the backlog stays bounded and says what it dropped', async () => {
  const sent: GreenletEventsBody[] = [];
  let behind = true;
  const stream = new EventStream((body) => sent.push(body), () => HEADER, { intervalMs: 5, maxBatch: 10, maxPending: 50, backedUp: () => behind });
  stream.add(marks(0, 30));
  await wait(40);
  assert.equal(sent.length, 0, 'nothing is piled onto a client that is behind');
  stream.add(marks(30, 40));
  await wait(20);
  assert.equal(sent.length, 0);
  behind = false;
  await wait(80);
  const seqs = sent.flatMap((b) => b.events.map((e) => e.seq));
  assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => 20 + i), 'the latest 50 of 70');
  assert.equal(sent[0]!.dropped, 20);
  behind = true;
  stream.add(marks(70, 5));
  stream.flush();
  assert.deepEqual(sent.at(-1)!.events.map((e) => e.seq), [70, 71, 72, 73, 74], 'a flush (before a stop) sends even so');
  stream.dispose();
});

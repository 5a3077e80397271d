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

test('flush sends at once (before a stop); a client that falls behind gets the newest events and a dropped count', () => {
  const sent: GreenletEventsBody[] = [];
  const stream = new EventStream((body) => sent.push(body), () => HEADER, { maxBatch: 100 });
  stream.flush();
  assert.equal(sent.length, 0, 'nothing to send');
  stream.add(marks(0, 70));
  stream.add(marks(70, 60));
  stream.flush();
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.dropped, 30);
  assert.deepEqual([sent[0]!.events[0]!.seq, sent[0]!.events.at(-1)!.seq, sent[0]!.events.length], [30, 129, 100]);
  stream.add(marks(130, 5));
  stream.flush();
  assert.equal(sent[1]!.dropped, 0);
  assert.equal(sent[1]!.events[0]!.seq, 130);
  assert.equal(stream.dropped, 30);
  stream.dispose();
});

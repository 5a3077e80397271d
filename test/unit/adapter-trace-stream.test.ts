import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TraceStream } from '../../debug-adapter/session/trace-stream';
import type { TraceBatch } from '../../debug-adapter/session/trace-stream';

const bytes = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const decoded = (sent: readonly TraceBatch[]): number[] => [...Buffer.concat(sent.map((b) => b.bytes))];

test('bytes are batched: one batch per interval, each at the offset where the previous ended', async () => {
  const sent: { at: number; body: TraceBatch }[] = [];
  const t0 = Date.now();
  const stream = new TraceStream((body) => sent.push({ at: Date.now() - t0, body }), { intervalMs: 30 });
  stream.add(bytes(0, 3));
  stream.add(bytes(3, 2));
  assert.equal(sent.length, 0, 'not at once');
  await wait(60);
  assert.equal(sent.length, 1);
  assert.deepEqual(decoded([sent[0]!.body]), [0, 1, 2, 3, 4]);
  assert.equal(sent[0]!.body.offset, 0);
  for (let i = 0; i < 10; i++) {
    stream.add(bytes(5 + i, 1));
    await wait(5);
  }
  await wait(60);
  const later = sent.slice(1);
  assert.ok(later.length >= 1 && later.length < 10, `${later.length} batches for 10 pieces: they were batched`);
  assert.deepEqual(decoded(later.map((s) => s.body)), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(later[0]!.body.offset, 5);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 25, 'at most one batch per interval');
  assert.equal(stream.bytesSent, 15);
  stream.dispose();
});

test('flush sends all that waits at once (before a stop), in batches of at most maxBytes, none lost', () => {
  const sent: TraceBatch[] = [];
  const stream = new TraceStream((body) => sent.push(body), { maxBytes: 100 });
  stream.flush();
  assert.equal(sent.length, 0, 'nothing to send');
  stream.add(bytes(0, 70));
  stream.add(bytes(70, 160));
  stream.flush();
  assert.deepEqual(sent.map((b) => b.bytes.length), [100, 100, 30]);
  assert.deepEqual(sent.map((b) => b.offset), [0, 100, 200]);
  assert.deepEqual(decoded(sent), [...bytes(0, 230)]);
  stream.dispose();
});

test('a burst larger than one batch is paced over the next intervals, not dropped', async () => {
  const sent: { at: number; body: TraceBatch }[] = [];
  const t0 = Date.now();
  const stream = new TraceStream((body) => sent.push({ at: Date.now() - t0, body }), { intervalMs: 20, maxBytes: 50 });
  stream.add(bytes(0, 180));
  await wait(200);
  assert.deepEqual(sent.map((s) => s.body.bytes.length), [50, 50, 50, 30]);
  assert.deepEqual(decoded(sent.map((s) => s.body)), [...bytes(0, 180)]);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i]!.at - sent[i - 1]!.at >= 15, 'one batch per interval');
  stream.dispose();
});

test('a piece added is copied: the sender reusing its buffer does not change what is sent', () => {
  const sent: TraceBatch[] = [];
  const stream = new TraceStream((body) => sent.push(body));
  const buffer = bytes(0, 4);
  stream.add(buffer);
  buffer.fill(9);
  stream.flush();
  assert.deepEqual(decoded(sent), [0, 1, 2, 3]);
  stream.dispose();
  stream.add(bytes(0, 4));
  stream.flush();
  assert.equal(sent.length, 1, 'nothing after dispose');
});

test('while the client has not read what was sent (backedUp), no batch goes; the bytes wait, whole, and a flush (before a stop) sends even so', async () => {
  const sent: TraceBatch[] = [];
  let behind = true;
  const stream = new TraceStream((body) => sent.push(body), { intervalMs: 5, maxBytes: 10, backedUp: () => behind });
  stream.add(bytes(0, 30));
  await wait(40);
  assert.equal(sent.length, 0, 'nothing is piled onto a client that is behind');
  behind = false;
  await wait(80);
  assert.deepEqual(decoded(sent), [...bytes(0, 30)], 'once it catches up, every byte, in order');
  behind = true;
  stream.add(bytes(30, 5));
  stream.flush();
  assert.deepEqual(decoded(sent), [...bytes(0, 35)]);
  stream.dispose();
});

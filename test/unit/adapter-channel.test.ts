import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuntimeChannel, proofOf } from '../../debug-adapter/runtime/channel';
import { FrameReader, FramingError, KIND_JSON, KIND_TRACE, MAX_FRAME_SIZE, encodeFrame, encodeJson } from '../../debug-adapter/runtime/framing';
import { AdapterError, AdapterErrorId } from '../../debug-adapter/errors';
import type { RuntimeNotification } from '../../debug-adapter/runtime/protocol';
import { FakeRuntime } from '../support/fake-runtime';

test('framing: kind byte, big-endian length, payload; frames come out whole wherever the stream is cut', () => {
  const a = encodeJson({ type: 'hello', protocol: 1 });
  assert.equal(a[0], 0x4a);
  assert.equal(a.readUInt32BE(1), a.length - 5);
  const b = encodeFrame(KIND_TRACE, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...b], [0x54, 0, 0, 0, 3, 1, 2, 3]);
  const empty = encodeFrame(KIND_TRACE, new Uint8Array(0));
  const stream = Buffer.concat([a, b, empty, a]);
  for (let cut1 = 0; cut1 <= stream.length; cut1++) {
    for (const cut2 of [cut1, Math.min(stream.length, cut1 + 3), stream.length]) {
      const r = new FrameReader();
      const frames = [
        ...r.push(stream.subarray(0, cut1)),
        ...r.push(stream.subarray(cut1, cut2)),
        ...r.push(stream.subarray(cut2)),
      ];
      assert.deepEqual(frames.map((f) => f.kind), [KIND_JSON, KIND_TRACE, KIND_TRACE, KIND_JSON], `cuts ${cut1}/${cut2}`);
      assert.deepEqual(JSON.parse(frames[3]!.payload.toString()), { type: 'hello', protocol: 1 });
      assert.deepEqual([...frames[1]!.payload], [1, 2, 3]);
      assert.equal(frames[2]!.payload.length, 0);
      assert.equal(r.pending, 0);
    }
  }
});

test('framing: an unknown kind or an absurd length fails the stream, and it stays failed', () => {
  const r = new FrameReader();
  assert.throws(() => r.push(Buffer.from([0x58, 0, 0, 0, 0])), (e: Error) => e instanceof FramingError && /unknown frame kind 0x58/.test(e.message));
  assert.throws(() => r.push(encodeJson({})), FramingError);
  const big = Buffer.alloc(5);
  big[0] = KIND_TRACE;
  big.writeUInt32BE(MAX_FRAME_SIZE + 1, 1);
  assert.throws(() => new FrameReader().push(big), /larger than/);
});

async function attached(): Promise<{ fake: FakeRuntime; channel: RuntimeChannel }> {
  const fake = await FakeRuntime.listen();
  const channel = await RuntimeChannel.connect('127.0.0.1', fake.port, 2000);
  await fake.connected;
  return { fake, channel };
}

test('channel: the runtime greets with a nonce; the adapter proves the secret without sending it; the runtime proves it back', async () => {
  const { fake, channel } = await attached();
  fake.secret = 's3cret';
  try {
    const handshake = channel.handshake('s3cret', 2000);
    fake.sendHello();
    const hello = await handshake;
    assert.equal(hello.protocol, 2);
    assert.equal(hello.pid, process.pid);
    const ours = await fake.next('hello');
    assert.equal(ours['secret'], undefined);
    assert.equal(ours['proof'], proofOf('s3cret', 'adapter', fake.nonce, String(ours['nonce'])));
    assert.notEqual(ours['nonce'], fake.nonce);
  } finally {
    channel.close();
    fake.close();
  }
});

test('channel: a wrong protocol version or a refused secret fails the handshake with a named error', async () => {
  let { fake, channel } = await attached();
  fake.sendHello({ protocol: 1 });
  await assert.rejects(channel.handshake('x', 2000), (e: AdapterError) => e.id === AdapterErrorId.HandshakeFailed && /protocol version 1/.test(e.message));
  channel.close();
  fake.close();
  ({ fake, channel } = await attached());
  fake.secret = 'right';
  const handshake = channel.handshake('wrong', 2000);
  fake.sendHello();
  await assert.rejects(handshake, (e: AdapterError) => e.id === AdapterErrorId.HandshakeFailed && /secret/.test(e.message));
  channel.close();
  fake.close();
});

test('channel: responses are matched by request_seq, in any order; failures and timeouts are named errors', async () => {
  const { fake, channel } = await attached();
  try {
    const held: Record<string, unknown>[] = [];
    fake.handler = (req) => {
      if (req['type'] === 'stack') {
        held.push(req);
        return null;
      }
      if (req['type'] === 'pause') return new Error('not running');
      return null;
    };
    const first = channel.request('stack', { g: 3, startFrame: 0, levels: 5 });
    const second = channel.request('stack', { g: 4, startFrame: 0, levels: 5 });
    await fake.next('stack');
    await fake.next('stack');
    assert.deepEqual(held.map((r) => [r['g'], r['startFrame'], r['levels']]), [[3, 0, 5], [4, 0, 5]]);
    fake.respond(held[1]!, { frames: [{ id: 2, name: 'b', file: '/b.py', line: 2 }], total: 1 });
    fake.respond(held[0]!, { frames: [{ id: 1, name: 'a', file: '/a.py', line: 1 }], total: 1 });
    assert.equal((await first).frames[0]!.name, 'a');
    assert.equal((await second).frames[0]!.name, 'b');
    await assert.rejects(channel.request('pause', {}), (e: AdapterError) => e.id === AdapterErrorId.RuntimeRequestFailed && e.message === 'pause: not running');
    await assert.rejects(channel.request('continue', {}, 50), (e: AdapterError) => e.id === AdapterErrorId.RequestTimeout);
  } finally {
    channel.close();
    fake.close();
  }
});

test('channel: trace bytes and notifications are held until delivery starts, then come in order', async () => {
  const { fake, channel } = await attached();
  const got: string[] = [];
  const violations: string[] = [];
  channel.on('trace', (b) => got.push(`trace ${b.length}`));
  channel.on('notification', (n: RuntimeNotification) => got.push(n.type));
  channel.on('violation', (v) => violations.push(v));
  fake.secret = 'x';
  const handshake = channel.handshake('x', 2000);
  fake.sendHello();
  await handshake;
  fake.sendTrace(new Uint8Array(10));
  fake.sendJson({ type: 'stopped', reason: 'entry', g: 1, seq: 0 });
  fake.sendJson({ type: 'frobnicate' });
  fake.sendJson({ type: 'stopped', reason: 'nap', g: 1, seq: 0 });
  fake.sendJson({ type: 'response', request_seq: 99, success: true });
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(got, [], 'nothing before deliver()');
  channel.deliver();
  assert.deepEqual(got, ['trace 10', 'stopped']);
  assert.equal(violations.length, 3);
  assert.match(violations[0]!, /unknown type/);
  assert.match(violations[1]!, /unknown reason/);
  assert.match(violations[2]!, /request 99, which is not pending/);
  channel.close();
  fake.close();
});

test('channel: when the connection closes, pending requests fail with ConnectionLost and close is emitted once', async () => {
  const { fake, channel } = await attached();
  fake.handler = () => null;
  const closes: (Error | null)[] = [];
  channel.on('close', ({ error }) => closes.push(error));
  const pending = channel.request('variables', { variablesReference: 7 });
  await fake.next('variables');
  fake.closeConnection();
  await assert.rejects(pending, (e: AdapterError) => e.id === AdapterErrorId.ConnectionLost && /variables/.test(e.message));
  await assert.rejects(channel.request('continue', {}), (e: AdapterError) => e.id === AdapterErrorId.NotConnected);
  assert.equal(closes.length, 1);
  assert.equal(channel.isOpen, false);
  fake.close();
});

test('channel: attach to a port nobody listens on fails with AttachFailed after retrying', async () => {
  const fake = await FakeRuntime.listen();
  const port = fake.port;
  fake.close();
  const t0 = Date.now();
  await assert.rejects(RuntimeChannel.connect('127.0.0.1', port, 300), (e: AdapterError) =>
    e.id === AdapterErrorId.AttachFailed && e.message.includes(`listen --port ${port}`));
  assert.ok(Date.now() - t0 >= 200, 'retried until the deadline');
});


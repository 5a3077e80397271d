// The trace editor's pure part (extension/trace-editor-stream.ts): pieces of
// a file or of bytes, the traceBytes sequence with `final` on the last, read
// failures as one `error` message, stopping when the board goes away.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { HostToBoard } from '../../shared/protocol/board-messages';
import { bytePieces, describeReadError, filePieces, streamTrace, traceTitle } from '../../extension/trace-editor-stream';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const collect = () => {
  const posted: HostToBoard[] = [];
  return { posted, post: (m: HostToBoard) => { posted.push(m); return Promise.resolve(true); } };
};
const traceBytes = (m: HostToBoard[]) => m.map((x) => { assert.equal(x.type, 'traceBytes'); return x as Extract<HostToBoard, { type: 'traceBytes' }>; });

test('bytePieces: pieces of at most size, copies that together are the input', () => {
  const input = bytes(10);
  const pieces = [...bytePieces(input, 4)];
  assert.deepEqual(pieces.map((p) => p.length), [4, 4, 2]);
  assert.deepEqual(concat(pieces), input);
  assert.ok(pieces.every((p) => p.buffer !== input.buffer && p.byteOffset === 0 && p.buffer.byteLength === p.length));
  assert.deepEqual([...bytePieces(new Uint8Array(0), 4)], []);
  assert.deepEqual([...bytePieces(bytes(8), 4)].map((p) => p.length), [4, 4]);
  assert.throws(() => [...bytePieces(input, 0)], RangeError);
});

test('filePieces reads a file in pieces of the size; the last is trimmed to its own buffer', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glt-editor-'));
  try {
    const file = path.join(dir, 'run.glt');
    const input = bytes(10_000);
    fs.writeFileSync(file, input);
    const pieces: Uint8Array[] = [];
    for await (const p of filePieces(file, 4096)) pieces.push(p);
    assert.deepEqual(pieces.map((p) => p.length), [4096, 4096, 1808]);
    assert.equal(pieces[2]!.buffer.byteLength, 1808);
    assert.deepEqual(concat(pieces), input);
    await assert.rejects(async () => { for await (const _ of filePieces(path.join(dir, 'gone.glt'))) void _; }, { code: 'ENOENT' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('streamTrace: every piece in order, final only on the last; an empty file is one empty final piece', async () => {
  const { posted, post } = collect();
  const result = await streamTrace(bytePieces(bytes(10), 4), post);
  assert.deepEqual(result, { kind: 'done', bytes: 10, pieces: 3 });
  const messages = traceBytes(posted);
  assert.deepEqual(messages.map((m) => [m.bytes.length, m.final]), [[4, false], [4, false], [2, true]]);
  assert.deepEqual(concat(messages.map((m) => m.bytes)), bytes(10));

  const empty = collect();
  assert.deepEqual(await streamTrace([], empty.post), { kind: 'done', bytes: 0, pieces: 1 });
  assert.deepEqual(traceBytes(empty.posted).map((m) => [m.bytes.length, m.final]), [[0, true]]);
});

test('streamTrace waits for each post before reading on (a slow board holds the reader back)', async () => {
  const events: string[] = [];
  async function* reader() {
    for (let i = 0; i < 3; i++) { events.push(`read ${i}`); yield bytes(2); }
  }
  await streamTrace(reader(), async (m) => {
    events.push(`post ${m.type === 'traceBytes' && m.final ? 'final' : 'piece'} start`);
    await new Promise((r) => setTimeout(r, 5));
    events.push('post end');
    return true;
  });
  assert.deepEqual(events, ['read 0', 'read 1', 'post piece start', 'post end', 'read 2', 'post piece start', 'post end', 'post final start', 'post end']);
});

test('a read failure mid-file: the pieces before it, then one error message; never final', async () => {
  async function* reader() {
    yield bytes(4);
    yield bytes(4);
    throw Object.assign(new Error('EACCES: permission denied, read'), { code: 'EACCES' });
  }
  const { posted, post } = collect();
  const result = await streamTrace(reader(), post);
  assert.deepEqual(result, { kind: 'failed', message: 'permission denied' });
  assert.deepEqual(posted.map((m) => m.type), ['traceBytes', 'error']);
  assert.equal((posted[0] as { final: boolean }).final, false);
  assert.deepEqual(posted[1], { type: 'error', message: 'permission denied' });
});

test('stop() or an undelivered post ends the stream without an error message', async () => {
  let stopped = false;
  const { posted, post } = collect();
  async function* reader() { yield bytes(1); yield bytes(1); stopped = true; yield bytes(1); yield bytes(1); }
  assert.deepEqual(await streamTrace(reader(), post, () => stopped), { kind: 'stopped' });
  assert.equal(posted.length, 1);

  const refused: HostToBoard[] = [];
  const result = await streamTrace(bytePieces(bytes(10), 2), (m) => { refused.push(m); return false; });
  assert.deepEqual(result, { kind: 'stopped' });
  assert.equal(refused.length, 1);
});

test('read errors are described briefly; titles name the file', () => {
  assert.equal(describeReadError(Object.assign(new Error('x'), { code: 'ENOENT' })), 'no such file');
  assert.equal(describeReadError(Object.assign(new Error('x'), { code: 'FileNotFound' })), 'no such file');
  assert.equal(describeReadError(Object.assign(new Error('x'), { code: 'EISDIR' })), 'it is a directory');
  assert.equal(describeReadError(new Error('disk on fire')), 'disk on fire');
  assert.equal(describeReadError('odd'), 'odd');
  assert.equal(traceTitle('/work/runs/demo.glt'), 'Greenlet Lens: demo.glt');
});

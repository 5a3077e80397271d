// The extension's side of the board feed (extension/board-feed.ts): what a
// board that (re)loads is replayed, what a listening board is sent live, and
// the adapter's greenletStatus as board messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionFeed, statusMessage, type SessionFeedOptions } from '../../extension/board-feed';
import type { HostToBoard } from '../../shared/protocol/board-messages';
import type { GreenletTraceBody } from '../../shared/protocol/custom-dap';

/** Bytes from..to (inclusive) as the adapter's batch at offset `from`. */
function batch(from: number, to: number): GreenletTraceBody {
  return { data: Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => (from + i) & 0xff)).toString('base64'), offset: from };
}

function feed(options: SessionFeedOptions = {}) {
  return { f: new SessionFeed(options) };
}

/** A sink keeping the in-order stream (bytes and statuses), without the out-of-band `pace`. */
function inOrder(into: HostToBoard[]): (m: HostToBoard) => void {
  return (m) => {
    if (m.type !== 'pace') into.push(m);
  };
}

/** The in-order stream: bytes and statuses (`pace` goes out of band, tested on its own). */
function shape(messages: HostToBoard[]): (number[] | string)[] {
  return messages.filter((m) => m.type !== 'pace').map((m) => (m.type === 'sessionBytes' ? [...m.bytes] : m.type));
}

test('a board that connects late is replayed every byte, then the latest status', () => {
  const { f } = feed();
  f.addTrace(batch(0, 2));
  f.addTrace(batch(3, 4));
  f.addStatus({ type: 'stopped', seq: 4, g: 3, reason: 'step', description: 'Paused before a switch' });
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  assert.deepEqual(shape(got), [[0, 1, 2, 3, 4], 'stopped']);
  assert.equal(f.stopThread, 3);
  // Live from now on.
  f.addStatus({ type: 'continued' });
  f.addTrace(batch(5, 5));
  assert.deepEqual(shape(got.slice(2)), ['continued', [5]]);
  assert.equal(f.bytesReceived, 6);
});

test('nothing is sent while no board listens; a reconnect replays again from the start', () => {
  const { f } = feed();
  const first: HostToBoard[] = [];
  f.connect(inOrder(first));
  f.addTrace(batch(0, 1));
  f.disconnect();
  f.addTrace(batch(2, 3));
  assert.deepEqual(shape(first), [[0, 1]]);
  const second: HostToBoard[] = [];
  f.connect(inOrder(second));
  assert.deepEqual(shape(second), [[0, 1, 2, 3]]);
});

test('replay comes in chunks of about replayChunkBytes, each a plain Uint8Array (VS Code would send a Node Buffer as JSON)', () => {
  const { f } = feed({ replayChunkBytes: 3 });
  f.addTrace(batch(0, 1));
  f.addTrace(batch(2, 3));
  f.addTrace(batch(4, 4));
  const r = f.replay();
  assert.deepEqual(shape(r), [[0, 1, 2, 3], [4]]);
  for (const m of r) assert.equal(m.type === 'sessionBytes' && m.bytes.constructor.name, 'Uint8Array');
});

test('kept bytes are bounded: past the bound a reloading board is told plainly, while a listening one still gets everything', () => {
  const { f } = feed({ maxKeptBytes: 4 });
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  f.addTrace(batch(0, 2));
  f.addTrace(batch(3, 5));
  assert.deepEqual(shape(got), [[0, 1, 2], [3, 4, 5]]);
  assert.equal(f.keptBytes, 0);
  const r = f.replay();
  assert.equal(r.length, 1);
  assert.equal(r[0]!.type, 'error');
  assert.match(r[0]!.type === 'error' ? r[0]!.message : '', /outgrew .* "trace" launch attribute/);
});

test('a batch that does not start where the last ended stops the feed and says so', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  f.addTrace(batch(0, 1));
  f.addTrace(batch(5, 6));
  f.addTrace(batch(2, 3));
  assert.deepEqual(shape(got), [[0, 1], 'error']);
  assert.match(got[1]!.type === 'error' ? got[1]!.message : '', /skipped from byte 2 to 5/);
});

test('status comes in order with the bytes: a stop follows the batch holding its last event', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  f.addTrace(batch(0, 4));
  f.addStatus(statusMessage({ kind: 'stopped', stop: { reason: 'deadlock', g: 2, seq: 4 }, description: 'Deadlock: every greenlet is blocked and nothing is scheduled' }));
  f.addStatus(statusMessage({ kind: 'continued' }));
  f.addTrace(batch(5, 6));
  f.addStatus(statusMessage({ kind: 'ended', exitCode: 143, byUser: true }));
  assert.deepEqual(shape(got), [[0, 1, 2, 3, 4], 'stopped', 'continued', [5, 6], 'ended']);
  assert.deepEqual(got[1], { type: 'stopped', seq: 4, g: 2, reason: 'deadlock', description: 'Deadlock: every greenlet is blocked and nothing is scheduled' });
  assert.deepEqual(got[4], { type: 'ended', exitCode: 143, byUser: true });
  assert.deepEqual(statusMessage({ kind: 'ended', exitCode: 0, byUser: false }), { type: 'ended', exitCode: 0 });
  assert.equal(f.stopThread, 2);
});

test('the end is said once (exited, then terminated); an error stays in the replay', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  f.addStatus({ type: 'error', message: 'lost the program' });
  f.addStatus({ type: 'ended', exitCode: 3 });
  f.addStatus({ type: 'ended', exitCode: null });
  f.addStatus({ type: 'continued' });
  assert.deepEqual(got.map((m) => m.type), ['error', 'ended']);
  assert.equal(f.ended, true);
  assert.deepEqual(f.replay(), [{ type: 'error', message: 'lost the program' }, { type: 'ended', exitCode: 3 }]);
});

test('an empty or malformed body changes nothing; a fresh feed is unused until something arrives', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  assert.equal(f.used, false);
  f.addTrace({ data: '', offset: 0 });
  f.addTrace({ offset: 0 } as never);
  assert.deepEqual(got, []);
  assert.equal(f.used, false);
  f.addTrace(batch(0, 0));
  assert.equal(f.used, true);
});

test('flow control: at most sendWindowBytes go unread to the board; the rest waits, in order with the statuses, until the board says it used them', () => {
  const { f } = feed({ sendWindowBytes: 4, replayChunkBytes: 3 });
  f.addTrace(batch(0, 5));
  const got: HostToBoard[] = [];
  f.connect(inOrder(got));
  // The replay's first chunk goes even though it is larger than what is left of the window.
  assert.deepEqual(shape(got), [[0, 1, 2, 3, 4, 5]]);
  f.addTrace(batch(6, 7));
  f.addStatus({ type: 'stopped', seq: 7, g: 2, reason: 'pause', description: 'Paused' });
  f.addTrace(batch(8, 8));
  assert.equal(got.length, 1, 'nothing more while 6 bytes are unread');
  assert.equal(f.waitingBytes, 3);
  f.consumed(6);
  assert.deepEqual(shape(got), [[0, 1, 2, 3, 4, 5], [6, 7], 'stopped', [8]], 'small pieces joined up to a chunk; the stop after the bytes before it');
  f.addTrace(batch(9, 11));
  assert.equal(got.length, 4, 'the window (4) is full: 3 bytes unread, 3 more would pass it');
  f.consumed(9);
  assert.deepEqual(shape(got.slice(4)), [[9, 10, 11]]);
  // A board that reloads starts over: everything again, counted from 0.
  const again: HostToBoard[] = [];
  f.connect(inOrder(again));
  assert.deepEqual(shape(again), [[0, 1, 2, 3, 4, 5]]);
  f.consumed(6);
  assert.deepEqual(shape(again), [[0, 1, 2, 3, 4, 5], [6, 7, 8]]);
  f.consumed(12);
  assert.deepEqual(shape(again), [[0, 1, 2, 3, 4, 5], [6, 7, 8], [9, 10, 11], 'stopped'], 'the replay ends with the latest status');
  assert.equal(got.length, 5, 'the old page gets nothing more');
});

test('pace goes out of band: a board behind on the bytes learns at once that the program stopped, ran on or ended', () => {
  const { f } = feed({ sendWindowBytes: 2 });
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addTrace(batch(0, 2));
  f.addTrace(batch(3, 5));
  f.addStatus({ type: 'stopped', seq: 5, g: 3, reason: 'pause', description: 'Paused' });
  const kinds = (): string[] => got.map((m) => (m.type === 'pace' ? `pace ${m.running ? 'running' : 'stopped'}` : m.type));
  // The second batch and the stop wait for the board to use the first; the pace does not.
  assert.deepEqual(kinds(), ['sessionBytes', 'pace stopped']);
  f.consumed(3);
  assert.deepEqual(kinds(), ['sessionBytes', 'pace stopped', 'sessionBytes', 'stopped']);
  f.addStatus({ type: 'continued' });
  f.addStatus({ type: 'ended', exitCode: 0 });
  assert.deepEqual(kinds().slice(4), ['pace running', 'continued', 'pace stopped', 'ended']);
  // A board that connects while the program is stopped starts at the stopped pace, before the replay.
  const again: HostToBoard[] = [];
  f.connect((m) => again.push(m));
  assert.deepEqual(again[0], { type: 'pace', running: false });
  f.addStatus({ type: 'error', message: 'the adapter failed' });
  assert.equal(again.at(-1)?.type, 'error', 'an error is no pace');
});

// The extension's side of the board feed (extension/board-feed.ts): what a
// board that (re)loads is replayed, what a listening board is sent live, and
// the adapter's greenletStatus as board messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionFeed, statusMessage, type SessionFeedOptions } from '../../extension/board-feed';
import type { HostToBoard } from '../../shared/protocol/board-messages';
import type { Header, TraceEvent } from '../../shared/trace/events';

const HEADER = { format: 'greenlet-lens-trace', pid: 1 } as unknown as Header;

function marks(from: number, to: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let seq = from; seq <= to; seq++) out.push({ seq, t: seq, kind: 'mark', label: `m${seq}` });
  return out;
}

function feed(options: SessionFeedOptions = {}) {
  return { f: new SessionFeed(options) };
}

function seqs(messages: HostToBoard[]): (number[] | string)[] {
  return messages.map((m) => (m.type === 'events' ? m.events.map((e) => e.seq) : m.type));
}

test('a board that connects late is replayed every event, the header first, then the latest status', () => {
  const { f } = feed();
  f.addEvents({ events: marks(0, 2), header: HEADER, dropped: 0 });
  f.addEvents({ events: marks(3, 4), dropped: 0 });
  f.addStatus({ type: 'stopped', seq: 4, g: 3, reason: 'step', description: 'Paused before a switch' });
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  assert.deepEqual(seqs(got), [[0, 1, 2, 3, 4], 'stopped']);
  assert.equal(got[0]!.type === 'events' && got[0]!.header, HEADER);
  assert.equal(f.stopThread, 3);
  // Live from now on.
  f.addStatus({ type: 'continued' });
  f.addEvents({ events: marks(5, 5), dropped: 0 });
  assert.deepEqual(seqs(got.slice(2)), ['continued', [5]]);
});

test('nothing is sent while no board listens; a reconnect replays again from the start', () => {
  const { f } = feed();
  const first: HostToBoard[] = [];
  f.connect((m) => first.push(m));
  f.addEvents({ events: marks(0, 1), header: HEADER, dropped: 0 });
  f.disconnect();
  f.addEvents({ events: marks(2, 3), dropped: 0 });
  assert.deepEqual(seqs(first), [[0, 1]]);
  const second: HostToBoard[] = [];
  f.connect((m) => second.push(m));
  assert.deepEqual(seqs(second), [[0, 1, 2, 3]]);
});

test('replay comes in chunks, and an adapter drop starts a message that says so', () => {
  const { f } = feed({ replayChunk: 3 });
  f.addEvents({ events: marks(0, 4), header: HEADER, dropped: 0 });
  f.addEvents({ events: marks(10, 11), dropped: 5 });
  const r = f.replay();
  assert.deepEqual(seqs(r), [[0, 1, 2], [3, 4], [10, 11]]);
  assert.deepEqual(r.map((m) => m.type === 'events' && m.dropped), [0, 0, 5]);
  assert.deepEqual(r.map((m) => m.type === 'events' && m.header !== undefined), [true, false, false]);
});

test('the kept events are bounded: the oldest batches go, counted as dropped in the replay', () => {
  const { f } = feed({ maxKeptEvents: 4 });
  f.addEvents({ events: marks(0, 2), header: HEADER, dropped: 0 });
  f.addEvents({ events: marks(3, 5), dropped: 0 });
  f.addEvents({ events: marks(6, 6), dropped: 0 });
  assert.equal(f.keptEvents, 4);
  const r = f.replay();
  assert.deepEqual(seqs(r), [[3, 4, 5, 6]]);
  assert.equal(r[0]!.type === 'events' && r[0]!.dropped, 3);
  assert.equal(r[0]!.type === 'events' && r[0]!.header, HEADER, 'the header survives the trim');
});

test('status comes in order with the events: a stop follows the batch holding its last event', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addEvents({ events: marks(0, 4), header: HEADER, dropped: 0 });
  f.addStatus(statusMessage({ kind: 'stopped', stop: { reason: 'deadlock', g: 2, seq: 4 }, description: 'Deadlock: every greenlet is blocked and nothing is scheduled' }));
  f.addStatus(statusMessage({ kind: 'continued' }));
  f.addEvents({ events: marks(5, 6), dropped: 0 });
  f.addStatus(statusMessage({ kind: 'ended', exitCode: 143, byUser: true }));
  assert.deepEqual(seqs(got), [[0, 1, 2, 3, 4], 'stopped', 'continued', [5, 6], 'ended']);
  assert.deepEqual(got[1], { type: 'stopped', seq: 4, g: 2, reason: 'deadlock', description: 'Deadlock: every greenlet is blocked and nothing is scheduled' });
  assert.deepEqual(got[4], { type: 'ended', exitCode: 143, byUser: true });
  assert.deepEqual(statusMessage({ kind: 'ended', exitCode: 0, byUser: false }), { type: 'ended', exitCode: 0 });
  assert.equal(f.stopThread, 2);
});

test('the end is said once (exited, then terminated); an error stays in the replay', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addStatus({ type: 'error', message: 'lost the program' });
  f.addStatus({ type: 'ended', exitCode: 3 });
  f.addStatus({ type: 'ended', exitCode: null });
  f.addStatus({ type: 'continued' });
  assert.deepEqual(got.map((m) => m.type), ['error', 'ended']);
  assert.equal(f.ended, true);
  assert.deepEqual(f.replay(), [{ type: 'error', message: 'lost the program' }, { type: 'ended', exitCode: 3 }]);
});

test('a body without events (or a malformed one) changes nothing', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addEvents({ events: [], dropped: 0 });
  f.addEvents({ dropped: 0 } as never);
  assert.deepEqual(got, []);
  assert.equal(f.lastSeq, -1);
});

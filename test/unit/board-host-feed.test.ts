// The extension's side of the board feed (extension/board-feed.ts): what a
// board that (re)loads is replayed, what a listening board is sent live, and
// the order of events and status messages that arrive by different routes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionFeed, type SessionFeedOptions } from '../../extension/board-feed';
import type { HostToBoard } from '../../shared/protocol/board-messages';
import type { Header, TraceEvent } from '../../shared/trace/events';

const HEADER = { format: 'greenlet-lens-trace', pid: 1 } as unknown as Header;

function marks(from: number, to: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let seq = from; seq <= to; seq++) out.push({ seq, t: seq, kind: 'mark', label: `m${seq}` });
  return out;
}

/** A feed with a fake timer the test fires by hand. */
function feed(options: SessionFeedOptions = {}) {
  const timers: { run: () => void; cancelled: boolean }[] = [];
  const f = new SessionFeed({
    ...options,
    setTimer: (run) => {
      const t = { run, cancelled: false };
      timers.push(t);
      return { cancel: () => { t.cancelled = true; } };
    },
  });
  const fire = (): void => { for (const t of timers.splice(0)) if (!t.cancelled) t.run(); };
  return { f, fire, pending: () => timers.filter((t) => !t.cancelled).length };
}

function seqs(messages: HostToBoard[]): (number[] | string)[] {
  return messages.map((m) => (m.type === 'events' ? m.events.map((e) => e.seq) : m.type));
}

test('a board that connects late is replayed every event, the header first, then the latest status', () => {
  const { f } = feed();
  f.addEvents({ events: marks(0, 2), header: HEADER, dropped: 0 });
  f.addEvents({ events: marks(3, 4), dropped: 0 });
  f.addStatus({ type: 'stopped', seq: 4, g: 3, reason: 'step', description: 'Paused before a switch' }, 4);
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  assert.deepEqual(seqs(got), [[0, 1, 2, 3, 4], 'stopped']);
  assert.equal(got[0]!.type === 'events' && got[0]!.header, HEADER);
  assert.equal(f.stopThread, 3);
  // Live from now on.
  f.addStatus({ type: 'continued' }, 4);
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

test('a stop seen before its events waits for them, then follows them', () => {
  const { f, pending } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addEvents({ events: marks(0, 1), header: HEADER, dropped: 0 });
  // The tracker saw events up to 4 and then the stop; the custom events for 2..4 are still on their way.
  f.addStatus({ type: 'stopped', seq: 4, g: 2, reason: 'step', description: '' }, 4);
  f.addStatus({ type: 'continued' }, 4);
  assert.deepEqual(seqs(got), [[0, 1]]);
  assert.equal(pending(), 1);
  f.addEvents({ events: marks(2, 3), dropped: 0 });
  assert.deepEqual(seqs(got), [[0, 1], [2, 3]]);
  f.addEvents({ events: marks(4, 4), dropped: 0 });
  assert.deepEqual(seqs(got), [[0, 1], [2, 3], [4], 'stopped', 'continued']);
  assert.equal(pending(), 0, 'the hold timer is cancelled');
});

test('a held status is passed on after the hold limit if its events never come', () => {
  const { f, fire } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addStatus({ type: 'ended', exitCode: 0 }, 9);
  assert.deepEqual(got, []);
  fire();
  assert.deepEqual(got, [{ type: 'ended', exitCode: 0 }]);
});

test('the end is said once (exited, then terminated); an error stays in the replay', () => {
  const { f } = feed();
  const got: HostToBoard[] = [];
  f.connect((m) => got.push(m));
  f.addStatus({ type: 'error', message: 'lost the program' }, -1);
  f.addStatus({ type: 'ended', exitCode: 3 }, -1);
  f.addStatus({ type: 'ended', exitCode: null }, -1);
  f.addStatus({ type: 'continued' }, -1);
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

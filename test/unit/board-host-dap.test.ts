// Reading the board's status messages out of a greenlet session's DAP
// traffic (extension/board-dap.ts), as a DebugAdapterTracker sees it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DapWatcher } from '../../extension/board-dap';

const events = (...seqs: number[]) => ({ type: 'event', event: 'greenletEvents', body: { events: seqs.map((seq) => ({ seq, t: 0, kind: 'mark', label: '' })), dropped: 0 } });

test('a stop takes its seq from the last greenletEvents sent before it, and its thread and description from the body', () => {
  const w = new DapWatcher();
  assert.equal(w.fromAdapter(events(0, 1, 2)), null);
  assert.equal(w.fromAdapter(events(3, 4)), null);
  const stop = w.fromAdapter({ type: 'event', event: 'stopped', seq: 90, body: { reason: 'step', description: 'Paused before a switch', threadId: 5, allThreadsStopped: true } });
  assert.deepEqual(stop, {
    message: { type: 'stopped', seq: 4, g: 5, reason: 'step', description: 'Paused before a switch' },
    barrier: 4,
  });
});

test('a stop that carries its own seq keeps it (and the barrier is still what was sent)', () => {
  const w = new DapWatcher();
  w.fromAdapter(events(0, 1, 2, 3));
  const stop = w.fromAdapter({ type: 'event', event: 'stopped', body: { reason: 'breakpoint', threadId: 1, seq: 2 } });
  assert.deepEqual(stop, { message: { type: 'stopped', seq: 2, g: 1, reason: 'breakpoint', description: 'breakpoint' }, barrier: 3 });
});

test('continued, exited and terminated; everything else is not the board\'s business', () => {
  const w = new DapWatcher();
  w.fromAdapter(events(0));
  assert.deepEqual(w.fromAdapter({ type: 'event', event: 'continued', body: { threadId: 1, allThreadsContinued: true } }), { message: { type: 'continued' }, barrier: 0 });
  assert.deepEqual(w.fromAdapter({ type: 'event', event: 'exited', body: { exitCode: 3 } }), { message: { type: 'ended', exitCode: 3 }, barrier: 0 });
  assert.deepEqual(w.fromAdapter({ type: 'event', event: 'terminated' }), { message: { type: 'ended', exitCode: null }, barrier: 0 });
  // After VS Code asked to end the session, the end is the user's doing.
  w.fromClient({ type: 'request', command: 'evaluate', arguments: {} });
  assert.deepEqual(w.fromAdapter({ type: 'event', event: 'exited', body: { exitCode: 143 } })!.message, { type: 'ended', exitCode: 143 });
  w.fromClient({ type: 'request', command: 'terminate', arguments: {} });
  assert.deepEqual(w.fromAdapter({ type: 'event', event: 'exited', body: { exitCode: 143 } })!.message, { type: 'ended', exitCode: 143, byUser: true });
  for (const other of [
    { type: 'event', event: 'output', body: { output: 'x' } },
    { type: 'response', command: 'threads', success: true },
    { type: 'event', event: 'greenletEvents', body: { events: 'nonsense' } },
    null, 'stopped', 42,
  ]) assert.equal(w.fromAdapter(other), null);
  assert.equal(w.eventsSeen, 0);
});

test('before any event the barrier and the stop seq are -1', () => {
  const w = new DapWatcher();
  const stop = w.fromAdapter({ type: 'event', event: 'stopped', body: { reason: 'entry', threadId: 1 } });
  assert.equal(stop?.barrier, -1);
  assert.equal(stop?.message.type === 'stopped' && stop.message.seq, -1);
});

// The live greenletTrace stream under a flood: the bench's switch-heavy
// workload passes 10k messages each way (over 100k events in a second or two,
// far more than one batch per interval carries with batches of 4 KiB), then
// stops at a breakpoint on its last line. At the stop the client must hold
// the whole trace up to it, contiguous, decodable into every event in order:
// the board draws its state from them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { GreenletSnapshotBody } from '../../shared/protocol/custom-dap';
import { TraceDecoder } from '../../shared/trace/decoder';
import type { TraceEvent } from '../../shared/trace/events';
import { inlineSession } from '../support/inline-session';
import { PYTHON, ROOT, dapTest, lineOf, streamedTrace, withTimeout } from './support';

function decodeAll(bytes: Uint8Array): TraceEvent[] {
  const decoder = new TraceDecoder();
  const events = decoder.push(bytes);
  return [...events, ...decoder.finish().events];
}

const PROGRAM = path.join(ROOT, 'bench', 'workloads', 'switch_heavy.py');
// This file's own process: the adapters it starts send at most 4 KiB per 16 ms.
process.env['GREENLET_LENS_STREAM_BATCH'] = '4096';

dapTest('after a flood of events, the client holds the whole trace up to the next stop', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, args: ['10000'], python: PYTHON, cwd: ROOT, blockedLoopMs: 0 },
    { breakpoints: [{ path: PROGRAM, lines: [lineOf(PROGRAM, 'print(v)')] }] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'breakpoint', 'the stop is the breakpoint on the last line');
  const trace = streamedTrace(dap);
  const seqs = trace.events.map((e) => e.seq);
  assert.ok(seqs.length > 100_000, `a flood: ${seqs.length} events`);
  assert.ok(trace.batches > 10, `paced over many batches: ${trace.batches}`);
  assert.ok(seqs.every((s, i) => s === i), 'every event, in order, from the first');
  const snapshot = (await dap.request('greenletSnapshot')).body as GreenletSnapshotBody;
  assert.equal(seqs.length, snapshot.eventCount, 'as many as the adapter has received');
}, 120_000);

// Inline (the extension's default), the same stream is handed over in-process
// (streamBoardTo) and none of it crosses DAP: in code-server every DAP event
// passes through the browser tab that also shows the user's stops.
test('inline with a board sink: the whole trace and the statuses arrive in-process, in order, and no greenletTrace or greenletStatus goes over DAP', async () => {
  const { session, out, request, event } = inlineSession();
  const pieces: { bytes: Uint8Array; offset: number }[] = [];
  const statuses: { kind: string; atByte: number }[] = [];
  let received = 0;
  session.streamBoardTo({
    trace: (bytes, offset) => {
      pieces.push({ bytes, offset });
      received += bytes.length;
    },
    status: (body) => statuses.push({ kind: body.kind, atByte: received }),
  });
  const transcript = (): string => out.map((m) => JSON.stringify(m).slice(0, 300)).join('\n');
  try {
    await request('initialize', { adapterID: 'greenlet', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = event('initialized');
    const launched = request('launch', { program: PROGRAM, args: ['3000'], python: PYTHON, cwd: ROOT, blockedLoopMs: 0 });
    await withTimeout(initialized, 30_000, 'initialized');
    await request('setBreakpoints', { source: { path: PROGRAM }, breakpoints: [{ line: lineOf(PROGRAM, 'print(v)') }] });
    const stopped = event('stopped');
    await request('configurationDone');
    assert.equal((await launched).success, true, 'launched');
    await withTimeout(stopped, 60_000, 'the breakpoint');
    assert.deepEqual(statuses.map((s) => s.kind), ['stopped']);
    const bytes = Buffer.concat(pieces.map((p) => p.bytes));
    assert.ok(pieces.every((p, i) => p.offset === (i === 0 ? 0 : pieces[i - 1]!.offset + pieces[i - 1]!.bytes.length)), 'contiguous batches');
    assert.ok(pieces.every((p) => p.bytes.byteOffset === 0 && p.bytes.buffer.byteLength === p.bytes.length), 'each batch owns its buffer');
    assert.equal(statuses[0]!.atByte, bytes.length, 'the stop comes after the bytes up to it');
    const seqs = decodeAll(bytes).map((e) => e.seq);
    assert.ok(seqs.length > 10_000, `${seqs.length} events`);
    assert.ok(seqs.every((s, i) => s === i), 'every event, in order, from the first');
    const ended = event('terminated');
    await request('continue', { threadId: 1 });
    await withTimeout(ended, 60_000, 'the end');
    assert.deepEqual(statuses.map((s) => s.kind), ['stopped', 'continued', 'ended']);
    const overDap = out.filter((m) => m.type === 'event' && ['greenletTrace', 'greenletStatus'].includes((m as DebugProtocol.Event).event));
    assert.equal(overDap.length, 0, 'nothing of the board\'s stream went over DAP');
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- DAP transcript ---\n${transcript()}`, { cause: err });
  } finally {
    await request('disconnect', {});
    session.dispose();
  }
});

// The live greenletTrace stream under a flood: the bench's switch-heavy
// workload passes 10k messages each way (over 100k events in a second or two,
// far more than one batch per interval carries with batches of 4 KiB), then
// stops at a breakpoint on its last line. At the stop the client must hold
// the whole trace up to it, contiguous, decodable into every event in order:
// the board draws its state from them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { GreenletSnapshotBody } from '../../shared/protocol/custom-dap';
import { PYTHON, ROOT, dapTest, lineOf, streamedTrace } from './support';

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

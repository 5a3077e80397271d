// The live greenletEvents stream under a flood: the bench's switch-heavy
// workload passes 10k messages each way (over 100k events in a second or two,
// far more than one batch per interval carries with batches of 200), then
// stops at a breakpoint on its last line. At the stop the client must hold
// every event, in order, none dropped: the board draws its state from them.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { GreenletEventsBody, GreenletSnapshotBody } from '../../shared/protocol/custom-dap';
import { PYTHON, ROOT, dapTest, lineOf } from './support';

const PROGRAM = path.join(ROOT, 'bench', 'workloads', 'switch_heavy.py');
// This file's own process: the adapters it starts send at most 200 events per 16 ms.
process.env['GREENLET_LENS_STREAM_BATCH'] = '200';

dapTest('after a flood of events, the client holds every one of them at the next stop', async (dap) => {
  await dap.begin('launch', { program: PROGRAM, args: ['10000'], python: PYTHON, cwd: ROOT, blockedLoopMs: 0 },
    { breakpoints: [{ path: PROGRAM, lines: [lineOf(PROGRAM, 'print(v)')] }] });
  const stop = await dap.nextStop();
  assert.equal(stop.body.reason, 'breakpoint', 'the stop is the breakpoint on the last line');
  const batches = dap.all.filter((e) => e.event === 'greenletEvents').map((e) => e.body as GreenletEventsBody);
  const seqs = batches.flatMap((b) => b.events.map((e) => e.seq));
  assert.equal(batches.reduce((n, b) => n + b.dropped, 0), 0, 'nothing dropped');
  assert.ok(seqs.length > 100_000, `a flood: ${seqs.length} events`);
  assert.ok(seqs.every((s, i) => s === i), 'every event, in order, from the first');
  const snapshot = (await dap.request('greenletSnapshot')).body as GreenletSnapshotBody;
  assert.equal(seqs.length, snapshot.eventCount, 'as many as the adapter has received');
}, 120_000);

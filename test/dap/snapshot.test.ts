// greenletSnapshot pages its greenlets and leaves their sites out unless
// asked: a replay of a recorded program with many greenlets, its snapshot
// read page by page and compared with the whole state with sites.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { GreenletSnapshotBody } from '../../shared/protocol/custom-dap';
import { EXAMPLES, QUICK, dapTest, record, streamedTrace } from './support';

const PROGRAM = path.join(EXAMPLES, 'queue_workers.py');

dapTest('the snapshot comes in pages of greenlets, without sites unless asked, and the pages add up to the whole state', async (dap) => {
  await dap.begin('launch', { replay: record(PROGRAM, QUICK) });
  await dap.nextStop();
  // Run to the end of the recording: every greenlet has been spawned.
  await dap.request('continue', { threadId: 1 });
  await dap.nextStop();
  const snap = async (args: object): Promise<GreenletSnapshotBody> => {
    const r = await dap.request('greenletSnapshot', args);
    assert.ok(r.success, r.message);
    return r.body as GreenletSnapshotBody;
  };
  const whole = await snap({ count: 1_000_000, sites: true });
  const total = whole.greenletsTotal;
  assert.ok(total >= 4, `enough greenlets to page: ${total}`);
  assert.equal(whole.state.greenlets.length, total);
  assert.ok(whole.state.greenlets.some((g) => g.spawnSite !== null), 'sites when asked');

  const pages: GreenletSnapshotBody[] = [];
  for (let start = 0; start < total;) {
    const page = await snap({ start, count: 3 });
    assert.equal(page.start, start);
    assert.equal(page.greenletsTotal, total);
    assert.ok(page.state.greenlets.length > 0 && page.state.greenlets.length <= 3);
    pages.push(page);
    start += page.state.greenlets.length;
  }
  const paged = pages.flatMap((p) => p.state.greenlets);
  assert.deepEqual(paged.map((g) => [g.id, g.state, g.label, g.blockedOn?.reason ?? null]),
    whole.state.greenlets.map((g) => [g.id, g.state, g.label, g.blockedOn?.reason ?? null]));
  assert.ok(paged.every((g) => g.spawnSite === null && (g.blockedOn === null || g.blockedOn.site === null)), 'no sites unless asked');
  assert.deepEqual(pages[0]!.state.queues, whole.state.queues, 'objects come whole with every page');

  const first = await snap({});
  assert.equal(first.start, 0);
  assert.equal(first.state.greenlets.length, Math.min(total, 1000), 'the default page');
  assert.equal(first.eventCount, streamedTrace(dap).events.length, 'the replay streamed its recording to the client');

  const bad = await dap.request('greenletSnapshot', { start: -1 });
  assert.equal(bad.success, false);
  assert.match(bad.message ?? '', /"start" must be a whole number >= 0/);
});

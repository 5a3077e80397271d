// The 10k-greenlet snapshot of npm run bench, also runnable alone
// (node bench/snapshot.mjs; GREENLET_LENS_PYTHON picks the Python): a live
// session through the adapter; once the program prints "ready" (all
// greenlets spawned and blocked on one Event), the time of greenletSnapshot
// as a client asks it (20 times), all pages, the whole state, and threads
// (20 times), timed at the client over stdio. Reported, never asserted.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runLive } from './live-run.mjs';

// holdS: on a busy machine the adapter has shown the program's "ready" 10-20 s after it was printed.
const SNAP = { greenlets: 10_000, holdS: 45, requests: 20 };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

export async function measureSnapshot(root, python) {
  const timed = async (fn) => { const t = performance.now(); const r = await fn(); return [performance.now() - t, r]; };
  const l = await runLive(root, python, join(root, 'bench', 'workloads', 'snapshot_10k.py'), [String(SNAP.greenlets), String(SNAP.holdS)], {
    ready: 'ready',
    whenReady: async (client) => {
      const snap = [], paged = [], whole = [], threads = [];
      let blocked = 0, bytes = 0, wholeBytes = 0, threadCount = 0, page = 0;
      const ALL = { count: 1_000_000, sites: true };
      const countBlocked = (r) => Object.values(r.body.state.greenlets).filter((g) => g.blockedOn?.reason === 'event_wait').length;
      // "ready" can overtake the last events on their way to the adapter: poll until its model has all of them blocked.
      for (const until = performance.now() + 4000; performance.now() < until;) {
        if (countBlocked(await client.send('greenletSnapshot', ALL)) >= SNAP.greenlets) break;
      }
      // What a client asks first: the default page (1000 greenlets, no sites).
      for (let i = 0; i < SNAP.requests; i++) {
        const [ms, r] = await timed(() => client.send('greenletSnapshot', {}));
        snap.push(ms);
        if (i === 0) { bytes = JSON.stringify(r.body).length; page = r.body.state.greenlets.length; }
      }
      // Every greenlet, page by page.
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        for (let start = 0, total = 1; start < total;) {
          const r = await client.send('greenletSnapshot', { start });
          total = r.body.greenletsTotal;
          start += r.body.state.greenlets.length;
        }
        paged.push(performance.now() - t);
      }
      // The whole state with every site in one answer, as the request used to answer.
      for (let i = 0; i < 5; i++) {
        const [ms, r] = await timed(() => client.send('greenletSnapshot', ALL));
        whole.push(ms);
        if (i === 0) { blocked = countBlocked(r); wholeBytes = JSON.stringify(r.body).length; }
      }
      for (let i = 0; i < SNAP.requests; i++) {
        const [ms, r] = await timed(() => client.threadsRequest());
        threads.push(ms);
        threadCount = r.body.threads.length;
      }
      return { snap, paged, whole, threads, blocked, bytes, wholeBytes, threadCount, page };
    },
  });
  const { snap, paged, whole, threads, blocked, bytes, wholeBytes, threadCount, page } = l.ready;
  const r1 = (x) => +x.toFixed(1);
  const snapshot = {
    greenlets: SNAP.greenlets, blockedOnEvent: blocked, requests: SNAP.requests, snapshotBytes: bytes, page,
    snapshotMedianMs: r1(median(snap)), snapshotWorstMs: r1(Math.max(...snap)),
    pagedAllMedianMs: r1(median(paged)), wholeMedianMs: r1(median(whole)), wholeBytes,
    threadsMedianMs: r1(median(threads)), threadsWorstMs: r1(Math.max(...threads)), threadsReturned: threadCount,
    adapterPeakRssMb: l.adapterPeakRssKb == null ? null : +(l.adapterPeakRssKb / 1024).toFixed(1),
    ...(await measureRunning(root, python)),
  };
  console.log(`snapshot-10k  ${blocked} greenlets blocked on an Event: greenletSnapshot (first page, ${page} greenlets) median ${snapshot.snapshotMedianMs} ms worst ${snapshot.snapshotWorstMs} ms ` +
    `(${(bytes / 1e6).toFixed(2)} MB JSON); all pages ${snapshot.pagedAllMedianMs} ms; whole state with sites ${snapshot.wholeMedianMs} ms (${(wholeBytes / 1e6).toFixed(1)} MB)  threads median ${snapshot.threadsMedianMs} ms worst ${snapshot.threadsWorstMs} ms (${threadCount} threads returned)  ` +
    `adapter peak RSS ${snapshot.adapterPeakRssMb} MB`);
  console.log(`snapshot-10k  while the program runs (a greenlet sleeping ${RUNNING_TICK_S} s at a time): greenletSnapshot (first page) median ${snapshot.runningMedianMs} ms ` +
    `worst ${snapshot.runningWorstMs} ms, ${snapshot.runningFreshAnswers} of ${SNAP.requests} answers at an event count not seen before`);
  return snapshot;
}

const RUNNING_TICK_S = 0.002;

/**
 * The default page while the program runs: new events arrive between
 * requests, so each answer is of a state the adapter has not built before
 * (the case the static run's cache hides).
 */
async function measureRunning(root, python) {
  const l = await runLive(root, python, join(root, 'bench', 'workloads', 'snapshot_10k.py'),
    [String(SNAP.greenlets), String(SNAP.holdS), String(RUNNING_TICK_S)], {
      ready: 'ready',
      whenReady: async (client) => {
        const ms = [];
        const counts = new Set();
        let fresh = 0;
        for (const until = performance.now() + 4000; performance.now() < until;) {
          const r = await client.send('greenletSnapshot', { count: 1_000_000 });
          if (r.body.state.greenlets.filter((g) => g.blockedOn?.reason === 'event_wait').length >= SNAP.greenlets) break;
        }
        for (let i = 0; i < SNAP.requests; i++) {
          const t = performance.now();
          const r = await client.send('greenletSnapshot', {});
          ms.push(performance.now() - t);
          if (!counts.has(r.body.eventCount)) fresh++;
          counts.add(r.body.eventCount);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { ms, fresh };
      },
    });
  const r1 = (x) => +x.toFixed(1);
  return { runningMedianMs: r1(median(l.ready.ms)), runningWorstMs: r1(Math.max(...l.ready.ms)), runningFreshAnswers: l.ready.fresh };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { snapshotSection } = await import('./report.mjs');
  const s = await measureSnapshot(root, process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3');
  // The section docs/benchmarks.md would get (the whole page is npm run bench's).
  console.log(`\n${snapshotSection(s).join('\n')}`);
}

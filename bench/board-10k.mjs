// The board's frame time at 10k greenlets (issue 14), reported, not asserted:
// bench/workloads/snapshot_10k.py recorded (10000 greenlets spawned, all
// blocked on one Event for HOLD s, then released), opened in Chromium, and
// the cursor stepped back switch by switch twice: from the last event (the
// waiters finishing) and from the last event before the Event is set (all
// 10000 blocked: the wait-for graph groups them, the timeline has 10000
// lanes). Part of `npm run bench`; alone: `node bench/board-10k.mjs`
// (after `npx tsc -p . && node scripts/build.mjs`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBoardFrames } from './board-load.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const summary = (f) => ({ steps: f.frames.length, medianMs: +median(f.frames).toFixed(1), worstMs: +Math.max(...f.frames).toFixed(1) });

/** Records the workload into `tmp` and measures both; returns { steps, medianMs, worstMs, blocked: {...} }. */
export async function measureBoard10k(root, python, tmp, steps = 30) {
  const trace = join(tmp, 'snapshot-10k.glt');
  const cli = join(root, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'record', '--python', python, '--output', trace, '--', join(root, 'bench', 'workloads', 'snapshot_10k.py'), '10000', '0.2'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`recording snapshot_10k.py failed: ${r.stderr}`);
  // The last event before the Event is set: every waiter blocked on it.
  const cat = spawnSync(process.execPath, [cli, 'cat', trace], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (cat.status !== 0) throw new Error(`greenlet-lens cat failed: ${cat.stderr}`);
  const set = cat.stdout.split('\n').find((l) => l.includes('"kind":"set"'));
  if (set === undefined) throw new Error('the trace has no set event');
  const at = JSON.parse(set).seq; // seq is 0-based: event number `seq` (1-based) is the one before it
  const end = await measureBoardFrames(root, trace, steps);
  const blocked = await measureBoardFrames(root, trace, steps, { at });
  return { ...summary(end), blocked: { ...summary(blocked), at, waiters: blocked.blocked } };
}

export function describe10k(f) {
  return `frame after a step: median ${f.medianMs} ms, worst ${f.worstMs} ms over ${f.steps} steps from the end; ` +
    `with all ${f.blocked.waiters} waiters blocked (from event ${f.blocked.at}): median ${f.blocked.medianMs} ms, worst ${f.blocked.worstMs} ms`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const tmp = mkdtempSync(join(tmpdir(), 'glt-board10k-'));
  try {
    const f = await measureBoard10k(root, process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3', tmp);
    console.log(`board-10k     ${describe10k(f)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

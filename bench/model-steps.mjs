// node bench/model-steps.mjs [trace.glt]: what the board's model costs on a
// 1M-event trace, by itself (npm run bench measures the same; see
// state-at.mjs). Not a test: prints numbers, asserts nothing. Without an
// argument it records bench/workloads/switch_heavy.py 85000 (trace-1m.mjs).
// Needs `npx tsc -p tsconfig.json` (out/) and `npm run build` (dist/cli.js).
// CHECKPOINT_INTERVAL=N overrides the model's checkpoint interval.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { measureStateAt } from './state-at.mjs';
import { MESSAGES_1M, recordTrace1M } from './trace-1m.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';

let tracePath = process.argv[2];
let tmp = null;
if (tracePath === undefined) {
  tmp = mkdtempSync(join(tmpdir(), 'glt-steps-'));
  tracePath = join(tmp, 'switch-heavy.glt');
  const t0 = performance.now();
  recordTrace1M(ROOT, PY, tracePath);
  console.log(`recorded switch_heavy.py ${MESSAGES_1M} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const bytes = new Uint8Array(readFileSync(tracePath));
if (tmp !== null) rmSync(tmp, { recursive: true, force: true });

const r = await measureStateAt(ROOT, bytes, { checkpointInterval: Number(process.env.CHECKPOINT_INTERVAL) || undefined });
const ms = (x) => `${x.toFixed(3)} ms`;
const both = (s) => `median ${ms(s.medianMs)}, 95th percentile ${ms(s.p95Ms)}, worst ${ms(s.worstMs)}, worst of best-of-3 ${ms(s.worstBestOf3Ms)} (${r.positions} positions)`;
if (r.events < 1_000_000) console.log(`warning: only ${r.events} events (< 1M); record with a larger argument`);
console.log(`trace: ${r.events} events, ${r.switches} switches, ${(r.bytes / 2 ** 20).toFixed(1)} MiB; checkpoint every ${r.checkpointInterval} events`);
console.log(`decode + append all:          ${r.loadMs} ms (${(r.loadEventsPerSec / 1e6).toFixed(2)} M events/s)`);
console.log(`first state, loaded model:    ${ms(r.firstStateMs)} (stateAt(0))`);
console.log(`first state, streaming:       ${ms(r.firstStateStreamingMs)} (decode first 1 MiB piece + stateAt(0))`);
console.log(`state at random event N:      ${both(r.randomN)}`);
console.log(`step forward one switch:      ${both(r.stepForward)}`);
console.log(`step back one switch:         ${both(r.stepBack)}`);

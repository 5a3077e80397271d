// node bench/model-steps.mjs [trace.glt]: what the board's model costs on a
// 1M-event trace. Not a test: prints numbers, asserts nothing.
// Without an argument it records bench/workloads/switch_heavy.py 85000
// (about 1.02M events, ~13 s here) with dist/cli.js. Needs `npx tsc -p
// tsconfig.json` (out/) and `npm run build` (dist/cli.js).
// Measures, with out/shared/model/trace-model.js:
//   - decode + append of every event (the bytes already in memory, fed in 1 MiB pieces);
//   - time to first state: stateAt(0) on the loaded model, and from the first
//     byte to stateAt(0) when only the first piece has been decoded (streaming);
//   - stepping one switch: 200 random cursor positions n, each stepped to the
//     next switch and (from n again) to the previous one; median and worst.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
const TARGET = 1_000_000;
const PIECE = 1024 * 1024;
const POSITIONS = 200;
const { TraceDecoder } = await import(join(ROOT, 'out', 'shared', 'trace', 'decoder.js'));
const { TraceModel, DEFAULT_CHECKPOINT_INTERVAL } = await import(join(ROOT, 'out', 'shared', 'model', 'trace-model.js'));

// ---- the trace -------------------------------------------------------------
let tracePath = process.argv[2];
let tmp = null;
if (tracePath === undefined) {
  tmp = mkdtempSync(join(tmpdir(), 'glt-steps-'));
  tracePath = join(tmp, 'switch-heavy.glt');
  const t0 = performance.now();
  const r = spawnSync('node', [join(ROOT, 'dist', 'cli.js'), 'record', '--python', PY, '-o', tracePath, '--',
    join(ROOT, 'bench', 'workloads', 'switch_heavy.py'), '85000'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`recording failed (${r.status}):\n${r.stderr}`);
  console.log(`recorded switch_heavy.py 85000 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const bytes = new Uint8Array(readFileSync(tracePath));
if (tmp !== null) rmSync(tmp, { recursive: true, force: true });

// ---- decode + append -------------------------------------------------------
function load(limitPieces = Infinity) {
  const decoder = new TraceDecoder();
  const interval = Number(process.env.CHECKPOINT_INTERVAL) || undefined;
  const model = new TraceModel(interval ? { checkpointInterval: interval } : {});
  for (let at = 0, k = 0; at < bytes.length && k < limitPieces; at += PIECE, k++) {
    for (const ev of decoder.push(bytes.subarray(at, at + PIECE))) model.append(ev);
  }
  if (limitPieces === Infinity) {
    const end = decoder.finish();
    for (const ev of end.events) model.append(ev);
    if (end.problem !== null) throw new Error(`trace ${end.status}: ${end.problem.message}`);
  }
  return model;
}

// Streaming: first piece decoded, then the first state (what the board shows first).
const s0 = performance.now();
const partial = load(1);
partial.stateAt(0);
const firstStateStreaming = performance.now() - s0;

const l0 = performance.now();
const model = load();
const loadMs = performance.now() - l0;
const n = model.eventCount;
if (n < TARGET) console.log(`warning: only ${n} events (< ${TARGET}); record with a larger argument`);

const f0 = performance.now();
model.stateAt(0);
const firstStateMs = performance.now() - f0;

// ---- stepping one switch ---------------------------------------------------
const switches = [];
for (let seq = 0; seq < n; seq++) if (model.event(seq).kind === 'switch') switches.push(seq);
if (switches.length < 3) throw new Error('too few switches in the trace');
/** Index of the first switch with seq > s. */
const after = (s) => { let lo = 0, hi = switches.length; while (lo < hi) { const m = (lo + hi) >> 1; if (switches[m] <= s) lo = m + 1; else hi = m; } return lo; };

let seed = 0x9e3779b9;
const random = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 2 ** 32; };
const forward = [], backward = [];
for (let i = 0; i < POSITIONS; i++) {
  const from = switches[1 + Math.floor(random() * (switches.length - 2))];
  const next = switches[after(from)];
  const prev = switches[after(from) - 2];
  model.stateAt(from); // the board's cursor sits here
  let t = performance.now();
  model.stateAt(next);
  forward.push(performance.now() - t);
  model.stateAt(from);
  t = performance.now();
  model.stateAt(prev);
  backward.push(performance.now() - t);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x) => `${x.toFixed(3)} ms`;
const mib = (bytes.length / 2 ** 20).toFixed(1);
console.log(`trace: ${n} events, ${switches.length} switches, ${mib} MiB; checkpoint every ${Number(process.env.CHECKPOINT_INTERVAL) || DEFAULT_CHECKPOINT_INTERVAL} events`);
console.log(`decode + append all:          ${ms(loadMs)} (${(n / loadMs / 1000).toFixed(2)} M events/s)`);
console.log(`first state, loaded model:    ${ms(firstStateMs)} (stateAt(0))`);
console.log(`first state, streaming:       ${ms(firstStateStreaming)} (decode first ${PIECE / 2 ** 20} MiB piece + stateAt(0))`);
console.log(`step forward one switch:      median ${ms(median(forward))}, worst ${ms(Math.max(...forward))} (${POSITIONS} positions)`);
console.log(`step backward one switch:     median ${ms(median(backward))}, worst ${ms(Math.max(...backward))} (${POSITIONS} positions)`);
const both = [...forward, ...backward];
console.log(`either direction:             median ${ms(median(both))}, worst ${ms(Math.max(...both))}`);

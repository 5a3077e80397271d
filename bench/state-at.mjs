// What the board's model costs on a large trace, with out/shared/model/trace-model.js
// (needs `npx tsc -p tsconfig.json`). Used by bench/run.mjs and bench/model-steps.mjs.
//   - decode + append of every event (the bytes already in memory, fed in 1 MiB pieces);
//   - first state: stateAt(0) on the loaded model, and from the first byte to
//     stateAt(0) when only the first piece has been decoded (streaming);
//   - state at event N: the cursor parked at one random event, then stateAt(N)
//     for another random N, over `positions` pairs;
//   - stepping one switch: `positions` random switches n, each stepped to the
//     next switch and (from n again) to the previous one.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const PIECE = 1024 * 1024;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A deterministic xorshift32 generator in [0, 1). */
function xorshift(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32; };
}

/** Measures `bytes` (a whole .glt file); returns times in ms. */
export async function measureStateAt(root, bytes, { positions = 200, checkpointInterval } = {}) {
  const { TraceDecoder } = await import(join(root, 'out', 'shared', 'trace', 'decoder.js'));
  const { TraceModel, DEFAULT_CHECKPOINT_INTERVAL } = await import(join(root, 'out', 'shared', 'model', 'trace-model.js'));

  const load = (limitPieces = Infinity) => {
    const decoder = new TraceDecoder();
    const model = new TraceModel(checkpointInterval ? { checkpointInterval } : {});
    for (let at = 0, k = 0; at < bytes.length && k < limitPieces; at += PIECE, k++) {
      for (const ev of decoder.push(bytes.subarray(at, at + PIECE))) model.append(ev);
    }
    if (limitPieces === Infinity) {
      const end = decoder.finish();
      for (const ev of end.events) model.append(ev);
      if (end.problem !== null) throw new Error(`trace ${end.status}: ${end.problem.message}`);
    }
    return model;
  };

  const s0 = performance.now();
  load(1).stateAt(0);
  const firstStateStreamingMs = performance.now() - s0;

  const l0 = performance.now();
  const model = load();
  const loadMs = performance.now() - l0;
  const n = model.eventCount;

  const f0 = performance.now();
  model.stateAt(0);
  const firstStateMs = performance.now() - f0;

  const timed = (seq) => { const t = performance.now(); model.stateAt(seq); return performance.now() - t; };

  const random = xorshift(0x9e3779b9);
  const randomN = [];
  for (let i = 0; i < positions; i++) {
    model.stateAt(Math.floor(random() * n)); // where the cursor was
    randomN.push(timed(Math.floor(random() * n)));
  }

  const switches = [];
  for (let seq = 0; seq < n; seq++) if (model.event(seq).kind === 'switch') switches.push(seq);
  if (switches.length < 3) throw new Error('too few switches in the trace');
  /** Index of the first switch with seq > s. */
  const after = (s) => { let lo = 0, hi = switches.length; while (lo < hi) { const m = (lo + hi) >> 1; if (switches[m] <= s) lo = m + 1; else hi = m; } return lo; };
  const forward = [], backward = [];
  for (let i = 0; i < positions; i++) {
    const from = switches[1 + Math.floor(random() * (switches.length - 2))];
    model.stateAt(from); // the board's cursor sits here
    forward.push(timed(switches[after(from)]));
    model.stateAt(from);
    backward.push(timed(switches[after(from) - 2]));
  }

  const r3 = (x) => +x.toFixed(3);
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
  const stat = (xs) => ({ medianMs: r3(median(xs)), p95Ms: r3(p95(xs)), worstMs: r3(Math.max(...xs)) });
  return {
    events: n, switches: switches.length, bytes: bytes.length, positions,
    checkpointInterval: checkpointInterval || DEFAULT_CHECKPOINT_INTERVAL,
    loadMs: Math.round(loadMs), loadEventsPerSec: Math.round(n / (loadMs / 1000)),
    firstStateMs: r3(firstStateMs), firstStateStreamingMs: r3(firstStateStreamingMs),
    randomN: stat(randomN), stepForward: stat(forward), stepBack: stat(backward),
  };
}

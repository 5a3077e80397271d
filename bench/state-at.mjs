// What the board's model costs on a large trace, with out/shared/model/trace-model.js
// (needs `npx tsc -p tsconfig.json`). Used by bench/run.mjs and bench/model-steps.mjs.
//   - decode + append of every event (the bytes already in memory, fed in 1 MiB pieces);
//   - first state: stateAt(0) on the loaded model, and from the first byte to
//     stateAt(0) when only the first piece has been decoded (streaming);
//   - state at event N: the cursor parked at one random event, then stateAt(N)
//     for another random N, over `positions` pairs;
//   - stepping one switch: `positions` random switches n, each stepped to the
//     next switch and (from n again) to the previous one;
//   each query tried 3 times (the cursor parked again before each).
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

  /** [first try, best of TRIES]: each try parks the cursor at `park`, then times stateAt(seq), so every try replays the same events. */
  const TRIES = 3;
  const timed = (park, seq) => {
    const times = [];
    for (let k = 0; k < TRIES; k++) {
      model.stateAt(park);
      const t = performance.now();
      model.stateAt(seq);
      times.push(performance.now() - t);
    }
    return [times[0], Math.min(...times)];
  };

  const random = xorshift(0x9e3779b9);
  const randomN = [];
  for (let i = 0; i < positions; i++) {
    const park = Math.floor(random() * n); // where the cursor was
    randomN.push(timed(park, Math.floor(random() * n)));
  }

  const switches = [];
  for (let seq = 0; seq < n; seq++) if (model.event(seq).kind === 'switch') switches.push(seq);
  if (switches.length < 3) throw new Error('too few switches in the trace');
  /** Index of the first switch with seq > s. */
  const after = (s) => { let lo = 0, hi = switches.length; while (lo < hi) { const m = (lo + hi) >> 1; if (switches[m] <= s) lo = m + 1; else hi = m; } return lo; };
  const forward = [], backward = [];
  for (let i = 0; i < positions; i++) {
    const from = switches[1 + Math.floor(random() * (switches.length - 2))];
    forward.push(timed(from, switches[after(from)])); // the board's cursor sits at `from`
    backward.push(timed(from, switches[after(from) - 2]));
  }

  const r3 = (x) => +x.toFixed(3);
  const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];
  // Median, 95th percentile and worst of the first tries; worstBestOf3Ms: the worst over positions of each position's best try
  // (a pause of the process, e.g. the machine busy elsewhere, rarely hits all three tries of one position).
  const stat = (pairs) => {
    const first = pairs.map((p) => p[0]);
    return { medianMs: r3(median(first)), p95Ms: r3(p95(first)), worstMs: r3(Math.max(...first)), worstBestOf3Ms: r3(Math.max(...pairs.map((p) => p[1]))) };
  };
  return {
    events: n, switches: switches.length, bytes: bytes.length, positions,
    checkpointInterval: checkpointInterval || DEFAULT_CHECKPOINT_INTERVAL,
    loadMs: Math.round(loadMs), loadEventsPerSec: Math.round(n / (loadMs / 1000)),
    firstStateMs: r3(firstStateMs), firstStateStreamingMs: r3(firstStateStreamingMs),
    randomN: stat(randomN), stepForward: stat(forward), stepBack: stat(backward),
  };
}

// npm run bench: each workload run plain, recorded, live (through the debug
// adapter, see live-run.mjs) and under debugpy, interleaved run by run,
// medians and ratios printed side by side; then a snapshot of 10k greenlets,
// state at event N on a 1M-event trace (state-at.mjs) and the board loading
// that trace in Chromium (board-load.mjs). Written to docs/benchmarks.md
// (report.mjs) and bench/results.json. Targets are reported, never asserted.
// BENCH_RUNS (default 5): runs of each variant; BOARD_RUNS (default 3): board loads;
// PAUSE_RUNS (default 3): pauses with the board open and closed (pause-latency.mjs).
import { measureMemory } from './memory.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runLive } from './live-run.mjs';
import { measureSnapshot } from './snapshot.mjs';
import { debugpyProblem, runDebugpy } from './debugpy-run.mjs';
import { measureStateAt } from './state-at.mjs';
import { MESSAGES_1M, recordTrace1M } from './trace-1m.mjs';
import { CHROMIUM, CHROMIUM_ARGS, measureBoardOnce } from './board-load.mjs';
import { describe10k, measureBoard10k } from './board-10k.mjs';
import { renderReport } from './report.mjs';
import { measurePauseLatency } from './pause-latency.mjs';
import { VALGRIND, measureInstructions } from './instructions.mjs';
import { measureLiveInstructions } from './live-instructions.mjs';
import { ADAPTER_TARGET_PER_SEC, measureAdapterLive, measureAdapterRate } from './adapter-rate.mjs';
import { CHECK_MS_PER_MILLION, measureCheck, recordExamples } from './check-speed.mjs';
import { cpus, loadavg } from 'node:os';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
const RUNS = Number(process.env.BENCH_RUNS || 5);
const BOARD_RUNS = Number(process.env.BOARD_RUNS || 3);
const TARGETS = { bytesPerEvent: 16, stateAtMs: 16, firstFrameMs: 2000, snapshotMs: 50, checkMsPerMillion: CHECK_MS_PER_MILLION };
const benchStart = performance.now();
const loadStart = +loadavg()[0].toFixed(2);
const tmp = mkdtempSync(join(tmpdir(), 'glt-bench-'));
const { readTraceFileSync } = await import(join(ROOT, 'out', 'shared', 'trace', 'read-file.js'));
const { TraceModel } = await import(join(ROOT, 'out', 'shared', 'model', 'trace-model.js'));

// vgArgs/vgTiny: the sizes counted under valgrind (the tiny one cancels start-up).
const WORKLOADS = [
  { name: 'switch-heavy', file: 'switch_heavy.py', args: ['50000'], target: 1.3, liveTarget: 1.5, what: '2 greenlets, 50k messages each way through two queues', vgArgs: ['10000'], vgTiny: ['10'] },
  { name: 'spawn-heavy', file: 'spawn_heavy.py', args: ['10000'], target: 1.6, what: '10k short greenlets, 1 in 10 failing', vgArgs: ['2000'], vgTiny: ['10'] },
  { name: 'io-bound', file: 'io_bound.py', args: ['50', '200'], target: 1.1, what: 'StreamServer echo, 50 clients x 200 lines on loopback', vgArgs: ['10', '100'], vgTiny: ['1', '1'] },
  { name: 'large-backlog', file: 'large_backlog.py', args: ['100000', '2000'], target: null, what: 'one queue holding 100k items while 2000 greenlets wait (1000 on an Event, 1000 on a second queue), then drained', vgArgs: ['20000', '400'], vgTiny: ['10', '2'] },
];
const PURE_RECORDER = { GREENLET_LENS_PURE: '1' };

// Peak RSS of plain and recorded runs through GNU time (-f %M: max resident kB), when installed.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const rssFile = join(tmp, 'rss');
function run(argv, env) {
  const [cmd, args] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, PY, ...argv]] : [PY, argv];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const rssKb = TIME ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) || null : null;
  return { ms, rssKb };
}

let debugpySkip = await debugpyProblem();
const instructionsSkip = VALGRIND ? null : 'valgrind is not installed (apt-get install valgrind; npm run bench installs it)';
if (instructionsSkip) console.log(`instruction counts skipped: ${instructionsSkip}`);
if (debugpySkip) console.log(`debugpy variant skipped: ${debugpySkip}`);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = [];
const checks = [];
for (const w of WORKLOADS) {
  const prog = join(ROOT, 'bench', 'workloads', w.file);
  const trace = join(tmp, `${w.name}.glt`);
  const plain = [], recorded = [], pure = [], live = [], dbg = [];
  const plainRss = [], recordedRss = [], adapterRss = [];
  let stream;
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so drift in machine load hits all variants alike.
    const p = run([prog, ...w.args], {});
    plain.push(p.ms); plainRss.push(p.rssKb);
    const r = run(['-m', 'greenlet_lens', 'record', '--output', trace, '--', prog, ...w.args],
      { PYTHONPATH: join(ROOT, 'runtime-instrumentation') });
    recorded.push(r.ms); recordedRss.push(r.rssKb);
    // The pure-Python recorder (the fallback without a compiler), side by side.
    pure.push(run(['-m', 'greenlet_lens', 'record', '--output', trace, '--', prog, ...w.args],
      { PYTHONPATH: join(ROOT, 'runtime-instrumentation'), ...PURE_RECORDER }).ms);
    const l = await runLive(ROOT, PY, prog, w.args);
    live.push(l.ms); adapterRss.push(l.adapterPeakRssKb);
    stream = l;
    if (!debugpySkip) {
      try {
        dbg.push((await runDebugpy(ROOT, prog, w.args)).ms);
      } catch (err) {
        debugpySkip = err.message;
        console.log(`debugpy variant skipped from here on: ${err.message}`);
      }
    }
  }
  const dbgOk = dbg.length === RUNS;
  const maxKb = (xs) => (xs.every((x) => x != null) ? Math.max(...xs) : null);
  const mb = (kb) => (kb == null ? null : +(kb / 1024).toFixed(1));
  const t0 = performance.now();
  const read = readTraceFileSync(trace);
  const readMs = performance.now() - t0;
  const model = new TraceModel();
  const t1 = performance.now();
  model.appendAll(read.events);
  const modelMs = performance.now() - t1;
  const bytes = statSync(trace).size;
  const row = {
    workload: w.name, what: w.what, runs: RUNS,
    plainMs: Math.round(median(plain)), recordedMs: Math.round(median(recorded)),
    ratio: +(median(recorded) / median(plain)).toFixed(2), target: w.target,
    pureMs: Math.round(median(pure)), pureRatio: +(median(pure) / median(plain)).toFixed(2),
    liveMs: Math.round(median(live)), liveRatio: +(median(live) / median(plain)).toFixed(2), liveTarget: w.liveTarget ?? null,
    debugpyMs: dbgOk ? Math.round(median(dbg)) : null, debugpyRatio: dbgOk ? +(median(dbg) / median(plain)).toFixed(2) : null,
    plainPeakRssMb: mb(maxKb(plainRss)), recordedPeakRssMb: mb(maxKb(recordedRss)),
    recordedRssRatio: maxKb(plainRss) && maxKb(recordedRss) ? +(maxKb(recordedRss) / maxKb(plainRss)).toFixed(2) : null,
    adapterPeakRssMb: mb(maxKb(adapterRss)),
    liveBatches: stream.batches, liveEvents: stream.events, liveDropped: stream.dropped,
    events: read.events.length, bytes, bytesPerEvent: +(bytes / read.events.length).toFixed(2),
    readerEventsPerSec: Math.round(read.events.length / (readMs / 1000)),
    modelEventsPerSec: Math.round(read.events.length / (modelMs / 1000)),
  };
  if (VALGRIND) {
    try {
      row.instructions = measureInstructions(ROOT, PY, prog, w.vgArgs, w.vgTiny, trace);
      // The program's process in a live session (the adapter runs on the other core).
      try {
        const l = await measureLiveInstructions(ROOT, PY, prog, w.vgArgs, w.vgTiny);
        row.instructions.liveMi = Math.round(l.live / 1e6);
        row.instructions.liveRatio = +(l.live / 1e6 / row.instructions.plainMi).toFixed(2);
      } catch (err) {
        // An interpreter slow to start under valgrind misses the adapter's connect timeout.
        console.log(`${w.name}: live instruction counts failed: ${err.message.split('\n')[0]}`);
      }
    } catch (err) {
      row.instructions = null;
      console.log(`${w.name}: instruction counts failed: ${err.message}`);
    }
  }
  results.push(row);
  checks.push(await measureCheck(ROOT, trace, `${w.name} (bench)`));
  const ins = row.instructions;
  console.log(`${w.name.padEnd(13)} plain ${String(row.plainMs).padStart(6)} ms  recorded (compiled) ${String(row.recordedMs).padStart(6)} ms  ` +
    `ratio ${row.ratio.toFixed(2)}${w.target ? ` (target <= ${w.target})` : ''}  pure-Python recorder ${row.pureMs} ms ratio ${row.pureRatio.toFixed(2)}  ` +
    `${ins ? `instructions plain ${ins.plainMi}M pure x${ins.pureRatio} compiled x${ins.compiledRatio} live x${ins.liveRatio}  ` : ''}` +
    `live ${String(row.liveMs).padStart(6)} ms  ratio ${row.liveRatio.toFixed(2)}${w.liveTarget ? ` (target <= ${w.liveTarget})` : ''}  ` +
    `debugpy ${dbgOk ? `${String(row.debugpyMs).padStart(6)} ms  ratio ${row.debugpyRatio.toFixed(2)}` : 'skipped'}  ` +
    `peak RSS plain ${row.plainPeakRssMb} MB recorded ${row.recordedPeakRssMb} MB (x${row.recordedRssRatio}) adapter ${row.adapterPeakRssMb} MB  ` +
    `${row.liveBatches} batches / ${row.liveEvents} events streamed (${row.liveDropped} dropped)  ${row.bytesPerEvent} B/event (target <= 16)  ` +
    `reader ${(row.readerEventsPerSec / 1e6).toFixed(2)} M events/s`);
}

// Snapshot of 10k live greenlets (snapshot.mjs, also runnable alone: node bench/snapshot.mjs).
let snapshot = null;
try {
  snapshot = await measureSnapshot(ROOT, PY);
} catch (err) {
  console.log(`snapshot-10k failed: ${err.message}`);
}
// greenlet-lens check on every example (the workloads' traces are checked above, the 1M trace below).
try {
  for (const [name, trace] of recordExamples(ROOT, PY, join(tmp, 'examples'))) checks.push(await measureCheck(ROOT, trace, name));
} catch (err) {
  console.log(`check on the examples failed: ${err.message.split('\n')[0]}`);
}

// State at event N and the board, on one 1M-event trace.
const trace1m = join(tmp, 'switch-heavy-1m.glt');
let stateAt = null, stateAtError = null, board = null, boardError = null, events1m = null;
try {
  const t0 = performance.now();
  events1m = recordTrace1M(ROOT, PY, trace1m);
  console.log(`1M trace: switch_heavy.py ${MESSAGES_1M}, ${events1m} events, recorded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  stateAtError = boardError = `recording the 1M-event trace failed: ${err.message.split('\n')[0]}`;
  console.log(stateAtError);
}
// The live adapter's intake: in process on the 1M-event trace, and the real adapter's CPU over a live 1M-event session.
let adapter = null;
if (!stateAtError) {
  try {
    adapter = { inProcess: measureAdapterRate(trace1m), live: await measureAdapterLive(ROOT, PY), target: ADAPTER_TARGET_PER_SEC };
    console.log(`adapter       in process ${(adapter.inProcess.eventsPerSec / 1e6).toFixed(2)} M events/s (best of ${adapter.inProcess.allPerSec.length}); ` +
      `live session ${adapter.live.events} events, ${adapter.live.dropped} dropped, ${(adapter.live.eventsPerCpuSec / 1e6).toFixed(2)} M events per adapter CPU second (target >= 1M/s)`);
  } catch (err) {
    console.log(`adapter rate failed: ${err.message.split('\n')[0]}`);
  }
}
if (!stateAtError) {
  try {
    stateAt = await measureStateAt(ROOT, new Uint8Array(readFileSync(trace1m)));
    console.log(`state-at-N    ${stateAt.events} events: random N median ${stateAt.randomN.medianMs} ms worst ${stateAt.randomN.worstMs} ms (best-of-3 ${stateAt.randomN.worstBestOf3Ms} ms); ` +
      `step back one switch median ${stateAt.stepBack.medianMs} ms worst ${stateAt.stepBack.worstMs} ms (best-of-3 ${stateAt.stepBack.worstBestOf3Ms} ms) (target <= ${TARGETS.stateAtMs} ms)`);
  } catch (err) {
    stateAtError = err.message.split('\n')[0];
    console.log(`state-at-N failed: ${err.message}`);
  }
  try {
    checks.push(await measureCheck(ROOT, trace1m, `switch-heavy ${MESSAGES_1M} (1M trace)`));
  } catch (err) {
    console.log(`check on the 1M trace failed: ${err.message}`);
  }
  try {
    const runs = [];
    for (let i = 0; i < BOARD_RUNS; i++) runs.push(await measureBoardOnce(ROOT, trace1m));
    const stat = (xs, f = (x) => x) => (xs.some((x) => x == null) ? { median: null, worst: null } : { median: f(median(xs)), worst: f(Math.max(...xs)) });
    board = {
      runs: BOARD_RUNS, events: events1m, chromium: CHROMIUM, flags: CHROMIUM_ARGS, status: runs.at(-1).status,
      firstFrameMs: stat(runs.map((r) => r.firstFrameMs), Math.round), fullLoadMs: stat(runs.map((r) => r.fullLoadMs), Math.round),
      jsHeapPeakMb: stat(runs.map((r) => r.jsHeapPeakBytes / 2 ** 20), (x) => +x.toFixed(1)),
      rendererPeakRssMb: stat(runs.map((r) => r.rendererPeakRssKb), (x) => +(x / 1024).toFixed(1)),
    };
    console.log(`board-1M      first frame median ${board.firstFrameMs.median} ms worst ${board.firstFrameMs.worst} ms (target <= ${TARGETS.firstFrameMs} ms); ` +
      `full load median ${board.fullLoadMs.median} ms worst ${board.fullLoadMs.worst} ms; JS heap peak ${board.jsHeapPeakMb.worst} MB; renderer VmHWM ${board.rendererPeakRssMb.worst} MB`);
  } catch (err) {
    boardError = err.message.split('\n')[0];
    console.log(`board-1M failed: ${err.message}`);
  }
}
let memory = null;
try {
  memory = await measureMemory(ROOT, tmp);
  console.log(`memory        adapter ${memory.soak.first.toFixed(1)} -> ${memory.soak.last.toFixed(1)} MB over ${memory.soak.seconds} s ` +
    `(slope ${memory.soak.slopeSecondHalf.toFixed(2)} MB/min); recorder ${memory.recorder.recorded.map((p) => p[1].toFixed(0)).join(' ')} MB; ` +
    `state peak ${memory.state.json.peakMb} MB`);
} catch (err) {
  console.log(`memory failed: ${err.message}`);
}
// The board's frame time at 10k greenlets (bench/board-10k.mjs): snapshot_10k.py stepped back switch by switch, from the end and with all 10k blocked.
let frames10k = null;
try {
  frames10k = await measureBoard10k(ROOT, PY, tmp);
  console.log(`board-10k     ${describe10k(frames10k)}`);
} catch (err) {
  console.log(`board-10k failed: ${err.message.split('\n')[0]}`);
}

// Pause to stopped UI in the real VS Code, board open against closed (code-server; the e2e tests' build must be current: npm run package).
let pause = null;
const PAUSE_RUNS = Number(process.env.PAUSE_RUNS || 3);
try {
  const s = await measurePauseLatency(ROOT, PAUSE_RUNS);
  pause = { runs: PAUSE_RUNS, openMs: s.open, closedMs: s.closed, openMedianMs: median(s.open), closedMedianMs: median(s.closed) };
  pause.ratio = +(pause.openMedianMs / pause.closedMedianMs).toFixed(2);
  console.log(`pause-1000    board open median ${pause.openMedianMs} ms (${s.open.join(', ')}), closed median ${pause.closedMedianMs} ms (${s.closed.join(', ')}): ${pause.ratio}x (target <= 1.2x)`);
} catch (err) {
  console.log(`pause-1000 failed: ${err.message.split('\n')[0]}`);
}
rmSync(tmp, { recursive: true, force: true });
for (const c of checks) {
  console.log(`check ${c.name.padEnd(34)} ${String(c.events).padStart(8)} events  CLI ${String(c.cliMs).padStart(5)} ms (budget ${c.budgetMs} ms)  ` +
    `in process ${c.inProcessMs} ms${c.inProcessMsPerMillion === null ? '' : ` (${c.inProcessMsPerMillion} ms per million events)`}  findings: ${c.findings.join(', ') || 'none'}`);
}

const env = spawnSync(PY, ['-c', 'import platform,gevent,greenlet;print(platform.python_version(),gevent.__version__,greenlet.__version__)'], { encoding: 'utf8' }).stdout.trim();
const debugpyVersion = spawnSync('/usr/bin/python3', ['-c', 'import debugpy;print(debugpy.__version__)'], { encoding: 'utf8' }).stdout?.trim() || null;
const data = {
  date: new Date().toISOString(), env, node: process.version, debugpy: debugpyVersion, debugpySkipped: debugpySkip, instructionsSkipped: instructionsSkip,
  runs: RUNS, gnuTime: TIME !== null, targets: TARGETS, results, snapshot, checks,
  trace1m: { messages: MESSAGES_1M }, adapter, stateAt, stateAtError, board, boardError, memory, pause, frames10k,
  benchSeconds: Math.round((performance.now() - benchStart) / 1000), cpus: cpus().length,
  loadAvg: { start: loadStart, end: +loadavg()[0].toFixed(2) },
};
writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), renderReport(data));
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(data, null, 2) + '\n');
console.log(`bench took ${(data.benchSeconds / 60).toFixed(1)} min`);
console.log('written to docs/benchmarks.md and bench/results.json');

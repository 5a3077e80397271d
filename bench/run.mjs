// npm run bench: each workload run plain, recorded and live (through the debug
// adapter, see live-run.mjs), interleaved run by run,
// medians and ratios printed side by side and written to docs/benchmarks.md
// and bench/results.json. Targets are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runLive } from './live-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PY = process.env.GREENLET_LENS_PYTHON || '/usr/bin/python3';
const RUNS = Number(process.env.BENCH_RUNS || 5);
const tmp = mkdtempSync(join(tmpdir(), 'glt-bench-'));
const { readTraceFileSync } = await import(join(ROOT, 'out', 'shared', 'trace', 'read-file.js'));
const { TraceModel } = await import(join(ROOT, 'out', 'shared', 'model', 'trace-model.js'));

const WORKLOADS = [
  { name: 'switch-heavy', file: 'switch_heavy.py', args: ['50000'], target: 1.3, liveTarget: 1.5, what: '2 greenlets, 50k messages each way through two queues' },
  { name: 'spawn-heavy', file: 'spawn_heavy.py', args: ['10000'], target: null, what: '10k short greenlets, 1 in 10 failing' },
  { name: 'io-bound', file: 'io_bound.py', args: ['50', '200'], target: 1.1, what: 'StreamServer echo, 50 clients x 200 lines on loopback' },
];

function run(argv, env) {
  const t0 = performance.now();
  const r = spawnSync(PY, argv, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = [];
for (const w of WORKLOADS) {
  const prog = join(ROOT, 'bench', 'workloads', w.file);
  const trace = join(tmp, `${w.name}.glt`);
  const plain = [], recorded = [], live = [];
  let stream;
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so drift in machine load hits all variants alike.
    plain.push(run([prog, ...w.args], {}));
    recorded.push(run(['-m', 'greenlet_lens', 'record', '--output', trace, '--', prog, ...w.args],
      { PYTHONPATH: join(ROOT, 'runtime-instrumentation') }));
    const l = await runLive(ROOT, PY, prog, w.args);
    live.push(l.ms);
    stream = l;
  }
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
    liveMs: Math.round(median(live)), liveRatio: +(median(live) / median(plain)).toFixed(2), liveTarget: w.liveTarget ?? null,
    liveBatches: stream.batches, liveEvents: stream.events, liveDropped: stream.dropped,
    events: read.events.length, bytes, bytesPerEvent: +(bytes / read.events.length).toFixed(2),
    readerEventsPerSec: Math.round(read.events.length / (readMs / 1000)),
    modelEventsPerSec: Math.round(read.events.length / (modelMs / 1000)),
  };
  results.push(row);
  console.log(`${w.name.padEnd(13)} plain ${String(row.plainMs).padStart(6)} ms  recorded ${String(row.recordedMs).padStart(6)} ms  ` +
    `ratio ${row.ratio.toFixed(2)}${w.target ? ` (target <= ${w.target})` : ''}  ` +
    `live ${String(row.liveMs).padStart(6)} ms  ratio ${row.liveRatio.toFixed(2)}${w.liveTarget ? ` (target <= ${w.liveTarget})` : ''}  ` +
    `${row.liveBatches} batches / ${row.liveEvents} events streamed (${row.liveDropped} dropped)  ${row.bytesPerEvent} B/event (target <= 16)  ` +
    `reader ${(row.readerEventsPerSec / 1e6).toFixed(2)} M events/s`);
}
rmSync(tmp, { recursive: true, force: true });

const env = spawnSync(PY, ['-c', 'import platform,gevent,greenlet;print(platform.python_version(),gevent.__version__,greenlet.__version__)'], { encoding: 'utf8' }).stdout.trim();
const lines = [
  '# Benchmarks', '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Python/gevent/greenlet ${env}, Node ${process.version}, ${RUNS} runs of each variant, interleaved; medians of wall time including interpreter start. *Live* is the program run through the debug adapter (\`node dist/adapter.js\`, DAP over stdio) as a VS Code session would, no breakpoints, its \`greenletEvents\` stream consumed; timed from the launch request to the \`exited\` event; batches/events/dropped are from its last run.`, '',
  '| workload | what | plain ms | recorded ms | ratio | target | live ms | live ratio | live target | live batches | live events | live dropped | events | bytes/event | reader events/s | model events/s |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.workload} | ${r.what} | ${r.plainMs} | ${r.recordedMs} | ${r.ratio} | ${r.target ?? '-'} | ${r.liveMs} | ${r.liveRatio} | ${r.liveTarget ?? '-'} | ${r.liveBatches} | ${r.liveEvents} | ${r.liveDropped} | ${r.events} | ${r.bytesPerEvent} | ${r.readerEventsPerSec} | ${r.modelEventsPerSec} |`),
  '',
];
writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), lines.join('\n'));
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), env, results }, null, 2) + '\n');
console.log('written to docs/benchmarks.md and bench/results.json');

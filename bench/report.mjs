import { renderMemory } from './memory.mjs';
// docs/benchmarks.md from what bench/run.mjs measured: every number with how
// it was measured, every target next to its result with how far it is met or missed.

/** "met (45% of the target)" / "missed: 5.74 is 4.4x the target" for a lower-is-better target. */
export function verdict(value, target, unit = '') {
  if (value == null || target == null) return '-';
  const u = unit ? ` ${unit}` : '';
  const pct = (value / target) * 100;
  if (value <= target) return `met (${pct < 1 ? '<1' : Math.round(pct)}% of the target)`;
  return `missed: ${value}${u} is ${(value / target).toFixed(1)}x the target (over by ${+(value - target).toFixed(2)}${u})`;
}

/** verdict() for a target to reach rather than stay under (a rate). */
function atLeast(value, target) {
  if (value == null || target == null) return '-';
  return value >= target ? `met (${(value / target).toFixed(1)}x the target)` : `missed: ${(value / target).toFixed(2)}x the target`;
}

function backlogNote(results) {
  const b = results.find((r) => r.workload === 'large-backlog');
  const sw = results.find((r) => r.workload === 'switch-heavy');
  if (!b || !sw) return '';
  return ` On this run the board's model took in its trace at ${b.modelEventsPerSec} events/s against ${sw.modelEventsPerSec} for switch-heavy, and the live stream dropped ${b.liveDropped} of its ${b.events} events.`;
}

function mainTables(d) {
  const { results } = d;
  return [
    `Measured by \`npm run bench\` on ${d.date.slice(0, 10)}: Python/gevent/greenlet ${d.env}, Node ${d.node}, ${d.runs} runs of each variant, interleaved run by run (plain, recorded, live, debugpy, then again); medians of wall time including interpreter start. *Live* is the program run through the debug adapter (\`node dist/adapter.js\`, DAP over stdio) as a VS Code session would, no breakpoints, its \`greenletTrace\` stream consumed; timed from the launch request to the \`exited\` event; batches/events/dropped are from its last run. Events, bytes/event and reader/model throughput are from the last recorded trace (read with \`readTraceFileSync\`, then \`TraceModel.appendAll\`).${d.runs < 3 ? ` **Only ${d.runs} run(s) per variant (BENCH_RUNS=${d.runs}): the medians are single samples, take them as rough.**` : ''}`, '',
    '| workload | what | plain ms | recorded ms | ratio | target | live ms | live ratio | live target | live batches | live events | live dropped | events | bytes/event | reader events/s | model events/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.workload} | ${r.what} | ${r.plainMs} | ${r.recordedMs} | ${r.ratio} | ${r.target ?? '-'} | ${r.liveMs} | ${r.liveRatio} | ${r.liveTarget ?? '-'} | ${r.liveBatches} | ${r.liveEvents} | ${r.liveDropped} | ${r.events} | ${r.bytesPerEvent} | ${r.readerEventsPerSec} | ${r.modelEventsPerSec} |`),
    '',
    'The *large-backlog* workload (`bench/workloads/large_backlog.py 100000 2000`) spawns 1000 greenlets blocked on one Event and 1000 blocked on a second queue\'s `get`, fills one queue with 100k items while all 2000 wait, then sets the Event: its waiters drain the backlog with `get_nowait` (yielding every 100 items) and forward every 100th item to the second queue, waking its waiters one by one. It measures the cost of recording and streaming a queue that holds 100k items with thousands of waiters on the wait graph.' + backlogNote(results), '',
    '*Live dropped* is counted, not assumed: the switches the runtime\'s `end` record says it saw minus the `switch` events that reached the client in `greenletTrace` (a stream without its `end` record, or one the decoder cannot read, fails the run). The stream carries the trace\'s own bytes, so a gap would leave the rest undecodable: a burst larger than one batch is paced over the next intervals, and all that waits is sent before a stop.', '',
    '## Recorders side by side: compiled core and pure-Python fallback', '',
    `*recorded* is the compiled recorder core (\`greenlet_lens/_core.c\`, built on first use); *pure* is the pure-Python fallback (\`GREENLET_LENS_PURE=1\`), run interleaved with the rest; *live* runs with the compiled core. Instruction counts are valgrind's (cachegrind, no cache simulation) at a reduced size minus a tiny run of the same variant, so start-up cancels out; they hardly vary run to run, while wall times here vary 30-100 %.${d.instructionsSkipped ? ` Instruction counts skipped: ${d.instructionsSkipped}.` : ''}`, '',
    '| workload | plain ms | pure ms | pure ratio | compiled ms | compiled ratio | target | live (compiled) ratio | debugpy ratio | instructions plain (M) | pure ×instr | compiled ×instr | live ×instr (the program\'s process) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.workload} | ${r.plainMs} | ${r.pureMs} | ${r.pureRatio} | ${r.recordedMs} | ${r.ratio} | ${r.target ?? '-'} | ${r.liveRatio} | ${r.debugpyRatio ?? '-'} | ${r.instructions?.plainMi ?? '-'} | ${r.instructions?.pureRatio ?? '-'} | ${r.instructions?.compiledRatio ?? '-'} | ${r.instructions?.liveRatio ?? '-'} |`),
    '',
    '## Against debugpy, and peak memory', '',
    `*debugpy* is the anchor users have today: Debian's \`python3-debugpy\` (${d.debugpy ?? 'not available'}) running the program as \`/usr/bin/python3 -m debugpy --listen 127.0.0.1:PORT --wait-for-client --configure-subProcess false\` with \`GEVENT_SUPPORT=True\`, a DAP client attached over TCP (\`attach\` with \`justMyCode\`, no breakpoints); timed from spawn to the program's exit.${d.debugpySkipped ? ` Skipped: ${d.debugpySkipped.split('\n')[0]}` : ''} Peak RSS of plain and recorded runs is GNU time's maximum resident set size${d.gnuTime ? '' : ' (not measured: /usr/bin/time missing)'}; the adapter's is its VmHWM read when the live program has exited; all are the largest over the runs.`, '',
    '| workload | plain ms | debugpy ms | debugpy ratio | recorded ratio | live ratio | plain peak RSS MB | recorded peak RSS MB | recorded/plain RSS | adapter peak RSS MB (live) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.workload} | ${r.plainMs} | ${r.debugpyMs ?? '-'} | ${r.debugpyRatio ?? '-'} | ${r.ratio} | ${r.liveRatio} | ${r.plainPeakRssMb ?? '-'} | ${r.recordedPeakRssMb ?? '-'} | ${r.recordedRssRatio ?? '-'} | ${r.adapterPeakRssMb ?? '-'} |`),
    '',
  ];
}

export function snapshotSection(s) {
  return ['## Snapshot of 10k live greenlets', '',
    s
      ? `\`bench/workloads/snapshot_10k.py\` run live through the adapter: ${s.greenlets} greenlets spawned, ${s.blockedOnEvent} of them blocked on one Event in the adapter's model (polled until all are) before timing; then ${s.requests} \`greenletSnapshot\` requests as a client asks first (the default page: ${s.page ?? '?'} greenlets without their sites, ${(s.snapshotBytes / 1e6).toFixed(2)} MB of JSON), every greenlet page by page, the whole state with every site in one answer (${((s.wholeBytes ?? 0) / 1e6).toFixed(1)} MB, what the request answered before it was paged), and ${s.requests} \`threads\` requests (${s.threadsReturned} threads returned), one at a time, timed at the client over stdio.\n\n` +
        '| request | median ms | worst ms |\n|---|---|---|\n' +
        `| greenletSnapshot (default page) | ${s.snapshotMedianMs} | ${s.snapshotWorstMs} |\n| greenletSnapshot, all pages | ${s.pagedAllMedianMs ?? '–'} | |\n| greenletSnapshot, whole state with sites | ${s.wholeMedianMs ?? '–'} | |\n` +
        (s.runningMedianMs != null ? `| greenletSnapshot (default page) while the program runs, ${s.runningFreshAnswers} of ${s.requests} answers at a new event count | ${s.runningMedianMs} | ${s.runningWorstMs} |\n` : '') +
        `| threads | ${s.threadsMedianMs} | ${s.threadsWorstMs} |\n\n` +
        `Adapter peak RSS in that session: ${s.adapterPeakRssMb} MB.`
      : 'Not measured (the run failed; see the bench output).',
    ''];
}

function stateAtSection(d) {
  const s = d.stateAt;
  if (!s) return ['## State at event N on a 1M-event trace', '', `Not measured: ${d.stateAtError ?? 'see the bench output'}.`, ''];
  const row = (what, x) => `| ${what} | ${x.medianMs} | ${x.p95Ms} | ${x.worstMs} | ${x.worstBestOf3Ms} | ${d.targets.stateAtMs} | ${verdict(x.worstMs, d.targets.stateAtMs, 'ms')} | ${verdict(x.worstBestOf3Ms, d.targets.stateAtMs, 'ms')} |`;
  return ['## State at event N on a 1M-event trace', '',
    `\`bench/workloads/switch_heavy.py ${d.trace1m.messages}\` recorded with \`node dist/cli.js record\`: ${s.events} events (${s.switches} switches, ${(s.bytes / 2 ** 20).toFixed(1)} MiB). In the bench's Node process (\`bench/state-at.mjs\`, also runnable alone as \`node bench/model-steps.mjs\`), the file's bytes are decoded in 1 MiB pieces into the board's model (\`out/shared/model/trace-model.js\`, a checkpoint every ${s.checkpointInterval} events): ${s.loadMs} ms (${(s.loadEventsPerSec / 1e6).toFixed(2)} M events/s). Then, timed with \`performance.now()\` around one \`stateAt\` call each: *random N*: ${s.positions} times, the cursor first parked at one random event, then \`stateAt(N)\` for another random N; *step back / forward one switch*: ${s.positions} random switch events n, the cursor parked at n, then \`stateAt\` of the previous (next) switch. Each query is tried 3 times at the same position (the cursor parked again before each try, so each try replays the same events): median, 95th percentile and worst are of the first tries; *worst of best-of-3* is the worst over positions of each position's fastest try. The target applies to the worst case. One query replays at most one checkpoint interval of events, so a worst far above the 95th percentile is a pause of the process (garbage collection, or the machine busy with other work; see the load average below), not a longer replay; such a pause rarely hits all 3 tries of one position, which is what the best-of-3 column shows.`, '',
    '| query | median ms | 95th percentile ms | worst ms | worst of best-of-3 ms | target ms | worst against target | worst of best-of-3 against target |', '|---|---|---|---|---|---|---|---|',
    row('state at random N', s.randomN), row('step back one switch', s.stepBack), row('step forward one switch', s.stepForward), '',
    `First state: \`stateAt(0)\` on the loaded model ${s.firstStateMs} ms; from the first byte with only the first 1 MiB piece decoded ${s.firstStateStreamingMs} ms.`, ''];
}

function boardSection(d) {
  const b = d.board;
  if (!b) return ['## The board on a 1M-event trace', '', `Not measured: ${d.boardError ?? 'see the bench output'}.`, ''];
  const t = d.targets.firstFrameMs;
  return ['## The board on a 1M-event trace', '',
    `The same ${b.events}-event trace served by \`node dist/cli.js view TRACE --port N\` and opened in Debian's Chromium (\`${b.chromium}\`, flags \`${b.flags.join(' ')}\`) through playwright-core, a fresh browser and a 1400x900 page for each of ${b.runs} runs. An init script (installed before the board's own scripts) checks every animation frame: *first frame* is \`performance.now()\` (ms since navigation start) at the first frame whose status line shows an event; *full load* is the same clock at the first frame where \`body[data-ready=true]\` (the whole file fetched and decoded and a full frame drawn). The status line then read ${JSON.stringify(b.status)}. *JS heap peak* is the largest \`JSHeapUsedSize\` of CDP \`Performance.getMetrics\`, sampled every 100 ms from navigation until full load and once after (a sample, so a shorter spike between samples can be missed; it is V8's heap only: memory outside it, such as the backing stores of typed arrays and ArrayBuffers, is not counted); *renderer peak RSS* is \`VmHWM\` from \`/proc/PID/status\` of the browser's renderer processes (the largest), read after full load: the whole renderer process, the page's DOM, V8 heap and buffers together. Medians and worst over the runs.`, '',
    '| measure | median | worst | target | median against target |', '|---|---|---|---|---|',
    `| first frame ms | ${b.firstFrameMs.median} | ${b.firstFrameMs.worst} | ${t} | ${verdict(b.firstFrameMs.median, t, 'ms')} |`,
    `| full load ms | ${b.fullLoadMs.median} | ${b.fullLoadMs.worst} | - | - |`,
    `| JS heap peak MB (CDP JSHeapUsedSize) | ${b.jsHeapPeakMb.median} | ${b.jsHeapPeakMb.worst} | - | - |`,
    `| renderer peak RSS MB (/proc VmHWM) | ${b.rendererPeakRssMb.median ?? '-'} | ${b.rendererPeakRssMb.worst ?? '-'} | - | - |`,
    ''];
}

function checkSection(d) {
  const checks = d.checks ?? [];
  if (checks.length === 0) return ['## greenlet-lens check', '', 'Not measured (see the bench output).', ''];
  return ['## greenlet-lens check', '',
    `\`node dist/cli.js check --format json TRACE\` on the last recording of each workload above, on every example (\`examples/*.py\` and \`examples/bugs/*.py\` but shutdown.py, which runs until a signal, recorded with SEED_SCALE=0.2) and on the 1M-event trace above: the CLI's wall time (Node's start included, as CI runs it), and the same work in the bench's process (\`checkTraceFile\`: decode, the state at the end, the findings), best of ${checks[0].runs}. The target is ${d.targets.checkMsPerMillion} ms per million events, and ${d.targets.checkMsPerMillion} ms for any trace up to a million events (a small trace costs mostly Node's start): the budget column.`, '',
    '| trace | events | CLI ms | budget ms | CLI against budget | in process ms | in process ms per million events | findings |', '|---|---|---|---|---|---|---|---|',
    ...checks.map((c) => `| ${c.name} | ${c.events} | ${c.cliMs} | ${c.budgetMs} | ${verdict(c.cliMs, c.budgetMs, 'ms')} | ${c.inProcessMs} | ${c.inProcessMsPerMillion ?? '-'} | ${c.findings.join(', ') || 'none'} |`),
    ''];
}

function targetsSection(d) {
  const rows = [];
  for (const r of d.results) {
    if (r.target != null) rows.push([`recorded/plain, ${r.workload}`, `<= ${r.target}`, r.ratio, verdict(r.ratio, r.target)]);
    if (r.liveTarget != null) rows.push([`live/plain, ${r.workload}`, `<= ${r.liveTarget}`, r.liveRatio, verdict(r.liveRatio, r.liveTarget)]);
    rows.push([`bytes/event, ${r.workload}`, `<= ${d.targets.bytesPerEvent}`, r.bytesPerEvent, verdict(r.bytesPerEvent, d.targets.bytesPerEvent)]);
  }
  const s = d.stateAt;
  if (s) {
    rows.push(['state at random N, worst (1M events)', `<= ${d.targets.stateAtMs} ms`, `${s.randomN.worstMs} ms`, verdict(s.randomN.worstMs, d.targets.stateAtMs, 'ms')]);
    rows.push(['step back one switch, worst (1M events)', `<= ${d.targets.stateAtMs} ms`, `${s.stepBack.worstMs} ms`, verdict(s.stepBack.worstMs, d.targets.stateAtMs, 'ms')]);
    rows.push(['state at random N, worst of best-of-3 (1M events)', `<= ${d.targets.stateAtMs} ms`, `${s.randomN.worstBestOf3Ms} ms`, verdict(s.randomN.worstBestOf3Ms, d.targets.stateAtMs, 'ms')]);
    rows.push(['step back one switch, worst of best-of-3 (1M events)', `<= ${d.targets.stateAtMs} ms`, `${s.stepBack.worstBestOf3Ms} ms`, verdict(s.stepBack.worstBestOf3Ms, d.targets.stateAtMs, 'ms')]);
  }
  const snap = d.snapshot;
  const snapTarget = d.targets.snapshotMs ?? 50;
  if (snap && snap.snapshotMedianMs != null) {
    rows.push([`greenletSnapshot (default page) with ${snap.greenlets} greenlets, median`, `<= ${snapTarget} ms`, `${snap.snapshotMedianMs} ms`, verdict(snap.snapshotMedianMs, snapTarget, 'ms')]);
  }
  for (const c of d.checks ?? []) {
    if (c.events >= 100_000) rows.push([`greenlet-lens check, ${c.name}`, `<= ${c.budgetMs} ms`, `${c.cliMs} ms`, verdict(c.cliMs, c.budgetMs, 'ms')]);
  }
  const worst = (d.checks ?? []).filter((c) => c.events < 100_000).reduce((a, c) => (a === null || c.cliMs / c.budgetMs > a.cliMs / a.budgetMs ? c : a), null);
  if (worst) rows.push([`greenlet-lens check, the slowest small trace (${worst.name})`, `<= ${worst.budgetMs} ms`, `${worst.cliMs} ms`, verdict(worst.cliMs, worst.budgetMs, 'ms')]);
  const a = d.adapter;
  if (a) {
    rows.push(['live adapter intake, in process (1M-event trace, best run)', `>= ${a.target / 1e6}M events/s`, `${(a.inProcess.eventsPerSec / 1e6).toFixed(2)}M events/s`, atLeast(a.inProcess.eventsPerSec, a.target)]);
    rows.push([`live adapter intake, a live session of ${a.live.events} events, per adapter CPU second`, `>= ${a.target / 1e6}M events/s`, a.live.eventsPerCpuSec == null ? '-' : `${(a.live.eventsPerCpuSec / 1e6).toFixed(2)}M events/s`, atLeast(a.live.eventsPerCpuSec, a.target)]);
    rows.push([`live events dropped, that session`, '0', a.live.dropped, a.live.dropped === 0 ? 'met' : 'missed']);
  }
  if (d.board) rows.push(['board first frame, median (1M events)', `<= ${d.targets.firstFrameMs} ms`, `${d.board.firstFrameMs.median} ms`, verdict(d.board.firstFrameMs.median, d.targets.firstFrameMs, 'ms')]);
  return ['## Targets', '', 'Every target, its result on this run and how far it is met or missed (targets are reported, never asserted).', '',
    '| what | target | result | met / missed |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`), '',
    ...WHY_MISSED];
}

// Profiled by hand (2026-11-28 and, for recording, 2026-12-03, this machine), not by each bench run: why the missed targets are missed.
const WHY_MISSED = [
  '### Where the time goes (profiled separately)', '',
  '- *Recording*, in instructions: counts from `node bench/where-instructions-go.mjs` (cachegrind without cache simulation, the reduced size minus a tiny run; it also splits the extra by function), compiled recorder against plain. *floor* is the workload under a `greenlet.settrace` callback in C that does nothing (started through `runpy.run_path`), the least any switch tracer costs; *before* is main before issue 17\'s third step (spawn, first switch and exit in Python; on gevent ≥ 25.4 the queues behind a Python subclass), *now* with them in C. Each row\'s before and now come from runs of the same day on the same stack (`GREENLET_LENS_PYTHON` picks it); the ratios are each run\'s own:',
  '',
  '  | stack | workload (size counted) | plain | floor | before | now | pure-Python (the last bench run) |',
  '  |---|---|---|---|---|---|---|',
  '  | Debian 3.11, gevent 22.10.2 | switch-heavy (10000 messages) | 498.9M | 535.1M (1.07×) | 827.7M (1.66×) | 822.0M (1.65×) | 4.43× |',
  '  | Debian 3.11, gevent 22.10.2 | spawn-heavy (2000 greenlets) | 173.8M | 211.0M (1.21×) | 476.9M (2.74×) | 328.9M (1.89×) | 4.42× |',
  '  | Debian 3.11, gevent 22.10.2 | io-bound (10 clients × 100 lines) | 96.5M | 100.7M (1.04×) | 136.6M (1.42×) | 132.1M (1.37×); 129.0M (1.34×) in another run | 2.24× |',
  '  | CPython 3.13.0, gevent 26.5.0 | switch-heavy | 507.2M | 562.0M (1.11×) | 1256.6M (2.48×) | 964.4M (1.90×) | |',
  '  | CPython 3.13.0, gevent 26.5.0 | spawn-heavy | 175.8M | 220.2M (1.25×) | 535.3M (3.04×) | 358.8M (2.04×) | |',
  '  | CPython 3.13.0, gevent 26.5.0 | io-bound | 114.5M | 120.0M (1.05×) | 170.4M (1.49×) | 162.1M (1.41×) | |',
  '',
  '  After that (2026-12-04), each switch finds both greenlets\' ids by address in a slot holding a weak reference to the greenlet, instead of a fresh `id()` int looked up in a dict (allocated, hashed, compared, freed), the queue records find their queue the same way, and `dead`/`gr_frame` come from greenlet\'s own getters instead of through gevent\'s `Greenlet` property: Debian 3.11 switch-heavy 764.7M (1.54×), spawn-heavy 318.6M (1.84×), io-bound 121.3M (1.24×); CPython 3.12 switch-heavy 1.90× → 1.72× (876.6M against 509.2M plain).',
  '',
  '  (The step before this one, a block\'s `wait_info` and a spawn\'s frame walk in C, took Debian\'s switch-heavy from 2.01× to 1.65×. This page\'s earlier table counted plain spawn-heavy at 198.8M; every run here counted 173.8M, so its ratios do not compare with these.)',
  '',
  '  Where the rest goes. *switch-heavy* on Debian did not move: its queues were already hooked in their vtable there, and its 323M over plain (32k a message of 6 events) is C, the core\'s own 45M (the trace callback 15M, the encoder, the queue records), the C API it calls 125M (dict and set lookups, `id()` keys as ints, `repr` of the items, attribute reads) and 153M the stripped interpreter does not name. On CPython 3.13 its bytecode went from 101M to 1.3M: gevent ≥ 25.4 queues are now hooked in their vtable too (their `__init__` also in the class\'s dict, where `super().__init__()` finds it), and the `Event` a `Queue` makes for itself gets gevent\'s own class back, so its `clear()` on every put no longer goes through the event hook; left are dict lookups 44M, thread-local state 29M (`__tls_get_addr`: the pyenv interpreter is a shared library), allocation 26M, tuples 14M and the items\' int reprs 8.5M. *spawn-heavy*: 77k instructions a greenlet over plain on Debian (was 151k), 19k of them the floor\'s, and 1.56× the floor; bytecode went from 94M to 12M (the registry\'s `IdMap.add` and its weak-reference callback, and the 200 failing greenlets\' exception records with their formatted tracebacks); 21.7M is `PyCode_Addr2Line`: gevent\'s `Greenlet` keeps its spawning stack (`track_greenlet_tree`) and reads a line number for each frame, and under `greenlet-lens record` three frames sit under the program\'s (runpy\'s two and `greenlet_lens/__main__`), as the floor\'s `runpy.run_path` adds its own. *io-bound*: bytecode from 6.5M to 0.8M (a wait whose reason comes from gevent\'s socket frame is settled in C; a call told by its name, `gevent.sleep`, is cached); left 35.6M, 19.9M of it unnamed in the stripped interpreter, which includes the 3.11 `f_locals` dict built to read that frame\'s `timeout` and `self` (3.12 on reads the two with `PyFrame_GetVar`). The pure-Python recorder pays about 4.5 µs an event (the switch tracer, `wait_info`, a queue record, the wrapper subclasses).',
  '- *Live* (profiled 2026-12-03, Debian\'s stack; `node bench/live-instructions.mjs`, `node bench/adapter-rate.mjs TRACE`): the program\'s own instructions in a live session are now within 1 % of recording\'s (switch-heavy 827M against 826M recorded, 1.66× plain; spawn-heavy 2.77× against 2.75×; io-bound 1.41× against 1.40×). Before, the debugger\'s switch hook was a Python call at every switch (switch-heavy 896M, 1.79×; spawn-heavy 2.86×; io-bound 1.49×); the tracer now calls it only while a step, a sync or line tracing needs it, at a throw and at a run-to\'s target. Three costs outside the program\'s instructions: the adapter probed the interpreter before every launch (a Python start importing gevent, 0.23–0.29 s here), now only to explain a runtime that failed to start; the program\'s thread sent each 64 KiB of trace itself and, on a loaded machine where the adapter is scheduled late, waited in the socket\'s send (0.08–1.35 s of a switch-heavy live run at load 10–19, `writer.stall_us`), now it wakes the flush thread and goes on up to a 16 MiB backlog; and the adapter (Node, on the other core: decode, model, findings, the paced `greenletTrace` batches) takes about 2 M events per second of its CPU (510 ms for the 1M-event session), mostly idle waiting for the program. What is left of live/plain is recording\'s cost (above) plus a session\'s start (the adapter, the handshake, `configurationDone`), and on this 2-core machine the adapter\'s CPU competing with the program and the other jobs.',
  '- *greenletSnapshot of 10k greenlets*: the whole state of 10k greenlets with their spawn and wait sites is 4–5 MB of JSON (`JSON.stringify` 30–55 ms in the adapter, the client\'s `JSON.parse` about 45 ms, plus the pipe), so the request answers one page of 1000 greenlets without sites unless asked (`start`, `count`, `sites`), and only that page\'s greenlets are viewed: building the views of all 10k took 15–200 ms, paid by every request while the program runs (each finds new events; the default page then took a median 69.9 ms, worst 262 ms, before pages were built alone). VS Code itself never asks for it: its Call Stack uses `threads` (capped at `maxThreads`), and the board is fed by the trace stream.',
  ''];

function frames10kSection(f) {
  return ['## The board at 10k greenlets', '',
    f
      ? `\`bench/workloads/snapshot_10k.py\` recorded (10000 greenlets spawned, blocked on one Event, released) and opened as the 1M-event trace is (\`greenlet-lens view\`, Chromium, 1400x900); then the cursor moved one switch back ${f.steps} times with the toolbar's button, each timed in the page from the click to the frame after the one that draws it (state at the cursor, the table's rows, the wait-for graph, the timeline). From the last event (the waiters finishing): median ${f.medianMs} ms, worst ${f.worstMs} ms.` +
        (f.blocked ? ` From event ${f.blocked.at}, the last before the Event is set (all ${f.blocked.waiters} waiters blocked on it: one group node in the wait-for graph): median ${f.blocked.medianMs} ms, worst ${f.blocked.worstMs} ms. Alone: \`node bench/board-10k.mjs\`.` : '')
      : 'Not measured (see the bench output).',
    ''];
}

function pauseSection(p) {
  return ['## Pause with the board open, in the real VS Code', '',
    p
      ? '`bench/workloads/pool_1000.py` (1000 greenlets: producers, a bounded queue, 900 workers, a collector, sleepers; tens of thousands of events a second) debugged with its launch configuration in code-server driven by Chromium (`bench/pause-latency.mjs`, the end-to-end tests\' harness). ' +
        `${p.runs} times each, alternately: the debug toolbar's Pause clicked after 1.5 s of running, timed until the stopped UI shows (the toolbar offers Continue and the Call Stack lists the paused greenlets), then Continue; with the board open, then with its tab closed (then opened again, which replays the session to it).\n\n` +
        '| board | median ms | runs ms |\n|---|---|---|\n' +
        `| open | ${p.openMedianMs} | ${p.openMs.join(', ')} |\n| closed | ${p.closedMedianMs} | ${p.closedMs.join(', ')} |\n\n` +
        `Open against closed: ${p.ratio}x (target <= 1.2x).`
      : 'Not measured (code-server could not be started or the run failed; see the bench output).',
    ''];
}

export function renderReport(d) {
  return ['# Benchmarks', '', ...mainTables(d), ...snapshotSection(d.snapshot), ...pauseSection(d.pause), ...frames10kSection(d.frames10k), ...stateAtSection(d), ...boardSection(d), ...checkSection(d), renderMemory(d.memory), ...targetsSection(d),
    `The whole \`npm run bench\` (after setup and build) took ${(d.benchSeconds / 60).toFixed(1)} min on ${d.cpus} CPUs; the 1-minute load average was ${d.loadAvg.start} at its start and ${d.loadAvg.end} at its end (anything else running on the machine shows in every number above).`, ''].join('\n');
}
